// PostgreSQL for the tests: a fresh database of its own per call, in the throwaway cluster that
// scripts/test-tools.sh starts before `npm test` (scripts/test-postgres.mjs). No mocks: a real server.
// A test that restarts or stops PostgreSQL starts a private cluster instead (`privateCluster`).
import { after } from 'node:test';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script shared with test-tools.sh, typed here by use.
import { pgCtl, removeCluster, sharedCluster, startCluster } from '../scripts/test-postgres.mjs';
import { tempDir } from './helpers.ts';
import { createServer } from 'node:net';

export interface ClusterInfo {
  url: string;
  dir: string;
  data: string;
  port: number;
  bin: string;
  runAs: string | null;
}

/** The shared test cluster; fails with the command to run when it is not up (never a silent skip). */
export function testCluster(): ClusterInfo {
  const info = sharedCluster() as ClusterInfo | null;
  if (!info) throw new Error('no PostgreSQL for the tests: run `bash scripts/test-tools.sh` (npm test does it first)');
  return info;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * Creates an empty database and returns its URL; it is dropped when the test process ends. Several
 * `freshDatabase()` calls in one file give several databases.
 */
export async function freshDatabase(cluster: ClusterInfo = testCluster()): Promise<string> {
  const name = `nf_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  // Dropped when the test process ends, not with after(): inside a suite's before hook, after() runs as
  // soon as the hook ends, and the suite would meet a dropped database.
  process.once('exit', () => {
    try {
      execFileSync(join(cluster.bin, 'psql'), [cluster.url, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'ignore' });
    } catch {
      // the cluster went away with the test (a private one): nothing to drop
    }
  });
  return withDatabase(cluster.url, name);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A cluster of the calling test's own (for restarts and stops), removed when the test file ends. */
export async function privateCluster(): Promise<ClusterInfo & { ctl: (action: string, ...args: string[]) => string }> {
  // mkdtemp makes the folder 0700: as root the cluster runs as the postgres user, which must reach into it.
  const parent = tempDir('newsflow-pg-');
  chmodSync(parent, 0o755);
  const info = startCluster({ dir: join(parent, 'cluster'), port: await freePort() }) as ClusterInfo;
  after(() => removeCluster(info));
  return { ...info, ctl: (action: string, ...args: string[]) => pgCtl(info, action, ...args) as string };
}
