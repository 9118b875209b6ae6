// `newsflow user add|list` as an operator runs them (real processes on a real store file), and the demo
// desk users a first start prints beside the demo keys, signed in with over HTTP.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Accounts } from '../../src/flow/accounts.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { REPO, storeEnv, tempDbFile } from '../helpers.ts';
import { MAIN, runCli, serverEnv, startServerProcess } from '../server/process.ts';
import { signInHttp } from '../web/desk-fixture.ts';
import { signInPortalHttp } from '../web/portal-fixture.ts';

async function canSignIn(file: string, email: string, password: string) {
  const rt = await openRuntime(file);
  try {
    return await new Accounts(rt.store).authenticate(email, password, '127.0.0.1');
  } finally {
    await rt.close();
  }
}

describe('newsflow user', () => {
  // A SQLite file, or a PostgreSQL database with NEWSFLOW_TEST_STORE=postgres.
  const file = tempDbFile();
  const env = storeEnv(file);

  it('user add prints a one-time password that signs in and must be changed', async () => {
    const r = runCli(env, ['user', 'add', 'Desk.Editor@Agency.test', '--role', 'editor', '--name', 'Desk Editor', '--language', 'ar']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}\n$/);
    assert.match(r.stderr, /added editor desk\.editor@agency\.test/);
    const user = await canSignIn(file, 'desk.editor@agency.test', r.stdout.trim());
    assert.equal(user.mustChangePassword, true);
    assert.equal(user.language, 'ar');
    assert.equal(user.name, 'Desk Editor');
  });

  it('user add --password-stdin takes the password from stdin, and a piped stdin is read without the flag', async () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'user', 'add', 'admin@agency.test', '--role', 'admin', '--password-stdin'], {
      cwd: REPO,
      env: serverEnv(env),
      input: 'a chosen admin password\n',
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '', 'nothing to print: the password was given');
    assert.equal((await canSignIn(file, 'admin@agency.test', 'a chosen admin password')).mustChangePassword, false);
    const piped = spawnSync(
      'bash',
      ['-c', `printf %s 'piped reporter password' | "${process.execPath}" --import tsx "${MAIN}" user add reporter@agency.test --role reporter`],
      {
        cwd: REPO,
        env: serverEnv(env),
        encoding: 'utf8',
      },
    );
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, '');
    assert.equal((await canSignIn(file, 'reporter@agency.test', 'piped reporter password')).role, 'reporter');
  });

  it('refuses bad input with a line naming the rule and stores nothing', () => {
    const cases: [string[], RegExp, string?][] = [
      [['user', 'add', 'x@agency.test', '--role', 'boss'], /--role must be one of reporter, editor, admin/],
      [['user', 'add', 'not-an-address', '--role', 'editor'], /enter an e-mail address/],
      [['user', 'add', 'admin@agency.test', '--role', 'editor'], /already exists/],
      [['user', 'add', 'y@agency.test', '--role', 'editor', '--language', 'fr'], /not an interface language/],
      [['user', 'add', 'z@agency.test', '--role', 'editor', '--password-stdin'], /a password needs at least 10 characters/, 'short'],
    ];
    for (const [args, message, input] of cases) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, env: serverEnv(env), input: input ?? '', encoding: 'utf8' });
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, message);
    }
    const list = runCli(env, ['user', 'list', '--json']);
    assert.deepEqual(
      JSON.parse(list.stdout)
        .map((u: { email: string }) => u.email)
        .sort(),
      ['admin@agency.test', 'desk.editor@agency.test', 'reporter@agency.test'],
    );
    const text = runCli(env, ['user', 'list']);
    assert.match(text.stdout, /admin\s+admin@agency\.test/);
    assert.doesNotMatch(text.stdout, /\$argon2/);
  });
});

describe('demo desk users', () => {
  it('a first start prints one user per staff role with a password that signs in at /desk', async () => {
    const p = await startServerProcess({ NEWSFLOW_QUIET: '1' });
    try {
      const out = p.stdout();
      assert.match(out, /demo desk users \(e-mail, password\), shown only this once/);
      for (const role of ['reporter', 'editor', 'admin']) {
        const m = new RegExp(`│\\s+${role}\\s+(${role}@demo\\.newsflow\\.test)\\s+(\\S+)`).exec(out);
        assert.ok(m, `${role} in:\n${out}`);
        const c = await signInHttp(p.url, m[1], m[2]);
        assert.equal((await c.get('/desk')).status, 200);
      }
      // And one seat administrator of the demo subscriber, who signs in at /portal and sees the demo stories.
      assert.match(out, /demo subscriber portal seat \(e-mail, password\), shown only this once/);
      const seat = /│\s+seat-admin\s+(seat@demo\.newsflow\.test)\s+(\S+)/.exec(out);
      assert.ok(seat, out);
      const portal = await signInPortalHttp(p.url, seat[1], seat[2]);
      const wire = await portal.get('/portal');
      assert.equal(wire.status, 200);
      assert.match(await wire.text(), /data-story="/);
    } finally {
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).code, 0);
    }
  });
});
