// The portal's frame: seats sign in at /portal/sign-in and land on the wire; staff cannot; no portal
// page without sign-in; navigation by role; the frame is right to left in Arabic.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, signInPortalHttp, startPortal, type PortalFixture } from './portal-fixture.ts';

let f: PortalFixture;
before(async () => {
  f = await startPortal();
});
after(async () => f.close());

test('a seat signs in at /portal and lands on the wire; seats nav only for seat admins', async () => {
  const sub = await f.addSubscriber('Daily', { languages: ['en'] });
  const seat = await f.addSeat(sub.id);
  const admin = await f.addSeat(sub.id, { role: 'seat-admin', language: 'ar' });
  const c = await signInPortalHttp(f.url, seat.email, seat.password);
  const r = await c.get('/portal');
  assert.equal(r.status, 200);
  const body = await r.text();
  assert.match(body, /<html lang="en" dir="ltr">/);
  assert.doesNotMatch(body, /href="\/portal\/seats"/);
  const a = await signInPortalHttp(f.url, admin.email, admin.password);
  const ab = await (await a.get('/portal')).text();
  assert.match(ab, /<html lang="ar" dir="rtl">/);
  assert.match(ab, /href="\/portal\/seats"/);
});

test('staff cannot sign in to the portal and no portal page opens without sign-in', async () => {
  const c = client(f.url);
  await c.get('/portal/sign-in');
  const r = await c.post('/portal/sign-in', { email: f.users.editor.email, password: f.users.editor.password });
  assert.equal(r.status, 403);
  assert.match(await r.text(), /<h1>Sign in to the portal<\/h1>/);
  for (const path of [
    '/portal',
    '/portal/account',
    '/portal/nothing-here',
    '/portal/live',
    '/portal/search?q=x',
    '/portal/seats',
    '/portal/stories/01aaaaaaaaaaaaaaaaaaaaaaaa',
    '/portal/stories/01aaaaaaaaaaaaaaaaaaaaaaaa/download/newsml',
    '/portal/stories/01aaaaaaaaaaaaaaaaaaaaaaaa/versions/1',
  ]) {
    const g = await client(f.url).get(path);
    assert.equal(g.status, 303, path);
    assert.match(g.headers.get('location') ?? '', /^\/portal\/sign-in/);
  }
});
