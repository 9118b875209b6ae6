// The entitlement matrix across every channel: each subscriber gets, by pull feed, live stream and
// webhook alike, exactly the events its products allow — follow-ups of what it received (including
// the kill), embargoed stories only with embargo rights until the lift, delayed tiers late.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { Webhook } from 'standardwebhooks';
import { addProduct, addSubscriber, call, kill, publish, sleep, startServer, until, update, type FlowServer } from './subscriber-helpers.ts';

const KINDS = ['published', 'updated', 'corrected', 'killed', 'embargo-lifted'];
type Got = { seq: number; kind: string; story: string; embargo: boolean };
const brief = (i: any): Got => ({ seq: i.event.seq, kind: i.event.kind, story: i.story.content.headline, embargo: !!i.embargo });

describe('entitlement matrix: feed, stream and webhooks agree', () => {
  let s: FlowServer;
  const subs: Record<string, { key: string; feed: Got[]; stream: Got[]; hook: Got[]; es?: EventSource }> = {};
  let start = '';
  const hookServer = createServer();
  const verifiers = new Map<string, { name: string; wh: Webhook }>();

  before(async () => {
    s = await startServer({ webhooks: { baseDelayMs: 20, tickMs: 30 } });
    await addProduct(s, { name: 'Arabic text', languages: ['ar'], mediaTypes: ['text'] });
    await addProduct(s, { name: 'Turkish photo', languages: ['tr'], mediaTypes: ['photo'] });
    await addProduct(s, { name: 'World with embargoes', embargoRights: true });
    await addProduct(s, { name: 'Arabic late', languages: ['ar'], delaySeconds: 2 });
    hookServer.on('request', (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const path = req.url!;
        const v = verifiers.get(path)!;
        const payload = v.wh.verify(body, req.headers as Record<string, string>) as any;
        subs[v.name].hook.push(brief(payload.data));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const port = (hookServer.address() as AddressInfo).port;
    for (const [name, products] of [
      ['ar', ['Arabic text']],
      ['trPhoto', ['Turkish photo']],
      ['embargo', ['World with embargoes']],
      ['late', ['Arabic late']],
    ] as const) {
      const { key } = await addSubscriber(s, name, [...products]);
      subs[name] = { key, feed: [], stream: [], hook: [] };
    }
    start = (await call(s, subs.ar.key, 'GET', '/v1/feed')).body.next_cursor;
    for (const [name, sub] of Object.entries(subs)) {
      const r = await call(s, sub.key, 'POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/${name}`, cursor: start });
      verifiers.set(`/${name}`, { name, wh: new Webhook(r.body.secret) });
      sub.es = new EventSource(`${s.url}/v1/stream?cursor=${start}&access_token=${sub.key}`);
      for (const kind of KINDS) sub.es.addEventListener(kind, (e) => sub.stream.push(brief(JSON.parse(e.data))));
    }
  });
  after(async () => {
    for (const sub of Object.values(subs)) sub.es?.close();
    await s.stop();
    hookServer.closeAllConnections();
    hookServer.close();
  });

  it('delivers exactly the entitled events by every channel', async () => {
    const x = await publish(s, { language: 'ar', mediaType: 'text', headline: 'X' });
    await publish(s, { language: 'tr', mediaType: 'photo', headline: 'Y' });
    // X moves out of the Arabic products: those who had it still get its follow-ups.
    await update(s, x.id, { language: 'tr', headline: 'X2' });
    await kill(s, x.id);
    const embargoUntil = new Date(Date.now() + 1200).toISOString();
    await publish(s, { language: 'ar', headline: 'Z', embargoUntil });
    await sleep(1300);
    const lifted = await s.rt.newsroom.liftDueEmbargoes();
    assert.equal(lifted.length, 1);
    const w = await publish(s, { language: 'ar', mediaType: 'photo', headline: 'W' });

    const want: Record<string, [string, string, boolean][]> = {
      ar: [
        ['published', 'X', false],
        ['updated', 'X2', false],
        ['killed', 'X2', false],
        ['embargo-lifted', 'Z', false],
      ],
      trPhoto: [['published', 'Y', false]],
      embargo: [
        ['published', 'X', false],
        ['published', 'Y', false],
        ['updated', 'X2', false],
        ['killed', 'X2', false],
        ['published', 'Z', true],
        ['embargo-lifted', 'Z', false],
        ['published', 'W', false],
      ],
      late: [
        ['published', 'X', false],
        ['updated', 'X2', false],
        ['killed', 'X2', false],
        ['embargo-lifted', 'Z', false],
        ['published', 'W', false],
      ],
    };
    // The late tier holds W until two seconds after it was published.
    const early = await call(s, subs.late.key, 'GET', `/v1/feed?cursor=${start}&limit=500`);
    assert.ok(!early.body.items.some((i: any) => i.event.seq === w.seq), 'the delayed tier does not see W yet');
    await sleep(2100);
    for (const [name, sub] of Object.entries(subs)) {
      const r = await call(s, sub.key, 'GET', `/v1/feed?cursor=${start}&limit=500`);
      sub.feed = r.body.items.map(brief);
      const expected = want[name];
      const shape = (g: Got[]) => g.map((i) => [i.kind, i.story, i.embargo]);
      assert.deepEqual(shape(sub.feed), expected, `${name} by feed`);
      await until(`${name} by stream`, () => sub.stream.length >= expected.length, 8000);
      await until(`${name} by webhook`, () => sub.hook.length >= expected.length, 8000);
      await sleep(100);
      assert.deepEqual(shape(sub.stream), expected, `${name} by stream`);
      assert.deepEqual(shape(sub.hook), expected, `${name} by webhook`);
      assert.deepEqual(
        sub.stream.map((g) => g.seq),
        sub.feed.map((g) => g.seq),
      );
    }
    const usage = await call(s, s.adminKey, 'GET', `/v1/subscribers/${(await call(s, s.adminKey, 'GET', '/v1/subscribers')).body.subscribers[0].id}/usage`);
    assert.ok(usage.body.totals.stream >= 4 && usage.body.totals.webhook >= 4 && usage.body.totals.feed >= 4, JSON.stringify(usage.body.totals));
  });
});
