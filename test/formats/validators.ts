// The official grammars, checked by libxml2 compiled to WebAssembly (xmllint-wasm, installed by
// `npm install`): the NewsML-G2 2.35 XSD from ../shared, and the Atom grammar of RFC 4287 in its XML
// form (schemas/atom-rfc4287.rng, converted once from ../shared's .rnc; see schemas/README.md).
// Many documents go into one run so the suite stays fast. No system tool is needed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { STANDARDS } from './stories.ts';

export const G2_XSD = path.join(STANDARDS, 'newsml-g2', 'NewsML-G2_2.35-spec-All-Power.xsd');
export const ATOM_RNC = path.join(STANDARDS, 'atom', 'atom-rfc4287-appendixB.rnc');
export const ATOM_RNG = fileURLToPath(new URL('./schemas/atom-rfc4287.rng', import.meta.url));
/** The hash of the .rnc that ATOM_RNG was converted from (schemas/README.md). */
export const ATOM_RNC_SHA256 = '428dc81bd5596300ed51829d684a26263913f97809bedd52caa56e77ab858268';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: the schema tests read the official grammars from ../shared (clone the project with shared/ beside it)`);
  }
}

let g2Schema: { fileName: string; contents: string }[] | undefined;
let g2Preload: { fileName: string; contents: string }[] | undefined;

/** Validates docs in one run; each doc's messages, by name, for those that fail. */
async function validate(
  docs: Record<string, string>,
  schema: { fileName: string; contents: string }[],
  extension: 'schema' | 'relaxng',
  preload: { fileName: string; contents: string }[] = [],
): Promise<{ failures: Record<string, string>; output: string }> {
  const names = Object.keys(docs);
  const fileOf = (i: number) => `doc${i}.xml`;
  const r = await validateXML({
    xml: names.map((n, i) => ({ fileName: fileOf(i), contents: docs[n] })),
    schema,
    preload,
    extension,
    // The 200-story set makes for large runs; libxml2 needs more than the default 16 MiB.
    initialMemoryPages: 1024,
    maxMemoryPages: 65536,
  });
  // Messages name the documents by their own names, not the run's file names.
  const named = (text: string) => names.reduce((out, n, i) => out.replaceAll(fileOf(i), n), text);
  const failures: Record<string, string> = {};
  names.forEach((n, i) => {
    // libxml2 says "<file> validates" of each document that passes; anything else is a failure.
    if (r.rawOutput.includes(`${fileOf(i)} validates`) && !r.errors.some((e) => e.loc?.fileName === fileOf(i))) return;
    const messages = r.errors.filter((e) => e.loc?.fileName === fileOf(i)).map((e) => e.rawMessage);
    failures[n] = named(
      messages.join('\n') ||
        r.rawOutput
          .split('\n')
          .filter((l) => l.includes(fileOf(i)))
          .join('\n') ||
        'no "validates" line',
    );
  });
  return { failures, output: named(r.rawOutput) };
}

/** Validates NewsML-G2 documents against the 2.35 XSD; returns failures by name. */
export async function xmllintSchema(docs: Record<string, string>): Promise<{ failures: Record<string, string>; output: string }> {
  g2Schema ??= [{ fileName: 'NewsML-G2_2.35-spec-All-Power.xsd', contents: read(G2_XSD) }];
  g2Preload ??= [{ fileName: 'xml.xsd', contents: read(path.join(STANDARDS, 'newsml-g2', 'xml.xsd')) }];
  return validate(docs, g2Schema, 'schema', g2Preload);
}

/** Validates Atom documents against the RFC 4287 grammar (RELAX NG). */
export async function validateAtom(docs: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const { failures, output } = await validate(docs, [{ fileName: 'atom.rng', contents: readFileSync(ATOM_RNG, 'utf8') }], 'relaxng');
  return { ok: Object.keys(failures).length === 0, output: Object.keys(failures).length ? JSON.stringify(failures, null, 1) : output };
}
