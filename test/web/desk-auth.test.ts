// Sign-in, sessions and CSRF of the desk over real HTTP on a real store: what a signed-out visitor
// reaches (nothing but the sign-in page), cookie flags, CSRF refusals, rate limits per account and per
// address (agreed by two processes' worth of services on one file), idle and absolute expiry,
// deactivation and sign-out everywhere ending sessions at once, roles, one-time passwords, hostile names.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Accounts } from '../../src/flow/accounts.ts';
import { SignInLimitError } from '../../src/model/users.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { client, DESK_PASSWORD, signInHttp, startDesk, type DeskFixture } from './desk-fixture.ts';

const DESK_PATHS = [
  '/desk',
  '/desk/',
  '/desk/account',
  '/desk/password',
  '/desk/admin/users',
  '/desk/no-such-page',
  '/desk/stories',
  '/desk/stories/new',
  '/desk/stories/some-id',
  '/desk/stories/some-id/edit',
  '/desk/stories/some-id/preview',
  '/desk/stories/some-id/kill',
  '/desk/admin/products',
  '/desk/admin/subscribers',
  '/desk/admin/leads',
  '/desk/audit',
  '/desk/stories?status=submitted',
  '/desk/search',
  '/desk/search?q=x',
  '/desk/wire/stream',
  '/desk?language=ar',
];

describe('desk sign-in over HTTP', () => {
  let d: DeskFixture;
  before(async () => {
    d = await startDesk({ NEWSFLOW_SIGN_IN_LIMIT_ACCOUNT: '3/600', NEWSFLOW_SIGN_IN_LIMIT_ADDRESS: '6/600' });
  });
  after(async () => d.close());

  it('every desk page sends a signed-out visitor to the sign-in page', async () => {
    for (const path of DESK_PATHS) {
      const r = await fetch(d.url + path, { redirect: 'manual' });
      assert.equal(r.status, 303, path);
      assert.match(r.headers.get('location') ?? '', /^\/desk\/sign-in(\?next=|$)/, path);
    }
    const r = await fetch(`${d.url}/desk/admin/users`, { redirect: 'manual' });
    assert.equal(r.headers.get('location'), '/desk/sign-in?next=%2Fdesk%2Fadmin%2Fusers');
    const page = await fetch(`${d.url}/desk/sign-in`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post" action="\/desk\/sign-in"/);
  });

  it('signs in, lands on the page asked for, never on another site', async () => {
    const c = client(d.url);
    await c.get('/desk/sign-in?next=%2Fdesk%2Faccount');
    let r = await c.post('/desk/sign-in', { email: d.users.editor.email.toUpperCase(), password: DESK_PASSWORD, next: '/desk/account' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/desk/account');
    assert.equal((await c.get('/desk')).status, 200);
    const evil = client(d.url);
    await evil.get('/desk/sign-in');
    r = await evil.post('/desk/sign-in', { email: d.users.editor.email, password: DESK_PASSWORD, next: '//evil.example/desk' });
    assert.equal(r.headers.get('location'), '/desk');
  });

  it('the session cookie is HttpOnly and SameSite=Lax, not Secure over plain http', async () => {
    const r = await fetch(`${d.url}/desk/sign-in`);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('newsflow_session='));
    assert.ok(cookie, 'the sign-in page starts a session for its CSRF secret');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.doesNotMatch(cookie, /; Secure/);
  });

  it('a wrong password is answered next to the password field', async () => {
    const c = client(d.url);
    await c.get('/desk/sign-in');
    const r = await c.post('/desk/sign-in', { email: d.users.reporter.email, password: 'not the password' });
    assert.equal(r.status, 401);
    const body = await r.text();
    assert.match(
      body,
      /aria-describedby="f-password-error" aria-invalid="true">\s*<p class="error" id="f-password-error" role="alert">The e-mail or the password is not right\.<\/p>/,
    );
    assert.match(body, /value="reporter-\d+@agency\.test"/, 'the e-mail stays filled in');
    const empty = await c.post('/desk/sign-in', { email: ' ', password: 'x' });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /id="f-email-error" role="alert">Enter the e-mail address you sign in with\.</);
    await d.rt.store.users.clearFailedSignIns(`account:${d.users.reporter.email}`);
  });

  it('CSRF: a state-changing POST without a token or with a wrong one is refused and changes nothing', async () => {
    const c = await signInHttp(d.url, d.users.admin.email, DESK_PASSWORD);
    const noToken = await fetch(`${d.url}/desk/account`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Changed&language=ar',
    });
    assert.equal(noToken.status, 403);
    assert.match(await noToken.text(), /This form has expired or did not come from the desk/);
    const wrong = await c.post('/desk/account', { _csrf: 'forged-token', name: 'Changed', language: 'ar' });
    assert.equal(wrong.status, 403);
    const other = client(d.url);
    await other.get('/desk/sign-in');
    const foreign = await c.post('/desk/account', { _csrf: other.csrf, name: 'Changed', language: 'ar' });
    assert.equal(foreign.status, 403, "another session's token is no good");
    assert.equal((await d.rt.store.users.get(d.users.admin.user.id))!.name, d.users.admin.user.name);
    await c.get('/desk/account');
    const header = await fetch(`${d.url}/desk/account`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': c.csrf },
      body: `name=${encodeURIComponent(d.users.admin.user.name)}&language=en`,
    });
    assert.equal(header.status, 303, 'scripts send the token in x-csrf-token');
    const signInNoToken = await fetch(`${d.url}/desk/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${d.users.admin.email}&password=${DESK_PASSWORD}`,
    });
    assert.equal(signInNoToken.status, 403, 'the sign-in form is protected too (no login CSRF)');
  });

  it('rate limit per account: the fourth failure is refused, even with the right password, with a clear message; another process sees it', async () => {
    const target = await d.addUser('editor');
    const c = client(d.url);
    await c.get('/desk/sign-in');
    for (let i = 0; i < 3; i++) assert.equal((await c.post('/desk/sign-in', { email: target.email, password: `wrong-${i}-password` })).status, 401);
    const r = await c.post('/desk/sign-in', { email: target.email, password: DESK_PASSWORD });
    assert.equal(r.status, 429);
    assert.match(await r.text(), /Too many failed sign-ins for this account\. Try again in 10 minute\(s\)\./);
    assert.equal(r.headers.get('retry-after'), '600');
    // A second runtime on the same store (another server process) counts the same failures.
    const other = await openRuntime(d.store);
    try {
      await assert.rejects(
        new Accounts(other.store, { perAccount: { max: 3, windowMs: 600_000 } }).authenticate(target.email, DESK_PASSWORD, '10.0.0.9'),
        SignInLimitError,
      );
    } finally {
      await other.close();
    }
    // Other accounts from the same address still sign in.
    await signInHttp(d.url, d.users.editor.email, DESK_PASSWORD);
  });

  it('rate limit per address: failures across accounts from one address are refused with the address message', async () => {
    const addr = { 'x-forwarded-for': 'ignored' }; // Fastify without trustProxy: the socket address counts
    const c = client(d.url);
    await c.get('/desk/sign-in');
    // The previous test left 3 failures from 127.0.0.1; three more reach the limit of six.
    for (let i = 0; i < 3; i++) await c.post('/desk/sign-in', { email: `nobody-${i}@agency.test`, password: 'wrong password' }, addr);
    const r = await c.post('/desk/sign-in', { email: d.users.admin.email, password: DESK_PASSWORD }, addr);
    assert.equal(r.status, 429);
    assert.match(await r.text(), /Too many failed sign-ins from this address/);
    await d.rt.store.users.clearFailedSignIns('address:127.0.0.1');
  });

  it('deactivation ends an open session at once, and the account cannot sign in', async () => {
    const victim = await d.addUser('editor');
    const session = await signInHttp(d.url, victim.email, DESK_PASSWORD);
    assert.equal((await session.get('/desk')).status, 200);
    const admin = await signInHttp(d.url, d.users.admin.email, DESK_PASSWORD);
    await admin.get('/desk/admin/users');
    assert.equal((await admin.post(`/desk/admin/users/${victim.user.id}/deactivate`)).status, 303);
    const r = await session.get('/desk');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location')!, /^\/desk\/sign-in/);
    const again = client(d.url);
    await again.get('/desk/sign-in');
    const refused = await again.post('/desk/sign-in', { email: victim.email, password: DESK_PASSWORD });
    assert.equal(refused.status, 401);
    assert.match(await refused.text(), /This account is deactivated/);
    await admin.get('/desk/admin/users');
    assert.equal((await admin.post(`/desk/admin/users/${victim.user.id}/reactivate`)).status, 303);
    await signInHttp(d.url, victim.email, DESK_PASSWORD);
  });

  it('sign-out ends this session; sign-out everywhere ends every session of the user', async () => {
    const u = await d.addUser('reporter');
    const a = await signInHttp(d.url, u.email, DESK_PASSWORD);
    const b = await signInHttp(d.url, u.email, DESK_PASSWORD);
    const other = await signInHttp(d.url, d.users.reporter.email, DESK_PASSWORD);
    await a.get('/desk/account');
    const r = await a.post('/desk/sign-out-everywhere');
    assert.equal(r.headers.get('location'), '/desk/sign-in?notice=everywhere');
    assert.equal((await a.get('/desk')).status, 303);
    assert.equal((await b.get('/desk')).status, 303);
    assert.equal((await other.get('/desk')).status, 200, "someone else's session goes on");
    await other.get('/desk');
    assert.equal((await other.post('/desk/sign-out')).status, 303);
    assert.equal((await other.get('/desk')).status, 303);
  });

  it('a reporter and an editor cannot reach user administration (403), an admin can', async () => {
    for (const role of ['reporter', 'editor'] as const) {
      const c = await signInHttp(d.url, d.users[role].email, DESK_PASSWORD);
      const page = await c.get('/desk/admin/users');
      assert.equal(page.status, 403, role);
      assert.match(await page.text(), /Your role does not allow this page/);
      assert.doesNotMatch(await (await c.get('/desk')).text(), /href="\/desk\/admin\/users"/, 'no Admin link for them');
      await c.get('/desk');
      const post = await c.post('/desk/admin/users', { email: 'sneaky@agency.test', name: 'Sneaky', role: 'admin', language: 'en' });
      assert.equal(post.status, 403, role);
      assert.equal(await d.rt.store.users.getByEmail('sneaky@agency.test'), null);
    }
    const admin = await signInHttp(d.url, d.users.admin.email, DESK_PASSWORD);
    assert.equal((await admin.get('/desk/admin/users')).status, 200);
  });

  it('user administration checks every field and answers next to it; an admin cannot demote themselves', async () => {
    const admin = await signInHttp(d.url, d.users.admin.email, DESK_PASSWORD);
    await admin.get('/desk/admin/users');
    let r = await admin.post('/desk/admin/users', { email: 'not an address', name: 'X', role: 'editor', language: 'en' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /id="f-email-error" role="alert">enter an e-mail address/);
    await admin.get('/desk/admin/users');
    r = await admin.post('/desk/admin/users', { email: d.users.editor.email, name: 'X', role: 'editor', language: 'en' });
    assert.equal(r.status, 409);
    assert.match(await r.text(), /id="f-email-error" role="alert">a user with the e-mail/);
    await admin.get('/desk/admin/users');
    r = await admin.post('/desk/admin/users', { email: 'x@agency.test', name: 'X', role: 'boss', language: 'en' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /id="f-role-error" role="alert">choose reporter, editor or administrator/);
    await admin.get('/desk/admin/users');
    r = await admin.post(`/desk/admin/users/${d.users.admin.user.id}/role`, { role: 'reporter' });
    assert.equal(r.status, 400);
    assert.equal((await d.rt.store.users.get(d.users.admin.user.id))!.role, 'admin');
    await admin.get('/desk/admin/users');
    r = await admin.post(`/desk/admin/users/${d.users.reporter.user.id}/role`, { role: 'editor' });
    assert.equal(r.status, 303);
    assert.equal((await d.rt.store.users.get(d.users.reporter.user.id))!.role, 'editor');
    await admin.get('/desk/admin/users');
    await admin.post(`/desk/admin/users/${d.users.reporter.user.id}/role`, { role: 'reporter' });
  });

  it('a one-time password (new user, reset) must be changed before any desk page', async () => {
    const admin = await signInHttp(d.url, d.users.admin.email, DESK_PASSWORD);
    await admin.get('/desk/admin/users');
    const created = await admin.post('/desk/admin/users', { email: 'New.Person@Agency.test', name: 'New Person', role: 'reporter', language: 'ar' });
    assert.equal(created.status, 201);
    const otp = /data-testid="one-time-password">([^<]+)</.exec(await created.text())![1];
    const c = client(d.url);
    await c.get('/desk/sign-in');
    const r = await c.post('/desk/sign-in', { email: 'new.person@agency.test', password: otp });
    assert.equal(r.headers.get('location'), '/desk/password');
    const desk = await c.get('/desk');
    assert.equal(desk.status, 303);
    assert.equal(desk.headers.get('location'), '/desk/password');
    await c.get('/desk/password');
    let change = await c.post('/desk/password', { current: 'wrong', next: 'a brand new password', repeat: 'a brand new password' });
    assert.equal(change.status, 400);
    assert.match(await change.text(), /id="f-current-error" role="alert">the current password is not right/);
    await c.get('/desk/password');
    change = await c.post('/desk/password', { current: otp, next: 'short', repeat: 'short' });
    assert.match(await change.text(), /id="f-next-error" role="alert">a password needs at least 10 characters/);
    await c.get('/desk/password');
    change = await c.post('/desk/password', { current: otp, next: 'a brand new password', repeat: 'a brand new password' });
    assert.equal(change.status, 303);
    assert.equal((await c.get('/desk')).status, 200);
    // A reset gives a new one-time password and ends the user's sessions.
    await admin.get('/desk/admin/users');
    const id = (await d.rt.store.users.getByEmail('new.person@agency.test'))!.id;
    const reset = await admin.post(`/desk/admin/users/${id}/reset-password`);
    assert.equal(reset.status, 200);
    const otp2 = /data-testid="one-time-password">([^<]+)</.exec(await reset.text())![1];
    assert.notEqual(otp2, otp);
    assert.equal((await c.get('/desk')).status, 303);
    const again = client(d.url);
    await again.get('/desk/sign-in');
    assert.equal((await again.post('/desk/sign-in', { email: 'new.person@agency.test', password: otp2 })).headers.get('location'), '/desk/password');
  });

  it('the account page changes the own name and interface language; the desk follows (Arabic: right to left)', async () => {
    const u = await d.addUser('editor');
    const c = await signInHttp(d.url, u.email, DESK_PASSWORD);
    await c.get('/desk/account');
    let r = await c.post('/desk/account', { name: ' ', language: 'ar' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /id="f-name-error" role="alert">a name is required/);
    await c.get('/desk/account');
    r = await c.post('/desk/account', { name: 'نور', language: 'xx' });
    assert.equal(r.status, 400);
    await c.get('/desk/account');
    r = await c.post('/desk/account', { name: 'نور', language: 'ar' });
    assert.equal(r.headers.get('location'), '/desk/account?saved=1');
    const page = await (await c.get('/desk')).text();
    assert.match(page, /<html lang="ar" dir="rtl">/);
    assert.match(page, /<bdi>نور<\/bdi>/);
  });

  it("a subscriber's seat does not sign in at the desk", async () => {
    await d.accounts.add({ email: 'seat@paper.test', role: 'seat', subscriberId: 'sub-1', password: DESK_PASSWORD });
    const c = client(d.url);
    await c.get('/desk/sign-in');
    const r = await c.post('/desk/sign-in', { email: 'seat@paper.test', password: DESK_PASSWORD });
    assert.equal(r.status, 403);
    assert.match(await r.text(), /This account does not sign in here\./);
    assert.equal((await c.get('/desk')).status, 303);
  });

  it('hostile names and e-mails render inert on every page that shows them', async () => {
    const hostile = '<script>alert(1)</script>\u202Egnp.exe<img src=x onerror=alert(2)>';
    const u = await d.addUser('admin', { name: hostile });
    const c = await signInHttp(d.url, u.email, DESK_PASSWORD);
    for (const path of ['/desk', '/desk/admin/users', '/desk/account']) {
      const body = await (await c.get(path)).text();
      assert.ok(!body.includes('<script>') && !body.includes('<img src=x'), path);
      assert.ok(!body.includes('\u202E'), `${path}: no bidi override survives`);
      assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    }
    await c.get('/desk/admin/users');
    const r = await c.post('/desk/admin/users', { email: '"><script>x</script>@a.b', name: hostile, role: 'editor', language: 'en' });
    assert.equal(r.status, 400);
    const body = await r.text();
    assert.ok(!body.includes('<script>'));
  });
});

describe('desk session expiry', () => {
  it('a session unused for longer than the idle time ends; use keeps it alive', async () => {
    const d = await startDesk({ NEWSFLOW_SESSION_IDLE_MINUTES: '0.025' }); // 1.5 s
    try {
      const c = await signInHttp(d.url, d.users.editor.email, DESK_PASSWORD);
      for (let i = 0; i < 6; i++) {
        assert.equal((await c.get('/desk')).status, 200, `still signed in after ${i * 0.5} s of use`);
        await sleep(500);
      }
      await sleep(2000);
      const r = await c.get('/desk');
      assert.equal(r.status, 303);
      assert.match(r.headers.get('location')!, /^\/desk\/sign-in/);
    } finally {
      await d.close();
    }
  });

  it('a session ends at the absolute limit however much it is used; the cookie says so too', async () => {
    const d = await startDesk({ NEWSFLOW_SESSION_MAX_HOURS: '0.0005' }); // 1.8 s
    try {
      const c = client(d.url);
      await c.get('/desk/sign-in');
      const signIn = await c.post('/desk/sign-in', { email: d.users.editor.email, password: DESK_PASSWORD });
      const cookie = signIn.headers.getSetCookie().find((x) => x.startsWith('newsflow_session='))!;
      const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
      assert.ok(expires - Date.now() < 3000, 'the cookie expires with the session');
      let status = 200;
      const t0 = Date.now();
      while (status === 200 && Date.now() - t0 < 5000) {
        status = (await fetch(`${d.url}/desk`, { redirect: 'manual', headers: { cookie: c.cookie } })).status;
        await sleep(300);
      }
      assert.equal(status, 303);
      const lasted = Date.now() - t0;
      assert.ok(lasted >= 1200 && lasted < 4000, `ended after ${lasted} ms`);
    } finally {
      await d.close();
    }
  });

  it('with an https public address the session cookie is Secure', async () => {
    const d = await startDesk({ NEWSFLOW_PUBLIC_URL: 'https://news.example.org' });
    try {
      const r = await fetch(`${d.url}/desk/sign-in`);
      const cookie = r.headers.getSetCookie().find((c) => c.startsWith('newsflow_session='))!;
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Secure/);
    } finally {
      await d.close();
    }
  });
});
