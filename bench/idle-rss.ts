// The resident memory of an idle server, measured as a user meets it: `npm start` over a new store (the
// demo loads), wait until /healthz answers, leave it idle 5 s, read VmRSS of the node process that serves
// (not npm's, not the shell's) from /proc. Three runs; prints min/median/max.
//   npm run bench:rss            (RUNS=5 for more runs)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const IDLE_MS = 5_000;

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Reads one `Key:   value kB` field of /proc/PID/status, in kB. */
export function statusKb(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${key} in /proc/${pid}/status`);
  return Number(m[1]);
}

/** The descendants of `root` (any depth), from /proc's parent links. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [pid, pp] of parent)
      if (pp === p) {
        out.push(pid);
        walk(pid);
      }
  };
  walk(root);
  return out;
}

/** The node process that runs `bin/newsflow.mjs serve` under the npm process `npmPid`. */
export function serverPid(npmPid: number): number | null {
  for (const pid of descendants(npmPid)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.endsWith('newsflow.mjs')) && cmd.includes('serve') && !cmd.some((a) => a === 'sh' || a.endsWith('/sh'))) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

export interface IdleMeasure {
  rssKb: number;
  /** Of which anonymous memory (heap, young generation, malloc) and file-backed pages (the binary). */
  anonKb: number;
  fileKb: number;
  startMs: number;
}

/** Starts `npm start` on a fresh store, waits for /healthz plus `idleMs`, reads the server's memory, stops it. */
export async function measureIdle(env: Record<string, string> = {}, idleMs = IDLE_MS): Promise<IdleMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'newsflow-rss-'));
  const port = await freePort();
  const t0 = Date.now();
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(port), NEWSFLOW_DATA: join(dir, 'newsflow.db'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  npm.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  npm.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  try {
    let startMs = 0;
    for (const until = Date.now() + 60_000; ; ) {
      if (Date.now() > until || npm.exitCode !== null) throw new Error(`the server did not answer /healthz:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        startMs = Date.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, idleMs));
    const pid = serverPid(npm.pid!);
    if (!pid) throw new Error('no server process found under npm');
    return { rssKb: statusKb(pid, 'VmRSS'), anonKb: statusKb(pid, 'RssAnon'), fileKb: statusKb(pid, 'RssFile'), startMs };
  } finally {
    // The whole process group: npm, its shell and the server.
    try {
      process.kill(-npm.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await new Promise((r) => (npm.exitCode !== null ? r(null) : npm.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const runs = Number(process.env.RUNS ?? 3);
  const results: IdleMeasure[] = [];
  for (let i = 0; i < runs; i++) results.push(await measureIdle());
  const mb = (kb: number) => (kb / 1024).toFixed(1);
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return [s[0], s[Math.floor(s.length / 2)], s[s.length - 1]];
  };
  console.log(`idle RSS of \`npm start\` with the demo (healthz + ${IDLE_MS / 1000} s idle), ${runs} runs`);
  console.log('| measure               |    min | median |    max |');
  console.log('|-----------------------|-------:|-------:|-------:|');
  for (const [label, key] of [
    ['VmRSS (MB)', 'rssKb'],
    ['  anonymous (MB)', 'anonKb'],
    ['  file-backed (MB)', 'fileKb'],
  ] as const) {
    const [lo, med, hi] = stat(results.map((r) => r[key]));
    console.log(`| ${label.padEnd(21)} | ${mb(lo).padStart(6)} | ${mb(med).padStart(6)} | ${mb(hi).padStart(6)} |`);
  }
  const [lo, med, hi] = stat(results.map((r) => r.startMs));
  console.log(`| ${'start to healthz (ms)'.padEnd(21)} | ${String(lo).padStart(6)} | ${String(med).padStart(6)} | ${String(hi).padStart(6)} |`);
}

if (process.argv[1] === import.meta.filename) await main();
