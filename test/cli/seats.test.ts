// `newsflow seat add` as an operator runs it (real processes on a real store file), within the
// subscriber's seat limit (the demo's seat is checked with the demo desk users in users.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Accounts } from '../../src/flow/accounts.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { REPO, storeEnv, tempDbFile } from '../helpers.ts';
import { MAIN, runCli, serverEnv } from '../server/process.ts';

describe('newsflow seat add', () => {
  // A SQLite file, or a PostgreSQL database with NEWSFLOW_TEST_STORE=postgres.
  const file = tempDbFile();
  const env = storeEnv(file);

  it('adds seats of a subscriber with a one-time password, up to its seat limit', async () => {
    const rt = await openRuntime(file);
    const sys = { type: 'system' as const, id: 'system', name: 'test' };
    const p = await rt.admin.createProduct(sys, { name: 'Everything' });
    const sub = await rt.admin.createSubscriber(sys, { name: 'Gazette', products: [p.id], seatLimit: 2 });
    await rt.close();
    const r = runCli(env, ['seat', 'add', 'Editor@Gazette.test', '--subscriber', sub.id, '--admin', '--name', 'Gazette Editor', '--language', 'tr']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}\n$/);
    assert.match(r.stderr, new RegExp(`added seat-admin editor@gazette\\.test .* of subscriber ${sub.id}`));
    const check = await openRuntime(file);
    try {
      const user = await new Accounts(check.store).authenticate('editor@gazette.test', r.stdout.trim(), '127.0.0.1');
      assert.equal(user.role, 'seat-admin');
      assert.equal(user.subscriberId, sub.id);
      assert.equal(user.language, 'tr');
      assert.equal(user.mustChangePassword, true);
    } finally {
      await check.close();
    }
    const piped = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'seat', 'add', 'reader@gazette.test', '--subscriber', sub.id, '--password-stdin'], {
      cwd: REPO,
      env: serverEnv(env),
      input: 'a chosen seat password\n',
      encoding: 'utf8',
    });
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, '');
    const full = runCli(env, ['seat', 'add', 'third@gazette.test', '--subscriber', sub.id]);
    assert.equal(full.status, 1);
    assert.match(full.stderr, /--subscriber: .*all 2 of its seats in use/);
    const none = runCli(env, ['seat', 'add', 'x@gazette.test', '--subscriber', 'nope']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /--subscriber: no subscriber nope/);
  });
});
