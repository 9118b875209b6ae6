// Editable products and subscriptions over real HTTP: after an admin changes a subscriber's products or
// narrows a product's filters, the pull feed, the live stream and webhooks (a real receiver) agree that
// nothing new outside the entitlements leaks, while the correction and the kill of a story the subscriber
// had still reach it; a replay from the start answers as the live delivery did; every change is audited
// with the key that made it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import { Webhook } from 'standardwebhooks';
import { addProduct, addSubscriber, call, kill, publish, sleep, startServer, until, update, type FlowServer } from './subscriber-helpers.ts';

const KINDS = ['published', 'updated', 'corrected', 'killed', 'embargo-lifted'];
type Got = [kind: string, headline: string];
const brief = (i: any): Got => [i.event.kind, i.story.content.headline];

describe('editable entitlements: feed, stream and webhooks after products change', () => {
  let s: FlowServer;
  const subs: Record<string, { id: string; key: string; stream: Got[]; hook: Got[]; es?: EventSource }> = {};
  let start = '';
  const hookServer = createServer();
  const verifiers = new Map<string, { name: string; wh: Webhook }>();
  const products: Record<string, string> = {};

  before(async () => {
    s = await startServer({ webhooks: { baseDelayMs: 20, tickMs: 30 } });
    for (const [name, languages] of [
      ['Arabic', ['ar']],
      ['Turkish', ['tr']],
      ['Everything', []],
    ] as const) {
      await addProduct(s, { name, languages: [...languages] });
    }
    for (const p of (await call(s, s.adminKey, 'GET', '/v1/products')).body.products) products[p.name] = p.id;
    hookServer.on('request', (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const v = verifiers.get(req.url!)!;
        const payload = v.wh.verify(body, req.headers as Record<string, string>) as any;
        subs[v.name].hook.push(brief(payload.data));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const port = (hookServer.address() as AddressInfo).port;
    for (const [name, ps] of [
      ['loser', ['Arabic']],
      ['narrowed', ['Everything']],
      ['gainer', ['Turkish']],
    ] as const) {
      const { key, subscriber } = await addSubscriber(s, name, [...ps]);
      subs[name] = { id: subscriber.id, key, stream: [], hook: [] };
    }
    start = (await call(s, subs.loser.key, 'GET', '/v1/feed')).body.next_cursor;
    for (const [name, sub] of Object.entries(subs)) {
      const r = await call(s, sub.key, 'POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/${name}`, cursor: start });
      assert.equal(r.status, 201);
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

  it('passes follow-ups of stories a subscriber had, and nothing new outside its products in force', async () => {
    const a1 = await publish(s, { language: 'ar', headline: 'A1' });
    await publish(s, { language: 'tr', headline: 'T1' });
    // Let every channel see the first two stories under the first entitlements.
    await until('live delivery of A1', () => subs.loser.stream.length >= 1 && subs.narrowed.stream.length >= 2 && subs.gainer.stream.length >= 1, 8000);
    await sleep(20);

    let r = await call(s, s.adminKey, 'PUT', `/v1/subscribers/${subs.loser.id}/products`, { products: ['Turkish'] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      r.body.products.map((p: any) => p.name),
      ['Turkish'],
    );
    assert.equal(r.body.entitlements, undefined, 'the timeline the rule reads is not part of the API view');
    r = await call(s, s.adminKey, 'PATCH', `/v1/products/${products.Everything}`, { languages: ['tr'] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.languages, ['tr']);
    r = await call(s, s.adminKey, 'PATCH', `/v1/subscribers/${subs.gainer.id}`, { products: ['Turkish', 'Arabic'], seatLimit: 5 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.seatLimit, 5);
    await sleep(20);

    await publish(s, { language: 'ar', headline: 'A2' });
    await update(s, a1.id, { headline: 'A1b' });
    await kill(s, a1.id);
    await publish(s, { language: 'tr', headline: 'T2' });

    const want: Record<string, Got[]> = {
      // Lost Arabic: no A2, but the update and kill of A1, which it had; T2 from its new product.
      loser: [
        ['published', 'A1'],
        ['updated', 'A1b'],
        ['killed', 'A1b'],
        ['published', 'T2'],
      ],
      // Its product narrowed to Turkish: the same.
      narrowed: [
        ['published', 'A1'],
        ['published', 'T1'],
        ['updated', 'A1b'],
        ['killed', 'A1b'],
        ['published', 'T2'],
      ],
      // Gained Arabic: Arabic events from then on only (A1's later update and kill are Arabic events it now
      // takes), never A1's first publish, which came before.
      gainer: [
        ['published', 'T1'],
        ['published', 'A2'],
        ['updated', 'A1b'],
        ['killed', 'A1b'],
        ['published', 'T2'],
      ],
    };
    for (const [name, sub] of Object.entries(subs)) {
      const expected = want[name];
      const feed = (await call(s, sub.key, 'GET', `/v1/feed?cursor=${start}&limit=500`)).body.items.map(brief);
      assert.deepEqual(feed, expected, `${name} by feed`);
      await until(`${name} by stream`, () => sub.stream.length >= expected.length, 8000);
      await until(`${name} by webhook`, () => sub.hook.length >= expected.length, 8000);
      await sleep(150);
      assert.deepEqual(sub.stream, expected, `${name} by stream`);
      assert.deepEqual(sub.hook, expected, `${name} by webhook`);
      // A replay from the start, after the changes, answers as the live delivery did.
      const replay: Got[] = [];
      const es = new EventSource(`${s.url}/v1/stream?cursor=${start}&access_token=${sub.key}`);
      for (const kind of KINDS) es.addEventListener(kind, (e) => replay.push(brief(JSON.parse(e.data))));
      await until(`${name} replay`, () => replay.length >= expected.length, 8000);
      await sleep(100);
      es.close();
      assert.deepEqual(replay, expected, `${name} by replayed stream`);
    }
    // Search judges by the same rule, each story with the entitlements in force when it was published.
    const found = async (name: string) => {
      const r = await call(s, subs[name].key, 'GET', `/v1/search?q=${encodeURIComponent('المياه')}&limit=50`);
      assert.equal(r.status, 200);
      return r.body.hits.map((h: any) => h.headline).sort();
    };
    assert.deepEqual(await found('loser'), ['T2']);
    assert.deepEqual(await found('narrowed'), ['T1', 'T2']);
    assert.deepEqual(await found('gainer'), ['A2', 'T1', 'T2']);
  });

  it('records every admin change with the key that made it, filterable and paged newest first', async () => {
    const admin = await s.rt.keys.authenticate(s.adminKey);
    assert.ok(admin);
    const all = await call(s, s.adminKey, 'GET', `/v1/audit?actor=${admin.id}&limit=500`);
    assert.equal(all.status, 200);
    const actions = all.body.entries.map((e: any) => e.action);
    for (const a of ['product.create', 'product.update', 'subscriber.create', 'subscriber.products', 'subscriber.update', 'key.create'])
      assert.ok(actions.includes(a), a);
    for (const e of all.body.entries) assert.deepEqual(e.actor, { type: 'key', id: admin.id, name: admin.label ?? admin.prefix });
    const ids = all.body.entries.map((e: any) => e.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a: number, b: number) => b - a),
      'newest first',
    );
    // A subscriber's own key creating its webhook is the actor of that entry.
    const hooks = await call(s, s.adminKey, 'GET', `/v1/audit?targetType=webhook`);
    assert.equal(hooks.body.entries.length, 3);
    for (const e of hooks.body.entries) assert.equal(e.actor.type, 'key');
    assert.ok(!hooks.body.entries.some((e: any) => e.actor.id === admin.id));
    const loser = await call(s, s.adminKey, 'GET', `/v1/audit?targetType=subscriber&target=${subs.loser.id}`);
    const change = loser.body.entries.find((e: any) => e.action === 'subscriber.products');
    assert.deepEqual(change.details, { before: ['Arabic'], after: ['Turkish'], effectiveAt: change.details.effectiveAt });
    assert.match(change.details.effectiveAt, /^\d{4}-\d\d-\d\dT/);
    const product = await call(s, s.adminKey, 'GET', `/v1/audit?target=${products.Everything}&targetType=product`);
    assert.deepEqual(product.body.entries[0].details.before.languages, []);
    assert.deepEqual(product.body.entries[0].details.after.languages, ['tr']);
    // Keyset pagination: two pages of two cover the first four, without overlap.
    const p1 = await call(s, s.adminKey, 'GET', `/v1/audit?limit=2`);
    const p2 = await call(s, s.adminKey, 'GET', `/v1/audit?limit=2&before=${p1.body.next}`);
    assert.deepEqual(
      [...p1.body.entries, ...p2.body.entries].map((e: any) => e.id),
      (await call(s, s.adminKey, 'GET', `/v1/audit?limit=4`)).body.entries.map((e: any) => e.id),
    );
    // The history of what was in force, with when it took effect.
    const detail = await call(s, s.adminKey, 'GET', `/v1/subscribers/${subs.loser.id}`);
    assert.equal(detail.body.productHistory.length, 2);
    assert.deepEqual(detail.body.productHistory[1].productIds, [products.Turkish]);
    const versions = await call(s, s.adminKey, 'GET', `/v1/products/${products.Everything}/history`);
    assert.deepEqual(
      versions.body.versions.map((v: any) => v.product.languages),
      [[], ['tr']],
    );
  });

  it('answers bad edits with a clear 4xx and changes nothing', async () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['PATCH', `/v1/products/${products.Arabic}`, {}, 400, /fewer than 1|minProperties|at least/i],
      ['PATCH', `/v1/products/${products.Arabic}`, { name: 'Other' }, 400, /additional|name/i],
      ['PATCH', `/v1/products/${products.Arabic}`, { languages: ['not a tag!'] }, 400, /language/i],
      ['PATCH', `/v1/products/${products.Arabic}`, { maxUrgency: 12 }, 400, /maxUrgency|maximum|9/i],
      ['PATCH', '/v1/products/0000000000000000000000000z', { languages: ['ar'] }, 404, /no product/],
      ['PUT', `/v1/subscribers/${subs.loser.id}/products`, { products: ['Nope'] }, 404, /no product "Nope"/],
      ['PUT', `/v1/subscribers/${subs.loser.id}/products`, { products: [] }, 400, /products|fewer|minItems|at least/i],
      ['PUT', '/v1/subscribers/0000000000000000000000000z/products', { products: ['Arabic'] }, 404, /no subscriber/],
      ['PATCH', `/v1/subscribers/${subs.loser.id}`, { seatLimit: 0 }, 400, /seatLimit|minimum|>= 1/i],
      ['GET', '/v1/audit?limit=0', undefined, 400, /limit|minimum/i],
    ];
    for (const [method, path, body, status, message] of cases) {
      const r = await call(s, s.adminKey, method, path, body);
      assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
      assert.match(String(r.body.message ?? r.body.error), message, `${method} ${path}`);
    }
    const arabic = (await call(s, s.adminKey, 'GET', '/v1/products')).body.products.find((p: any) => p.name === 'Arabic');
    assert.deepEqual(arabic.languages, ['ar'], 'no refused edit changed the product');
    const loser = (await call(s, s.adminKey, 'GET', `/v1/subscribers/${subs.loser.id}`)).body;
    assert.deepEqual(
      loser.products.map((p: any) => p.name),
      ['Turkish'],
    );
    // Only admins edit or read the trail.
    assert.equal((await call(s, subs.loser.key, 'GET', '/v1/audit')).status, 403);
    assert.equal((await call(s, subs.loser.key, 'PATCH', `/v1/products/${products.Arabic}`, { languages: ['tr'] })).status, 403);
  });
});
