// Shells out to the real validators, many documents per process so the suite stays fast.
// xmllint (libxml2-utils) and jing are required: CI installs them, so a missing tool is a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STANDARDS } from './stories.ts';

export const G2_XSD = path.join(STANDARDS, 'newsml-g2', 'NewsML-G2_2.35-spec-All-Power.xsd');
export const ATOM_RNC = path.join(STANDARDS, 'atom', 'atom-rfc4287-appendixB.rnc');

function requireTool(tool: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  if (r.status !== 0) throw new Error(`${tool} is not installed (apt-get install -y libxml2-utils jing); the format tests need it`);
}

/** Writes docs to a temp dir and validates them in one xmllint run; returns failures by name. */
export function xmllintSchema(docs: Record<string, string>): { failures: Record<string, string>; output: string } {
  requireTool('xmllint');
  const dir = mkdtempSync(path.join(tmpdir(), 'nf-g2-'));
  try {
    const files = Object.entries(docs).map(([name, xml]) => {
      const f = path.join(dir, `${name}.xml`);
      writeFileSync(f, xml);
      return f;
    });
    const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', G2_XSD, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const output = `${r.stdout}${r.stderr}`;
    const failures: Record<string, string> = {};
    for (const name of Object.keys(docs)) {
      const f = path.join(dir, `${name}.xml`);
      if (!output.includes(`${f} validates`)) failures[name] = output.split('\n').filter((l) => l.startsWith(f)).join('\n') || 'no "validates" line';
    }
    return { failures, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Validates Atom documents with jing and the RFC 4287 RNC grammar in one JVM run. */
export function jingAtom(docs: Record<string, string>): { ok: boolean; output: string } {
  requireTool('jing');
  const dir = mkdtempSync(path.join(tmpdir(), 'nf-atom-'));
  try {
    const files = Object.entries(docs).map(([name, xml]) => {
      const f = path.join(dir, `${name}.xml`);
      writeFileSync(f, xml);
      return f;
    });
    try {
      const out = execFileSync('jing', ['-c', ATOM_RNC, ...files], { encoding: 'utf8' });
      return { ok: true, output: out };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
