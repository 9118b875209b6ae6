// Seats: a seat administrator manages its subscriber's seats within the seat limit the agency set; a
// seat of subscriber A reaches nothing of B's (404, not 403); a deactivated seat stops at once, its
// open live wire too; hostile names render inert; reading and downloading count in the usage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { userActor } from '../../src/model/users.ts';
import { sampleContent } from '../helpers.ts';
import { signInPortalHttp, startPortal, type PortalFixture } from './portal-fixture.ts';

let f: PortalFixture;
before(async () => {
  f = await startPortal();
});
after(async () => f.close());

describe('portal seats', () => {
  it('a seat admin adds seats within the limit, the one-time password shown once and working', async () => {
    const sub = await f.addSubscriber('Limited', {}, { seatLimit: 2 });
    const admin = await f.addSeat(sub.id, { role: 'seat-admin' });
    const c = await signInPortalHttp(f.url, admin.email, admin.password);
    const page = await c.get('/portal/seats');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /1 of 2 seats in use/);
    const added = await c.post('/portal/seats', { email: 'new.seat@subscriber.test', name: '<img src=x onerror=alert(1)>', role: 'seat', language: 'tr' });
    assert.equal(added.status, 201);
    const body = await added.text();
    const otp = /data-testid="one-time-password">([^<]+)</.exec(body)?.[1];
    assert.ok(otp, 'the one-time password is shown');
    assert.ok(!body.includes('<img src=x'), 'a hostile name is inert');
    assert.match(body, /&lt;img src=x onerror=alert\(1\)&gt;/);
    const again = await (await c.get('/portal/seats')).text();
    assert.ok(!again.includes(otp), 'shown once only');
    const seat = await f.rt.store.users.getByEmail('new.seat@subscriber.test');
    assert.equal(seat?.subscriberId, sub.id);
    assert.equal(seat?.mustChangePassword, true);
    const full = await c.post('/portal/seats', { email: 'third@subscriber.test', name: 'Third', role: 'seat', language: 'en' });
    assert.equal(full.status, 409);
    assert.match(await full.text(), /All 2 seats are in use/);
    // Deactivating frees a seat; reactivating beyond the limit is refused.
    assert.equal((await c.post(`/portal/seats/${seat!.id}/deactivate`)).status, 303);
    assert.equal((await c.post('/portal/seats', { email: 'third@subscriber.test', name: 'Third', role: 'seat', language: 'en' })).status, 201);
    const re = await c.post(`/portal/seats/${seat!.id}/reactivate`);
    assert.equal(re.status, 409);
    const bad = await c.post('/portal/seats', { email: 'not-an-email', name: '', role: 'admin', language: 'en' });
    assert.equal(bad.status, 400);
    const badBody = await bad.text();
    assert.match(badBody, /choose seat or seat administrator/);
    assert.match(badBody, /a name is required/);
  });

  it("only seat admins manage seats; a seat of A gets 404 for B's seats", async () => {
    const a = await f.addSubscriber('A', {});
    const b = await f.addSubscriber('B', {});
    const aAdmin = await f.addSeat(a.id, { role: 'seat-admin' });
    const aSeat = await f.addSeat(a.id);
    const bSeat = await f.addSeat(b.id);
    const plain = await signInPortalHttp(f.url, aSeat.email, aSeat.password);
    assert.equal((await plain.get('/portal/seats')).status, 403);
    const c = await signInPortalHttp(f.url, aAdmin.email, aAdmin.password);
    const list = await (await c.get('/portal/seats')).text();
    assert.ok(!list.includes(bSeat.email), "B's seats are not listed");
    for (const act of ['deactivate', 'reactivate', 'reset-password']) {
      assert.equal((await c.post(`/portal/seats/${bSeat.user.id}/${act}`)).status, 404, act);
    }
    assert.equal((await f.rt.store.users.get(bSeat.user.id))?.active, true);
    // A reset gives a new one-time password and ends the seat's sessions.
    const reset = await c.post(`/portal/seats/${aSeat.user.id}/reset-password`);
    assert.equal(reset.status, 200);
    assert.equal((await plain.get('/portal')).status, 303, 'the reset seat is signed out');
  });

  it('a deactivated seat stops at once: pages and its open live wire', async () => {
    const sub = await f.addSubscriber('Live', {});
    const admin = await f.addSeat(sub.id, { role: 'seat-admin' });
    const seat = await f.addSeat(sub.id);
    const c = await signInPortalHttp(f.url, seat.email, seat.password);
    const page = await (await c.get('/portal')).text();
    const live = /data-live="([^"]+)"/.exec(page)![1].replaceAll('&amp;', '&');
    const r = await fetch(f.url + live, { headers: { cookie: c.cookie } });
    const reader = r.body!.getReader();
    await reader.read();
    const adminClient = await signInPortalHttp(f.url, admin.email, admin.password);
    await adminClient.get('/portal/seats');
    assert.equal((await adminClient.post(`/portal/seats/${seat.user.id}/deactivate`)).status, 303);
    assert.equal((await c.get('/portal')).status, 303, 'the next page sends the seat to sign in');
    // The next wake of the hub ends the stream with a signed-out event.
    const story = await f.rt.newsroom.createDraft(sampleContent({ language: 'en', photos: [] }), userActor(f.users.editor.user));
    await f.rt.newsroom.publish(story.id, userActor(f.users.editor.user));
    let text = '';
    const deadline = Date.now() + 3000;
    for (;;) {
      const { done, value } = await reader.read();
      if (value) text += new TextDecoder().decode(value);
      if (done || Date.now() > deadline) break;
    }
    assert.match(text, /event: signed-out/);
    assert.ok(!text.includes(story.id), 'nothing more reached the removed seat');
  });

  it('reading a story counts in usage channel portal, a download in channel download', async () => {
    const sub = await f.addSubscriber('Counting', {});
    const seat = await f.addSeat(sub.id);
    const c = await signInPortalHttp(f.url, seat.email, seat.password);
    const story = await f.rt.newsroom.createDraft(sampleContent({ language: 'en', photos: [] }), userActor(f.users.editor.user));
    await f.rt.newsroom.publish(story.id, userActor(f.users.editor.user));
    assert.equal((await c.get(`/portal/stories/${story.id}`)).status, 200);
    assert.equal((await c.get(`/portal/stories/${story.id}/download/newsml`)).status, 200);
    await f.rt.deliveries.flush();
    const usage = await f.rt.store.subscribers.usage(sub.id);
    assert.equal(usage.find((u) => u.channel === 'portal')?.count, 1);
    assert.equal(usage.find((u) => u.channel === 'download')?.count, 1);
  });
});
