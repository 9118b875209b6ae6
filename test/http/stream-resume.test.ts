// The live stream with a real EventSource client: clients that disconnect at random points and resume
// end with exactly their entitled events, in order; a server restart loses nothing; revoked keys close
// streams; heartbeats flow; a client that stops reading is cut off instead of growing memory.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { addProduct, addSubscriber, call, kill, publish, sleep, startServer, until, update, type FlowServer } from './subscriber-helpers.ts';

const KINDS = ['published', 'updated', 'corrected', 'killed', 'embargo-lifted'];

/** Every entitled event of a subscriber after `cursor`, by paging the pull feed: the reference. */
async function expectedSeqs(s: FlowServer, key: string, cursor: string): Promise<number[]> {
  const seqs: number[] = [];
  for (;;) {
    const r = await call(s, key, 'GET', `/v1/feed?cursor=${cursor}&limit=500`);
    assert.equal(r.status, 200);
    seqs.push(...r.body.items.map((i: any) => i.event.seq));
    if (r.body.items.length === 0) return seqs;
    cursor = r.body.next_cursor;
  }
}

/** An EventSource that sends the key as a header (or in the URL) and records what it gets. */
function openStream(url: string, key: string, cursor: string | null, seen: number[], byToken = false): EventSource {
  const q = new URLSearchParams();
  if (cursor) q.set('cursor', cursor);
  if (byToken) q.set('access_token', key);
  const es = new EventSource(
    `${url}/v1/stream?${q}`,
    byToken
      ? {}
      : {
          fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${key}` } }),
        },
  );
  for (const kind of KINDS) {
    es.addEventListener(kind, (e) => {
      // Events already parsed from the last chunk may still be dispatched after close(): ignore them,
      // the resumed connection delivers them again.
      if (es.readyState === es.CLOSED) return;
      const data = JSON.parse(e.data);
      assert.equal(data.event.kind, kind);
      assert.equal(data.cursor, e.lastEventId);
      seen.push(data.event.seq);
    });
  }
  return es;
}

/** A client that reconnects after a random number of events, resuming from the last id it saw. */
function flakyClient(url: string, key: string, start: string, byToken: boolean) {
  const seen: number[] = [];
  let lastId = start;
  let es: EventSource | null = null;
  let stopped = false;
  let reconnects = 0;
  const connectOnce = () => {
    if (stopped) return;
    const budget = 1 + Math.floor(Math.random() * 6);
    const before = seen.length;
    es = openStream(url, key, lastId, seen, byToken);
    const onAny = (e: MessageEvent) => {
      if (es!.readyState === es!.CLOSED) return;
      lastId = e.lastEventId;
      if (seen.length - before >= budget) {
        es!.close();
        reconnects++;
        setTimeout(connectOnce, Math.floor(Math.random() * 60));
      }
    };
    for (const kind of KINDS) es.addEventListener(kind, onAny);
  };
  connectOnce();
  return {
    seen,
    get reconnects() {
      return reconnects;
    },
    stop() {
      stopped = true;
      es?.close();
    },
  };
}

describe('live stream', () => {
  let s: FlowServer;
  let arabic: Awaited<ReturnType<typeof addSubscriber>>;
  let all: Awaited<ReturnType<typeof addSubscriber>>;
  before(async () => {
    s = await startServer({ webhooks: false });
    await addProduct(s, { name: 'Arabic', languages: ['ar'] });
    await addProduct(s, { name: 'Everything' });
    arabic = await addSubscriber(s, 'Arabic desk', ['Arabic']);
    all = await addSubscriber(s, 'Everything desk', ['Everything']);
  });
  after(async () => s.stop());

  it('clients that drop at random points and resume get exactly their entitled events, in order', async () => {
    const start = (await call(s, arabic.key, 'GET', '/v1/feed')).body.next_cursor;
    const clients = [
      { key: arabic.key, c: flakyClient(s.url, arabic.key, start, false) },
      { key: arabic.key, c: flakyClient(s.url, arabic.key, start, true) },
      { key: all.key, c: flakyClient(s.url, all.key, start, false) },
      { key: all.key, c: flakyClient(s.url, all.key, start, true) },
    ];
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const language = i % 3 === 0 ? 'tr' : 'ar';
      if (i % 7 === 6 && ids.length) await update(s, ids[ids.length - 1], { headline: `تحديث ${i}`, language: 'tr' });
      else ids.push((await publish(s, { language, headline: `خبر ${i}` })).id);
      if (i % 5 === 0) await sleep(Math.floor(Math.random() * 40));
    }
    await kill(s, ids[1]);
    const want = { [arabic.key]: await expectedSeqs(s, arabic.key, start), [all.key]: await expectedSeqs(s, all.key, start) };
    assert.ok(want[arabic.key].length > 20 && want[all.key].length > want[arabic.key].length);
    for (const { key, c } of clients) {
      await until(`client to receive ${want[key].length} events`, () => c.seen.length >= want[key].length, 20_000);
      await sleep(100);
      c.stop();
      assert.deepEqual(c.seen, want[key], 'exactly the entitled events, in order, none twice');
      assert.ok(c.reconnects > 3, 'the client really did reconnect');
    }
  });

  it('sends heartbeat comments and answers a bad Last-Event-ID with 400', async () => {
    const res = await fetch(`${s.url}/v1/stream`, { headers: { authorization: `Bearer ${all.key}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const end = Date.now() + 3000;
    while (!text.includes(': heartbeat') && Date.now() < end) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    assert.match(text, /: heartbeat/);
    const bad = await fetch(`${s.url}/v1/stream`, { headers: { authorization: `Bearer ${all.key}`, 'last-event-id': 'garbage' } });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).message, /bad cursor/);
  });

  it('closes a stream within a second of its key being revoked, and refuses the key afterwards', async () => {
    const extra = await call(s, s.adminKey, 'POST', `/v1/subscribers/${all.subscriber.id}/keys`, { label: 'to revoke' });
    const res = await fetch(`${s.url}/v1/stream`, { headers: { authorization: `Bearer ${extra.body.secret}` } });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    await reader.read();
    const revoked = await call(s, s.adminKey, 'DELETE', `/v1/keys/${extra.body.key.id}`);
    assert.equal(revoked.status, 200);
    const t0 = Date.now();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    assert.ok(Date.now() - t0 < 2500, `closed after ${Date.now() - t0} ms`);
    assert.equal((await fetch(`${s.url}/v1/stream`, { headers: { authorization: `Bearer ${extra.body.secret}` } })).status, 401);
  });
});

describe('live stream: slow clients and restarts', () => {
  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    const s = await startServer({ webhooks: false, env: { NEWSFLOW_SSE_MAX_BUFFER_BYTES: String(256 * 1024) } });
    try {
      await addProduct(s, { name: 'All' });
      const sub = await addSubscriber(s, 'Slow reader', ['All']);
      const sock = connect(s.port, '127.0.0.1');
      sock.pause(); // never reads: the server's writes pile up
      sock.write(`GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${sub.key}\r\n\r\n`);
      let closed = false;
      sock.on('close', () => {
        closed = true;
      });
      sock.on('error', () => {});
      await until('the stream to open', () => s.fanout.size === 1);
      const body = Array.from({ length: 5 }, () => ({ type: 'paragraph' as const, text: 'ن'.repeat(19_000) }));
      for (let i = 0; i < 200 && s.fanout.size > 0; i++) {
        const d = await s.rt.newsroom.createDraft({ language: 'ar', headline: `كبير ${i}`, body, keywords: [`${i}`] }, SYSTEM_ACTOR);
        await s.rt.newsroom.publish(d.id, SYSTEM_ACTOR);
      }
      await until('the slow client to be dropped', () => s.fanout.size === 0, 10_000);
      sock.destroy();
      assert.ok(closed || sock.destroyed);
    } finally {
      await s.stop();
    }
  });

  it('loses nothing when the server restarts mid-stream', async () => {
    let s = await startServer({ webhooks: false });
    const { port, file, adminKey, editorKey } = s;
    await addProduct(s, { name: 'All' });
    const sub = await addSubscriber(s, 'Restart desk', ['All']);
    const start = (await call(s, sub.key, 'GET', '/v1/feed')).body.next_cursor;
    const seen: number[] = [];
    const es = openStream(s.url, sub.key, start, seen);
    try {
      const published: number[] = [];
      for (let i = 0; i < 5; i++) published.push((await publish(s, { headline: `قبل ${i}` })).seq);
      await until('events before the restart', () => seen.length === 5);
      await s.stop();
      // This process's fetch keeps idle keep-alive sockets to the old server, which closed them; a POST
      // sent on one before its close is read fails (fetch never retries a POST). A real client sees the
      // close first; let this one too.
      await sleep(200);
      // Written while the server is down: the client must get them after it comes back.
      s = await startServer({ file, port, adminKey, editorKey, webhooks: false });
      for (let i = 0; i < 5; i++) published.push((await publish(s, { headline: `بعد ${i}` })).seq);
      await until('events after the restart', () => seen.length >= 10, 15_000);
      await sleep(200);
      assert.deepEqual(seen, published);
    } finally {
      es.close();
      await s.stop();
    }
  });
});
