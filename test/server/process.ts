// The real server process for the start/stop tests: `newsflow serve` spawned on a free loopback port
// over a temporary store, with its output collected.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO, tempDir } from '../helpers.ts';

export const MAIN = join(REPO, 'src/cli/main.ts');

/** A port nothing listens on (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  file: string;
  url: string;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and how long after `since` it came. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** The environment of a spawned server: only what is given plus PATH/HOME (never the test's own settings). */
export function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/** Spawns `newsflow <args>` (serve by default) and collects its output. */
export function spawnNewsflow(env: Record<string, string>, args: string[] = ['serve']): ServerProcess & { port: number } {
  return spawnServer(['--import', 'tsx', MAIN, ...args], env);
}

/** Spawns Node with `argv` (the CLI from source, or the built bin/newsflow.mjs) and collects its output. */
export function spawnServer(argv: string[], env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, argv, { cwd: REPO, env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const port = Number(env.PORT ?? 0);
  return { child, port, file: env.NEWSFLOW_DATA ?? '', url: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited };
}

/** Starts a server on a free port and a fresh store; resolves once it listens. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const file = env.NEWSFLOW_DATA ?? join(tempDir('newsflow-server-'), 'newsflow.db');
  const p = spawnNewsflow({ HOST: '127.0.0.1', PORT: String(port), NEWSFLOW_DATA: file, ...env });
  await waitFor(() => /listening on/.test(p.stdout()), 30_000, p);
  return p;
}

/** Waits until `ok()` holds; fails with the server's output when it does not in time or the server exits. */
export async function waitFor(ok: () => boolean, ms: number, p?: ServerProcess): Promise<void> {
  const until = Date.now() + ms;
  let gone = false;
  void p?.exited.then(() => {
    gone = true;
  });
  while (!ok()) {
    if (gone || Date.now() > until) {
      throw new Error(`${gone ? 'the server exited' : 'timed out'}; stdout:\n${p?.stdout()}\nstderr:\n${p?.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The demo key of a role, from the framed block the server printed. */
export function demoKey(stdout: string, role: string): string {
  const m = new RegExp(`│\\s+${role}\\s+(nf_\\S+)`).exec(stdout);
  if (!m) throw new Error(`no ${role} key in:\n${stdout}`);
  return m[1];
}

/** Runs a CLI command to completion. */
export function runCli(env: Record<string, string>, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, env: serverEnv(env), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
