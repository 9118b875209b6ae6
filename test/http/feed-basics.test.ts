// The pull feed over a real server: cursors, entitlement, long-poll, bad and expired cursors, usage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeCursor } from '../../src/flow/cursor.ts';
import { pruneFlowLog } from '../../src/flow/retention.ts';
import { addProduct, addSubscriber, call, publish, startServer, type FlowServer } from './subscriber-helpers.ts';

describe('pull feed', () => {
  let s: FlowServer;
  let ar: { key: string; subscriber: { id: string } };
  before(async () => {
    s = await startServer({ webhooks: false });
    await addProduct(s, { name: 'Arabic text', languages: ['ar'], mediaTypes: ['text'] });
    ar = await addSubscriber(s, 'Arabic client', ['Arabic text']);
  });
  after(async () => s.stop());

  it('starts at now, returns entitled events after the cursor, and always a next cursor', async () => {
    const first = await call(s, ar.key, 'GET', '/v1/feed');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.items, []);
    assert.ok(first.body.next_cursor);
    const a = await publish(s, { headline: 'عربي ١' });
    await publish(s, { language: 'tr', headline: 'Türkçe haber' });
    const b = await publish(s, { headline: 'عربي ٢' });
    const r = await call(s, ar.key, 'GET', `/v1/feed?cursor=${first.body.next_cursor}`);
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.items.map((i: any) => i.story.storyId),
      [a.id, b.id],
    );
    assert.equal(r.body.items[0].event.kind, 'published');
    assert.equal(r.body.items[0].story.content.headline, 'عربي ١');
    assert.equal(r.body.next_cursor, encodeCursor(b.seq));
    assert.equal(r.body.items[1].cursor, encodeCursor(b.seq));
    const again = await call(s, ar.key, 'GET', `/v1/feed?cursor=${r.body.next_cursor}`);
    assert.deepEqual(again.body.items, []);
    assert.equal(again.body.next_cursor, r.body.next_cursor);
  });

  it('pages with limit', async () => {
    const start = (await call(s, ar.key, 'GET', '/v1/feed')).body.next_cursor;
    for (let i = 0; i < 5; i++) await publish(s, { headline: `خبر ${i}` });
    const p1 = await call(s, ar.key, 'GET', `/v1/feed?cursor=${start}&limit=2`);
    const p2 = await call(s, ar.key, 'GET', `/v1/feed?cursor=${p1.body.next_cursor}&limit=2`);
    const p3 = await call(s, ar.key, 'GET', `/v1/feed?cursor=${p2.body.next_cursor}&limit=2`);
    assert.deepEqual(
      [...p1.body.items, ...p2.body.items, ...p3.body.items].map((i: any) => i.story.content.headline),
      ['خبر 0', 'خبر 1', 'خبر 2', 'خبر 3', 'خبر 4'],
    );
  });

  it('long-polls: answers as soon as one entitled event arrives', async () => {
    const start = (await call(s, ar.key, 'GET', '/v1/feed')).body.next_cursor;
    const t0 = Date.now();
    const waiting = call(s, ar.key, 'GET', `/v1/feed?cursor=${start}&wait=20`);
    setTimeout(() => void publish(s, { language: 'tr', headline: 'yok' }).then(() => publish(s, { headline: 'وصل' })), 200);
    const r = await waiting;
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.items.map((i: any) => i.story.content.headline),
      ['وصل'],
    );
    assert.ok(Date.now() - t0 < 15_000, 'answered before the wait ran out');
  });

  it('starts at since=<ISO time>', async () => {
    const t = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const a = await publish(s, { headline: 'منذ' });
    const r = await call(s, ar.key, 'GET', `/v1/feed?since=${encodeURIComponent(t)}`);
    assert.deepEqual(
      r.body.items.map((i: any) => i.story.storyId),
      [a.id],
    );
  });

  it('answers a garbled cursor with 400 and a future one too', async () => {
    const good = (await call(s, ar.key, 'GET', '/v1/feed')).body.next_cursor as string;
    const garbled = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    const r = await call(s, ar.key, 'GET', `/v1/feed?cursor=${garbled}`);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /bad cursor/);
    assert.equal((await call(s, ar.key, 'GET', '/v1/feed?cursor=nonsense')).status, 400);
    assert.equal((await call(s, ar.key, 'GET', `/v1/feed?cursor=${encodeCursor(10_000_000)}`)).status, 400);
  });

  it('refuses non-subscriber keys and missing keys', async () => {
    assert.equal((await call(s, null, 'GET', '/v1/feed')).status, 401);
    assert.equal((await call(s, s.editorKey, 'GET', '/v1/feed')).status, 403);
  });

  it('counts usage per channel and day, readable by admin and by the subscriber itself', async () => {
    const r = await call(s, ar.key, 'GET', `/v1/subscribers/${ar.subscriber.id}/usage`);
    assert.equal(r.status, 200);
    assert.ok(r.body.totals.feed >= 9, JSON.stringify(r.body));
    assert.equal(r.body.days[0].day, new Date().toISOString().slice(0, 10));
    const other = await addSubscriber(s, 'Other', ['Arabic text']);
    assert.equal((await call(s, other.key, 'GET', `/v1/subscribers/${ar.subscriber.id}/usage`)).status, 403);
    assert.equal((await call(s, s.adminKey, 'GET', `/v1/subscribers/${ar.subscriber.id}/usage`)).status, 200);
  });

  it('answers a cursor older than the retention with 410 and the oldest cursor', async () => {
    const old = encodeCursor(1);
    // Everything but the newest event becomes older than a retention of one day.
    const pruned = await pruneFlowLog(s.rt.store, 1, new Date(Date.now() + 2 * 86_400_000));
    assert.ok(pruned > 1);
    const r = await call(s, ar.key, 'GET', `/v1/feed?cursor=${old}`);
    assert.equal(r.status, 410);
    const oldest = r.body.details.oldest_cursor;
    const resumed = await call(s, ar.key, 'GET', `/v1/feed?cursor=${oldest}`);
    assert.equal(resumed.status, 200);
  });
});
