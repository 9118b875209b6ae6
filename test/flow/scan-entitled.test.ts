// scanEntitled (src/flow/deliveries.ts) over a real SQLite store: the reading of the log that the pull
// feed and the webhook worker share. Pages, holds, follow-ups decided from the story's stored history,
// channel filters, and the query-free poll at the head.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Deliveries, scanEntitled } from '../../src/flow/deliveries.ts';
import { Newsroom } from '../../src/flow/newsroom.ts';
import type { FlowItem, StoryContent } from '../../src/model/story.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import type { NewProduct, Subscriber } from '../../src/model/subscribers.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

let store: SqliteStore;
let newsroom: Newsroom;
let deliveries: Deliveries;
let arabic: Subscriber;
let slow: Subscriber;

const seqs = (items: FlowItem[]) => items.map((i) => i.event.seq);

function productInput(over: Partial<NewProduct> & { name: string }): NewProduct {
  return { languages: [], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0, ...over };
}

async function publish(over: Partial<StoryContent> = {}): Promise<{ id: string; seq: number }> {
  const draft = await newsroom.createDraft(sampleContent(over), SYSTEM_ACTOR);
  const item = await newsroom.publish(draft.id, SYSTEM_ACTOR);
  return { id: draft.id, seq: item.event.seq };
}

before(async () => {
  store = new SqliteStore(tempDbFile());
  newsroom = new Newsroom(store);
  deliveries = new Deliveries(store);
  await store.subscribers.createProduct(productInput({ name: 'ar', languages: ['ar'] }));
  await store.subscribers.createProduct(productInput({ name: 'tr-late', languages: ['tr'], delaySeconds: 600 }));
  arabic = await store.subscribers.createSubscriber({ name: 'Arabic daily', products: ['ar'] });
  slow = await store.subscribers.createSubscriber({ name: 'Two tiers', products: ['ar', 'tr-late'] });
});

after(async () => {
  await deliveries.close();
  await store.close();
});

describe('scanEntitled', () => {
  it('pages through the entitled events; a page ends at its last item, the last page at what it read', async () => {
    const start = await store.headSeq();
    const a = await publish();
    await publish({ language: 'en', headline: 'Water talks end in Amman' });
    const b = await publish();
    await publish({ language: 'en', headline: 'Ports grow' });
    const c = await publish();
    await publish({ language: 'en', headline: 'Libraries go digital' });
    const first = await scanEntitled(store, deliveries, arabic, start, { limit: 2 });
    assert.deepEqual(seqs(first.items), [a.seq, b.seq]);
    assert.equal(first.position, b.seq, 'the next page starts right after the last item');
    assert.equal(first.holdUntil, null);
    assert.equal(first.firstSeq, start + 1);
    const second = await scanEntitled(store, deliveries, arabic, first.position, { limit: 2 });
    assert.deepEqual(seqs(second.items), [c.seq]);
    assert.equal(second.position, await store.headSeq(), 'skipped events at the end are decided for good');
    const empty = await scanEntitled(store, deliveries, arabic, second.position, { limit: 2 });
    assert.deepEqual(empty.items, []);
    assert.equal(empty.position, second.position);
    assert.equal(empty.firstSeq, null);
  });

  it('reads at most maxScan events, and moves past them when none is entitled', async () => {
    const start = await store.headSeq();
    for (let i = 0; i < 5; i++) await publish({ language: 'en', headline: `Nothing for Arabic readers ${i}` });
    const scan = await scanEntitled(store, deliveries, arabic, start, { limit: 10, maxScan: 3 });
    assert.deepEqual(scan.items, []);
    assert.equal(scan.position, start + 3);
  });

  it('stops at a held event of a delayed tier and gives it once the delay has passed', async () => {
    const start = await store.headSeq();
    const first = await publish();
    const held = await publish({ language: 'tr', headline: 'Liman genişliyor' });
    const last = await publish();
    const now = Date.now();
    const scan = await scanEntitled(store, deliveries, slow, start, { limit: 10, now });
    assert.deepEqual(seqs(scan.items), [first.seq], 'the Arabic story after the held one waits too: order is kept');
    assert.equal(scan.position, first.seq);
    assert.ok(scan.holdUntil !== null && scan.holdUntil > now + 590_000 && scan.holdUntil <= now + 600_000);
    const later = await scanEntitled(store, deliveries, slow, scan.position, { limit: 10, now: scan.holdUntil });
    assert.deepEqual(seqs(later.items), [held.seq, last.seq]);
    assert.equal(later.holdUntil, null);
  });

  it('decides a follow-up the products no longer pass from the story history in the store', async () => {
    const story = await publish();
    const draft = await newsroom.story(story.id);
    await newsroom.editDraft(story.id, draft.revision, { language: 'tr', headline: 'Su konferansı sona erdi' }, SYSTEM_ACTOR);
    const updated = (await newsroom.publish(story.id, SYSTEM_ACTOR)).event.seq;
    const killed = (await newsroom.kill(story.id, 'legal', SYSTEM_ACTOR)).event.seq;
    const other = await publish({ language: 'tr', headline: 'Turkish only' });
    const kept = await publish({ language: 'en', headline: 'Not for these' });
    // Started after the publish: the scan cannot see it and must ask the store.
    const scan = await scanEntitled(store, deliveries, arabic, story.seq, { limit: 10 });
    assert.deepEqual(seqs(scan.items), [updated, killed]);
    assert.equal(scan.position, kept.seq);
    // Someone who never had the story gets neither its update nor its kill.
    const tr = await store.subscribers.createProduct(productInput({ name: 'tr', languages: ['tr'] }));
    const turkish = await store.subscribers.createSubscriber({ name: 'Turkish portal', products: [tr.id] });
    const theirs = await scanEntitled(store, deliveries, turkish, story.seq, { limit: 10 });
    assert.deepEqual(seqs(theirs.items), [updated, killed, other.seq], 'the update is in Turkish: it passes on its own, and so does the kill after it');
    const english = await store.subscribers.createProduct(productInput({ name: 'en', languages: ['en'] }));
    const neverHad = await store.subscribers.createSubscriber({ name: 'English wire', products: [english.id] });
    assert.deepEqual(seqs((await scanEntitled(store, deliveries, neverHad, story.seq, { limit: 10 })).items), [kept.seq]);
  });

  it("applies a channel's filter after entitlement, and counts only accepted items against the page", async () => {
    const start = await store.headSeq();
    const a = await publish();
    const draft = await newsroom.story(a.id);
    await newsroom.editDraft(a.id, draft.revision, { headline: 'تحديث' }, SYSTEM_ACTOR);
    const upd = (await newsroom.publish(a.id, SYSTEM_ACTOR)).event.seq;
    const b = await publish();
    const scan = await scanEntitled(store, deliveries, arabic, start, { limit: 2, accept: (e) => e.kind === 'published' });
    assert.deepEqual(seqs(scan.items), [a.seq, b.seq]);
    assert.equal(scan.position, b.seq);
    const onlyUpdates = await scanEntitled(store, deliveries, arabic, start, { limit: 1, accept: (_e, item) => item.version.version > 1 });
    assert.deepEqual(seqs(onlyUpdates.items), [upd]);
  });

  it('asks nothing when the known head is at the position, and reads through the given reader otherwise', async () => {
    const head = await store.headSeq();
    let reads = 0;
    const read = (after: number, limit: number) => {
      reads++;
      return store.readLog({ after, limit });
    };
    const atHead = await scanEntitled(store, deliveries, arabic, head, { limit: 5, head, read });
    assert.deepEqual(atHead, { items: [], position: head, holdUntil: null, firstSeq: null });
    assert.equal(reads, 0);
    const fresh = await publish();
    const scan = await scanEntitled(store, deliveries, arabic, head, { limit: 5, head: fresh.seq, read });
    assert.deepEqual(seqs(scan.items), [fresh.seq]);
    assert.ok(reads >= 1);
  });
});
