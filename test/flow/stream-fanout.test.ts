// The stream fan-out (src/flow/streams.ts) with in-memory sinks over a real SQLite store and hub: live
// events, follow-ups that need the story's history, the replay/live seam of a group, a delayed tier's
// hold released by time, and the disconnect of a client that does not read.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { createHook, executionAsyncId } from 'node:async_hooks';
import { after, before, describe, it } from 'node:test';
import { decodeCursor } from '../../src/flow/cursor.ts';
import { Hub } from '../../src/flow/hub.ts';
import { issueKey } from '../../src/flow/keys.ts';
import { Newsroom } from '../../src/flow/newsroom.ts';
import { Deliveries } from '../../src/flow/deliveries.ts';
import { jsonFrame, sseFrame, StreamFanout, type StreamSink } from '../../src/flow/streams.ts';
import type { StoryContent } from '../../src/model/story.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import type { NewProduct, Subscriber } from '../../src/model/subscribers.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

/** A client that keeps what it was sent; one that stops reading keeps all of it unsent. */
class MemorySink implements StreamSink {
  frames: Buffer[] = [];
  closedWith: string | null = null;
  private unsent = 0;
  constructor(private readonly reading = true) {}
  write(frame: Buffer): void {
    this.frames.push(frame);
    if (!this.reading) this.unsent += frame.length;
  }
  buffered(): number {
    return this.unsent;
  }
  close(reason: string): void {
    this.closedWith ??= reason;
  }
  /** Log positions of the items received (JSON frames). */
  get seqs(): number[] {
    return this.frames.map((f) => JSON.parse(f.toString()).event.seq as number);
  }
  /** Log positions of the items received as SSE frames (their `id:` is the cursor). */
  get sseSeqs(): number[] {
    return this.frames
      .map((f) => /^id: (\S+)/m.exec(f.toString())?.[1])
      .filter((c) => c !== undefined)
      .map((c) => decodeCursor(c)!);
  }
}

let store: SqliteStore;
let hub: Hub;
let newsroom: Newsroom;
let fanout: StreamFanout;
let arabic: { subscriber: Subscriber; keyId: string };
let late: { subscriber: Subscriber; keyId: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function productInput(over: Partial<NewProduct> & { name: string }): NewProduct {
  return { languages: [], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0, ...over };
}

async function subscriberOn(name: string, products: string[]): Promise<{ subscriber: Subscriber; keyId: string }> {
  const subscriber = await store.subscribers.createSubscriber({ name, products, defaultFormat: 'json' });
  return { subscriber, keyId: (await issueKey(store, 'subscriber', { subscriberId: subscriber.id })).key.id };
}

async function publish(over: Partial<StoryContent> = {}): Promise<{ id: string; seq: number }> {
  const draft = await newsroom.createDraft(sampleContent(over), SYSTEM_ACTOR);
  return { id: draft.id, seq: (await newsroom.publish(draft.id, SYSTEM_ACTOR)).event.seq };
}

const english = { language: 'en', headline: 'Water talks end in Amman' } as const;

before(async () => {
  store = new SqliteStore(tempDbFile());
  hub = new Hub(store);
  await hub.start(50);
  newsroom = new Newsroom(store, hub);
  fanout = new StreamFanout(store, hub, new Deliveries(store), { heartbeatMs: 100, revocationCheckMs: 100 });
  await store.subscribers.createProduct(productInput({ name: 'ar', languages: ['ar'] }));
  await store.subscribers.createProduct(productInput({ name: 'ar-late', languages: ['ar'], delaySeconds: 1 }));
  arabic = await subscriberOn('Arabic daily', ['ar']);
  late = await subscriberOn('Arabic, a second late', ['ar-late']);
});

after(async () => {
  fanout.close();
  hub.stop();
  await store.close();
});

describe('stream fan-out', () => {
  it('sends live events the subscriber is entitled to, in order, follow-ups and kills included', async () => {
    const sink = new MemorySink();
    const conn = fanout.open(arabic.subscriber.id, arabic.keyId, await store.headSeq(), sink, jsonFrame);
    const a = await publish();
    await publish(english);
    const c = await publish();
    await until('two live items', () => sink.frames.length >= 2);
    // The update is in Turkish: only the story's history says this subscriber gets it (the pump reads it).
    const draft = await newsroom.story(a.id);
    await newsroom.editDraft(a.id, draft.revision, { language: 'tr', headline: 'Su konferansı sona erdi' }, SYSTEM_ACTOR);
    const updated = (await newsroom.publish(a.id, SYSTEM_ACTOR)).event.seq;
    const killed = (await newsroom.kill(a.id, 'legal', SYSTEM_ACTOR)).event.seq;
    const d = await publish();
    await until('the follow-ups and the next story', () => sink.frames.length >= 5);
    await sleep(100);
    assert.deepEqual(sink.seqs, [a.seq, c.seq, updated, killed, d.seq]);
    assert.equal(conn.lastSent, d.seq);
    assert.equal(sink.closedWith, null);
    conn.close('done');
    assert.equal(fanout.connectionsOf(arabic.subscriber.id), 0);
  });

  it('feeds every group of a head move in one synchronous loop, with no await per subscriber', async () => {
    const readers = await Promise.all([1, 2, 3, 4].map((i) => subscriberOn(`Desk ${i}`, ['ar'])));
    // Each write notes the async context it runs in: one loop writes every frame from the same one; a
    // group fed after an await (a promise per subscriber) would write from a continuation of its own.
    const contexts: number[] = [];
    class WatchingSink extends MemorySink {
      override write(frame: Buffer): void {
        super.write(frame);
        contexts.push(executionAsyncId());
      }
    }
    const tracking = createHook({ init() {} }).enable(); // promise contexts are tracked only while a hook is on
    try {
      const head = await store.headSeq();
      const sinks = readers.map(() => new WatchingSink());
      const conns = readers.map((r, i) => fanout.open(r.subscriber.id, r.keyId, head, sinks[i], jsonFrame));
      // The groups' first pump caches each subscriber and reaches the head; then they are idle.
      await until('the subscribers cached', () => readers.every((r) => fanout.deliveries.cachedSubscriber(r.subscriber.id)));
      await sleep(50);
      const story = await publish();
      await until('every group fed', () => sinks.every((k) => k.frames.length === 1));
      assert.deepEqual(
        sinks.map((k) => k.seqs),
        readers.map(() => [story.seq]),
      );
      assert.equal(new Set(contexts).size, 1, `all four writes in one run, not ${new Set(contexts).size}`);
      for (const c of conns) c.close('done');
    } finally {
      tracking.disable();
    }
  });

  it('joins replay and live without a gap or a duplicate, while a live connection of the same subscriber goes on', async () => {
    const start = await store.headSeq();
    const live = new MemorySink();
    fanout.open(arabic.subscriber.id, arabic.keyId, start, live, sseFrame);
    const before: number[] = [];
    for (let i = 0; i < 30; i++) {
      const p = await publish(i % 3 === 2 ? { ...english, headline: `Not for Arabic ${i}` } : { headline: `قصة رقم ${i}` });
      if (i % 3 !== 2) before.push(p.seq);
    }
    // A second client resumes from the fifth story while new stories keep arriving: the group rewinds.
    const resumeAt = before[4];
    const writing = (async () => {
      const seqs: number[] = [];
      for (let i = 0; i < 30; i++) {
        const p = await publish(i % 3 === 2 ? { ...english, headline: `Later, not for Arabic ${i}` } : { headline: `قصة لاحقة ${i}` });
        if (i % 3 !== 2) seqs.push(p.seq);
      }
      return seqs;
    })();
    await sleep(5);
    const resumed = new MemorySink();
    const conn = fanout.open(arabic.subscriber.id, arabic.keyId, resumeAt, resumed, jsonFrame);
    const later = await writing;
    const all = [...before, ...later];
    await until('both clients at the head', () => conn.lastSent === all.at(-1) && live.sseSeqs.at(-1) === all.at(-1));
    await sleep(100);
    assert.deepEqual(
      resumed.seqs,
      all.filter((s) => s > resumeAt),
      'every entitled event after the cursor, once, in order',
    );
    assert.deepEqual(live.sseSeqs, all, 'the live client got nothing twice when the group rewound');
    fanout.close();
    assert.match(resumed.closedWith ?? '', /shutting down/);
    fanout = new StreamFanout(store, hub, new Deliveries(store), { heartbeatMs: 100, revocationCheckMs: 100 });
  });

  it('holds an event for a delayed tier and sends it when the delay has passed', async () => {
    const sink = new MemorySink();
    fanout.open(late.subscriber.id, late.keyId, await store.headSeq(), sink, jsonFrame);
    const a = await publish();
    const b = await publish();
    const published = Date.now();
    await sleep(400);
    assert.equal(sink.frames.length, 0, 'nothing before the delay');
    await until('the held stories', () => sink.frames.length >= 2, 5000);
    assert.ok(Date.now() >= published + 500, 'released by time, not by the next event');
    assert.deepEqual(sink.seqs, [a.seq, b.seq]);
    for (const f of sink.frames) {
      const at = Date.parse(JSON.parse(f.toString()).event.at);
      assert.ok(at + 1000 <= Date.now());
    }
  });

  it('disconnects a client that stops reading, and the others of its group go on', async () => {
    const tight = new StreamFanout(store, hub, new Deliveries(store), { heartbeatMs: 100, revocationCheckMs: 100, maxBufferedBytes: 1024 });
    try {
      const head = await store.headSeq();
      const stuck = new MemorySink(false);
      const reading = new MemorySink();
      tight.open(arabic.subscriber.id, arabic.keyId, head, stuck, jsonFrame);
      tight.open(arabic.subscriber.id, arabic.keyId, head, reading, jsonFrame);
      assert.equal(tight.connectionsOf(arabic.subscriber.id), 2);
      const a = await publish();
      const b = await publish();
      await until('both stories at the reading client', () => reading.frames.length >= 2);
      assert.match(stuck.closedWith ?? '', /too slow.*resume from your last cursor/);
      assert.equal(stuck.frames.length, 1, 'closed at the first frame past the limit');
      assert.equal(tight.connectionsOf(arabic.subscriber.id), 1);
      assert.deepEqual(reading.seqs, [a.seq, b.seq]);
    } finally {
      tight.close();
    }
  });
});
