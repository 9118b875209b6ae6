// The subscriber flow and the newsroom on PostgreSQL, end to end: a chosen set of the HTTP and flow test
// files, run as they are with NEWSFLOW_TEST_STORE=postgres (tempDbFile() then hands each a new database of
// the tests' cluster, see test/helpers.ts). The contract suites compare the stores method by method; these
// catch what only shows through the whole server: the hub woken by another process's NOTIFY, a pool shared
// by the feed, the stream and the webhook worker, a crash in the middle of a group commit.
// Files that reach into SQLite (store.db, file paths) or need search (not on PostgreSQL yet) are not here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { it } from 'node:test';
import { REPO } from '../helpers.ts';
import { testCluster } from '../postgres.ts';

/**
 * Each file passes on both stores; on SQLite `npm test` runs it by itself as well. Two at a time, they take
 * about 70 s on two cores already loaded seven times over (most of it waiting on heartbeats and idle
 * sessions, not on the CPU); `npm test`'s --test-timeout (180 s) bounds this file as a whole.
 */
const POSTGRES_SUITES = [
  'test/flow/newsroom.test.ts',
  'test/flow/durability.test.ts',
  'test/http/feed-basics.test.ts',
  'test/http/feed-cross-process.test.ts',
  'test/http/follow-ups-after-pruning.test.ts',
  'test/http/stream-resume.test.ts',
  'test/http/stream-websocket.test.ts',
  'test/http/webhook-delivery.test.ts',
  'test/http/entitlement-matrix.test.ts',
  'test/http/subscriber-admin.test.ts',
  'test/http/desk-api.test.ts',
  'test/web/desk-auth.test.ts',
  'test/http/stories.test.ts',
  'test/http/formats.test.ts',
  'test/http/search.test.ts',
];

it('the feed, stream, webhook, entitlement, newsroom and desk sign-in suites pass on PostgreSQL', async () => {
  testCluster(); // no cluster: fails at once with the command that starts one
  // Without NODE_TEST_CONTEXT the child is a test run of its own, not a file of this one.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', '--test-reporter=spec', ...POSTGRES_SUITES],
    { cwd: REPO, env: { ...env, NEWSFLOW_TEST_STORE: 'postgres' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const code = await new Promise<number | null>((r) => child.once('close', r));
  const count = (name: string) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(out)?.[1] ?? Number.NaN);
  // The spec reporter ends with the failures again, each with its file: that part is the message.
  const failures = out.includes('✖ failing tests:') ? out.slice(out.indexOf('✖ failing tests:')) : out.slice(-4000);
  assert.equal(code, 0, `the suites failed on PostgreSQL:\n${failures}`);
  assert.ok(count('pass') > 0, `no test ran:\n${out.slice(-2000)}`);
  assert.deepEqual(
    { fail: count('fail'), cancelled: count('cancelled'), skipped: count('skipped'), todo: count('todo') },
    { fail: 0, cancelled: 0, skipped: 0, todo: 0 },
    'every test ran and passed',
  );
});
