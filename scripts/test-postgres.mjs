// Throwaway PostgreSQL clusters for the tests: Debian's `postgresql` binaries, initdb into a folder of
// their own, a server on loopback with trust authentication, nothing installed system-wide. The shared
// cluster that `npm test` uses is started by scripts/test-tools.sh (`node scripts/test-postgres.mjs start`)
// and described in <dir>/cluster.json; fault tests that restart or stop the server start a private one
// with `startCluster` so that they never disturb the other tests.
// initdb and postgres refuse to run as root: as root they run as the `postgres` user Debian's package makes.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the shared test cluster lives and listens (NEWSFLOW_TEST_PG_DIR / NEWSFLOW_TEST_PG_PORT). */
export const SHARED_DIR = process.env.NEWSFLOW_TEST_PG_DIR ?? join(tmpdir(), 'newsflow-test-pg');
export const SHARED_PORT = Number(process.env.NEWSFLOW_TEST_PG_PORT ?? 54329);

/** The newest PostgreSQL's bin folder, or null when Debian's postgresql package is not installed. */
export function pgBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions.at(-1), 'bin') : null;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as the `postgres` user when we are root. */
function run(bin, args, opts = {}) {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();
}

function owned(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
}

/** True when a server answers on 127.0.0.1:port. */
export function isReady(port) {
  const bin = pgBin();
  if (!bin) return false;
  return spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']).status === 0;
}

/**
 * Starts (creating if needed) a cluster in `dir` listening on 127.0.0.1:`port`; returns its description.
 * synchronous_commit stays on (the default): an acknowledged commit is durable, as in production.
 */
export function startCluster({ dir, port, settings = {} }) {
  const bin = pgBin();
  if (!bin) throw new Error('PostgreSQL is not installed. Run: sudo apt-get install -y postgresql');
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    rmSync(dir, { recursive: true, force: true });
    owned(dir);
    run(join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  }
  owned(dir);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=400',
    '-c shared_buffers=64MB',
    ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
  ].join(' ');
  const info = { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, data, port, bin, runAs: asRoot ? 'postgres' : null };
  if (!isReady(port)) run(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** `pg_ctl restart -m fast` (or another pg_ctl action: stop, start) on a cluster that startCluster made. */
export function pgCtl(info, action, ...args) {
  // A (re)started server writes to the log file: left on our pipe, it would keep execFileSync waiting forever.
  const log = action === 'start' || action === 'restart' ? ['-l', join(info.dir, 'server.log')] : [];
  return run(join(info.bin, 'pg_ctl'), ['-D', info.data, '-w', '-t', '60', ...log, action, ...args]);
}

/** Stops a cluster and removes its folder. */
export function removeCluster(info) {
  try {
    pgCtl(info, 'stop', '-m', 'immediate');
  } catch {
    // already stopped
  }
  rmSync(info.dir, { recursive: true, force: true });
}

/** The shared cluster's description, or null when `npm test`'s pretest has not started it. */
export function sharedCluster() {
  const file = join(SHARED_DIR, 'cluster.json');
  if (!existsSync(file)) return null;
  const info = JSON.parse(readFileSync(file, 'utf8'));
  return isReady(info.port) ? info : null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const action = process.argv[2];
  if (action === 'start') {
    const info = startCluster({ dir: SHARED_DIR, port: SHARED_PORT });
    console.error(`test-postgres: PostgreSQL for the tests at ${info.url} (data in ${info.data})`);
  } else if (action === 'stop') {
    const info = sharedCluster();
    if (info) removeCluster(info);
  } else {
    console.error('usage: node scripts/test-postgres.mjs start|stop');
    process.exit(2);
  }
}
