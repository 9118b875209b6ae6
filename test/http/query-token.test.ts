// Where a key in the URL (?access_token=) is accepted: only the GET routes a browser's EventSource or
// WebSocket, or a feed reader, needs (feed, stream, ws, usage); never a write or an admin route, even
// with an admin key. /metrics answers only an admin key. The 413 of /v1/import names its real limit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QUERY_TOKEN_ROUTES } from '../../src/http/auth.ts';
import { sampleContent } from '../helpers.ts';
import { addReader, startServer, type TestServer } from './server.ts';

// `ws` comes with @fastify/websocket; Node 20 has no WebSocket client of its own.
const { WebSocket } = await import('ws' as string);

let s: TestServer;
let subscriberKey: string;
let subscriberId: string;
before(async () => {
  s = await startServer();
  ({ subscriberId, key: subscriberKey } = await addReader(s));
});
after(async () => {
  await s.close();
});

const withToken = (path: string, key: string) => `${s.url}${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(key)}`;

describe('?access_token=', () => {
  it('cannot write a story or define a product, with the very keys that may do it by header', async () => {
    const stories = await s.rt.store.countStories();
    const { hashtags: _h, ...draft } = sampleContent();
    const story = await fetch(withToken('/v1/stories', s.editor), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(draft),
    });
    assert.equal(story.status, 401);
    assert.match(((await story.json()) as { message: string }).message, /access_token= is accepted only by GET .*Authorization: Bearer/);
    assert.equal(await s.rt.store.countStories(), stories, 'nothing stored');

    const product = await fetch(withToken('/v1/products', s.admin), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sneaky' }),
    });
    assert.equal(product.status, 401);
    assert.ok(!(await s.rt.store.subscribers.listProducts()).some((p) => p.name === 'Sneaky'), 'no product defined');

    // The same requests with the key in the header are fine: only the way the key travels is refused.
    assert.equal((await s.call('/v1/stories', { method: 'POST', json: draft })).status, 201);
    assert.equal((await s.call('/v1/products', { method: 'POST', key: s.admin, json: { name: 'Open' } })).status, 201);
  });

  it('is refused by every secured route of the API but feed, stream, ws and usage, even with an admin key', async () => {
    const doc = (await (await fetch(s.url + '/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    let refused = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.security?.length) continue;
        const route = path.replace(/\{(\w+)\}/g, ':$1');
        if (method === 'get' && QUERY_TOKEN_ROUTES.has(route)) continue;
        const body = method !== 'get' && method !== 'delete' ? '{}' : undefined;
        const r = await fetch(withToken(path.replace(/\{[^}]+\}/g, '01m8g0000000000000000000zz'), s.admin), {
          method: method.toUpperCase(),
          body,
          headers: body ? { 'content-type': 'application/json' } : {},
        });
        assert.equal(r.status, 401, `${method.toUpperCase()} ${path} with ?access_token=<admin key>`);
        await r.body?.cancel();
        refused++;
      }
    }
    assert.ok(refused >= 25, `${refused} routes refused a key in the URL`);
  });

  it('still opens the feed, the stream, the WebSocket and the usage report', async () => {
    const feed = await fetch(withToken('/v1/feed', subscriberKey));
    assert.equal(feed.status, 200);
    assert.ok(Array.isArray(((await feed.json()) as { items: unknown[] }).items));

    const ac = new AbortController();
    const stream = await fetch(withToken('/v1/stream', subscriberKey), { signal: ac.signal });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
    ac.abort();

    const ws = new WebSocket(withToken('/v1/ws', subscriberKey).replace(/^http/, 'ws'));
    await new Promise<void>((ok, fail) => {
      ws.on('open', () => ok());
      ws.on('unexpected-response', (_req: unknown, res: { statusCode: number }) => fail(new Error(`WebSocket refused: HTTP ${res.statusCode}`)));
      ws.on('error', fail);
    });
    ws.close();

    const usage = await fetch(withToken(`/v1/subscribers/${subscriberId}/usage`, subscriberKey));
    assert.equal(usage.status, 200);
    assert.equal(((await usage.json()) as { subscriberId: string }).subscriberId, subscriberId);
  });
});

it('/metrics answers only an admin key, and never a key in the URL', async () => {
  const none = await fetch(s.url + '/metrics');
  assert.equal(none.status, 401);
  await none.body?.cancel();
  for (const key of [s.editor, subscriberKey]) {
    const r = await s.call('/metrics', { key });
    assert.equal(r.status, 403);
    await r.body?.cancel();
  }
  const admin = await s.call('/metrics', { key: s.admin });
  assert.equal(admin.status, 200);
  assert.match(await admin.text(), /^newsflow_log_head\{node="[^"]+"\} \d+$/m);
  const inUrl = await fetch(withToken('/metrics', s.admin));
  assert.equal(inUrl.status, 401);
  await inUrl.body?.cancel();
});

it('the 413 of /v1/import states its real limit of 5 MiB', async () => {
  const r = await s.call('/v1/import', { method: 'POST', body: 'x'.repeat(6 * 1024 * 1024), headers: { 'content-type': 'application/xml' } });
  assert.equal(r.status, 413);
  const { message } = (await r.json()) as { message: string };
  assert.match(message, /limit of 5 MiB \(5242880 bytes\)/);
  const small = await s.call('/v1/stories', { method: 'POST', json: sampleContent({ deck: 'x'.repeat(2 * 1024 * 1024) }) });
  assert.equal(small.status, 413);
  assert.match(((await small.json()) as { message: string }).message, /limit of 1 MiB \(1048576 bytes\)/, 'other routes keep the app-wide limit');
});
