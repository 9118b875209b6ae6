// The subscriber flow in standard formats (the subscriber's default, or ?format=) and saved
// searches used as alerts on the feed, the stream and webhooks.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { Webhook } from 'standardwebhooks';
import { validateNinjs } from '../../src/formats/ninjs.ts';
import { validateAtom, xmllintSchema } from '../formats/validators.ts';
import { addProduct, addSubscriber, call, kill, publish, startServer, until, type FlowServer } from './subscriber-helpers.ts';

let s: FlowServer;
let ninjsKey: string;
let otherKey: string;
before(async () => {
  s = await startServer();
  await addProduct(s, { name: 'Arabic service', languages: ['ar'] });
  ninjsKey = (await addSubscriber(s, 'IPTC house', ['Arabic service'], 'ninjs')).key;
  otherKey = (await addSubscriber(s, 'Other house', ['Arabic service'])).key;
});
after(async () => {
  await s.stop();
});

describe('deliveries in standard formats', () => {
  it("the feed carries the subscriber's default format (ninjs 3.2), or another on request", async () => {
    const start = (await call(s, ninjsKey, 'GET', '/v1/feed')).body.next_cursor;
    await publish(s, { headline: 'قمة اقتصادية في الرياض' });
    const page = (await call(s, ninjsKey, 'GET', `/v1/feed?cursor=${start}`)).body;
    assert.equal(page.items.length, 1);
    assert.equal(page.items[0].format, 'ninjs');
    assert.deepEqual(validateNinjs(page.items[0].story, '3.2'), []);
    const v2 = (await call(s, ninjsKey, 'GET', `/v1/feed?cursor=${start}&format=ninjs2`)).body;
    assert.deepEqual(validateNinjs(v2.items[0].story, '2.3'), []);
    const g2 = (await call(s, ninjsKey, 'GET', `/v1/feed?cursor=${start}&format=newsml`)).body;
    assert.equal(g2.items[0].contentType, 'application/vnd.iptc.g2.newsitem+xml');
    assert.deepEqual((await xmllintSchema({ 'item.xml': g2.items[0].story })).failures, {});
    const atom = await fetch(`${s.url}/v1/feed?cursor=${start}&format=atom`, { headers: { authorization: `Bearer ${ninjsKey}` } });
    assert.match(atom.headers.get('content-type')!, /atom\+xml/);
    assert.ok(atom.headers.get('x-next-cursor'));
    const { ok, output } = await validateAtom({ 'feed.xml': await atom.text() });
    assert.ok(ok, output);
    const bad = await call(s, ninjsKey, 'GET', '/v1/feed?format=pdf');
    assert.equal(bad.status, 406);
    assert.match(bad.body.message, /ninjs/);
    const byAccept = async (accept: string) => fetch(`${s.url}/v1/feed?cursor=${start}`, { headers: { authorization: `Bearer ${ninjsKey}`, accept } });
    const g2ByAccept = (await (await byAccept('application/vnd.iptc.g2.newsitem+xml')).json()) as any;
    assert.equal(g2ByAccept.items[0].format, 'newsml', 'Accept naming a story format switches it');
    assert.equal(((await (await byAccept('application/json')).json()) as any).items[0].format, 'ninjs', "a generic Accept keeps the subscriber's format");
    assert.match((await byAccept('application/atom+xml')).headers.get('content-type')!, /atom/);
    const png = await byAccept('image/png');
    assert.equal(png.status, 406);
    const streamPng = await fetch(`${s.url}/v1/stream?access_token=${ninjsKey}`, { headers: { accept: 'image/png' } });
    assert.equal(streamPng.status, 406, 'the stream refuses before it starts');
  });

  it('the stream carries ?format= too', async () => {
    const start = (await call(s, ninjsKey, 'GET', '/v1/feed')).body.next_cursor;
    const got: any[] = [];
    const es = new EventSource(`${s.url}/v1/stream?cursor=${start}&format=ninjs2&access_token=${ninjsKey}`);
    try {
      es.addEventListener('published', (e) => got.push(JSON.parse(e.data)));
      await publish(s, { headline: 'افتتاح معرض للكتاب' });
      await until('the stream item', () => got.length === 1);
    } finally {
      es.close();
    }
    assert.equal(got[0].format, 'ninjs2');
    assert.deepEqual(validateNinjs(got[0].story, '2.3'), []);
  });
});

describe('saved searches as alerts', () => {
  let alertId: string;

  it('saves a query, refuses a broken one, runs it', async () => {
    const bad = await call(s, ninjsKey, 'POST', '/v1/saved-searches', { name: 'broken', query: '"الأسرى' });
    assert.equal(bad.status, 400);
    const r = await call(s, ninjsKey, 'POST', '/v1/saved-searches', { name: 'prisoners', query: 'الأسرى' });
    assert.equal(r.status, 201);
    alertId = r.body.id;
    assert.equal(r.body.use.feed, `/v1/feed?alert=${alertId}`);
    assert.equal((await call(s, ninjsKey, 'POST', '/v1/saved-searches', { name: 'prisoners', query: 'x' })).status, 409);
    const list = (await call(s, ninjsKey, 'GET', '/v1/saved-searches')).body.savedSearches;
    assert.deepEqual(
      list.map((x: any) => x.name),
      ['prisoners'],
    );
    assert.equal((await call(s, otherKey, 'GET', `/v1/saved-searches/${alertId}/results`)).status, 404, "never another subscriber's");
  });

  it('feed, stream and webhook deliver only what the alert matches, and kills', async () => {
    const received: any[] = [];
    const secrets: string[] = [];
    const rx = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        new Webhook(secrets[0]).verify(body, req.headers as Record<string, string>);
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    let es: EventSource | null = null;
    try {
      const hook = await call(s, ninjsKey, 'POST', '/v1/webhooks', { url: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`, alert: alertId });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      secrets.push(hook.body.secret);

      const start = (await call(s, ninjsKey, 'GET', '/v1/feed')).body.next_cursor;
      const streamed: any[] = [];
      es = new EventSource(`${s.url}/v1/stream?cursor=${start}&alert=${alertId}&access_token=${ninjsKey}`);
      for (const kind of ['published', 'killed']) es.addEventListener(kind, (e) => streamed.push(JSON.parse((e as MessageEvent).data)));

      const match = await publish(s, { headline: 'الإفراج عن دفعة من الأسرى', body: [{ type: 'paragraph', text: 'أفرج عن عشرات الأسرى اليوم.' }] });
      await publish(s, { headline: 'مباراة كرة قدم', body: [{ type: 'paragraph', text: 'فاز الفريق المحلي.' }] });
      const matchKill = await kill(s, match.id);

      const feed = (await call(s, ninjsKey, 'GET', `/v1/feed?cursor=${start}&alert=${alertId}`)).body;
      assert.deepEqual(
        feed.items.map((i: any) => [i.event.kind, i.event.storyId]),
        [
          ['published', match.id],
          ['killed', match.id],
        ],
      );
      await until('stream items', () => streamed.length === 2);
      assert.deepEqual(
        streamed.map((i) => i.event.seq),
        [match.seq, matchKill],
      );
      await until('webhook deliveries', () => received.length === 2);
      assert.deepEqual(
        received.map((m) => m.type),
        ['story.published', 'story.killed'],
      );
      assert.equal(received[0].data.format, 'ninjs');

      const del = await call(s, ninjsKey, 'DELETE', `/v1/saved-searches/${alertId}`);
      assert.equal(del.status, 409, 'a saved search that filters a webhook is not deleted under it');
      await call(s, ninjsKey, 'DELETE', `/v1/webhooks/${hook.body.id}`);
      assert.equal((await call(s, ninjsKey, 'DELETE', `/v1/saved-searches/${alertId}`)).status, 204);
      assert.equal((await call(s, ninjsKey, 'GET', `/v1/feed?alert=${alertId}`)).status, 404);
    } finally {
      es?.close();
      rx.close();
      rx.closeAllConnections();
    }
  });
});
