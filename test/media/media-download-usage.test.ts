// Download usage over real HTTP: a subscriber's downloads are counted per day in memory (no store write
// per download), read back current by the usage route, and written by a clean stop, so a restart finds
// every one. Also the download itself: whole, ranged across the 1 MiB pieces, HEAD, a reader leaving.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { buildWebApp } from '../../src/server/app.ts';
import { configWith } from '../../src/server/config.ts';
import { issueKey } from '../../src/flow/keys.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { productFrom } from '../../src/model/subscribers.ts';
import { sampleContent, tempDbFile, tempDir } from '../helpers.ts';

const dir = tempDir('newsflow-media-usage-');
const db = tempDbFile();
const media = { dir: join(dir, 'media'), workers: 1 };
let rt: Runtime | null = null;
let app: FastifyInstance | null = null;

after(async () => {
  await app?.close();
  await rt?.close();
});

async function serve(): Promise<string> {
  rt = await openRuntime(db, { media });
  await rt.media.start();
  ({ app } = await buildWebApp(rt, configWith({})));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A download on a connection of its own, closed once the response ends; resolves with its length. */
function downloadOnce(link: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(link, { agent: false }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
    }).on('error', reject);
  });
}

async function stop(): Promise<void> {
  await app!.close();
  await rt!.close();
  app = null;
  rt = null;
}

test('downloads are counted per subscriber per day, read current by the usage route, and kept across a clean stop', async () => {
  let url = await serve();
  const editor = (await issueKey(rt!.store, 'editor')).secret;
  await rt!.store.subscribers.createProduct(productFrom({ name: 'all', mediaTypes: [] }));
  const a = await rt!.store.subscribers.createSubscriber({ name: 'Photo desk A', products: ['all'] });
  const b = await rt!.store.subscribers.createSubscriber({ name: 'Photo desk B', products: ['all'] });
  const keyA = (await issueKey(rt!.store, 'subscriber', { subscriberId: a.id })).secret;

  // Noise compresses badly: a ~3 MB original, several of the route's 1 MiB reads.
  const file = join(dir, 'noise.jpg');
  await sharp({ create: { width: 1800, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .jpeg({ quality: 100 })
    .toFile(file);
  const bytes = readFileSync(file);
  assert.ok(bytes.length > 2.5 * (1 << 20), `the file spans several reads (${bytes.length} bytes)`);
  const up = await fetch(`${url}/v1/media?filename=noise.jpg`, {
    method: 'POST',
    headers: { authorization: `Bearer ${editor}`, 'content-type': 'image/jpeg' },
    body: bytes,
  });
  assert.equal(up.status, 201);
  const id = ((await up.json()) as { id: string }).id;
  assert.equal((await rt!.media.settled(id)).state, 'done');
  const draft = await rt!.newsroom.createDraft(sampleContent({ photos: [{ url: 'x', mediaId: id }] as never }), SYSTEM_ACTOR);
  await rt!.newsroom.publish(draft.id, SYSTEM_ACTOR);

  const linkA = rt!.media.signedLink(id, 'original', a.id).href;
  const linkB = rt!.media.signedLink(id, 'original', b.id).href;
  // Whole downloads: the same bytes, every time.
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${url}${linkA}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(bytes.length));
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes), 'the downloaded file is the stored file');
  }
  // A range across the 1 MiB boundary, and one from byte 0 (a download's start: counted).
  const across = await fetch(`${url}${linkA}`, { headers: { range: `bytes=${(1 << 20) - 5}-${(1 << 20) + 4}` } });
  assert.equal(across.status, 206);
  assert.ok(Buffer.from(await across.arrayBuffer()).equals(bytes.subarray((1 << 20) - 5, (1 << 20) + 5)));
  const head = await fetch(`${url}${linkA}`, { headers: { range: 'bytes=0-99' } });
  assert.equal(head.status, 206);
  assert.ok(Buffer.from(await head.arrayBuffer()).equals(bytes.subarray(0, 100)));
  // HEAD: the headers of a download, no body, not counted.
  const head0 = await fetch(`${url}${linkB}`, { method: 'HEAD' });
  assert.equal(head0.status, 200);
  assert.equal(head0.headers.get('content-length'), String(bytes.length));
  assert.equal(head0.headers.get('content-type'), 'image/jpeg');
  assert.equal(head0.headers.get('accept-ranges'), 'bytes');
  assert.equal((await head0.arrayBuffer()).byteLength, 0);
  // A reader that leaves part way: the server lets go and goes on serving (B's download counts: it began).
  await new Promise<void>((resolve, reject) => {
    get(`${url}${linkB}`, { agent: false }, (res) => {
      res.once('data', () => {
        res.destroy();
        resolve();
      });
    }).on('error', reject);
  });
  // A revalidation is not a download.
  const whole = await fetch(`${url}${linkB}`);
  const etag = whole.headers.get('etag')!;
  assert.ok(Buffer.from(await whole.arrayBuffer()).equals(bytes), 'served whole after a reader left');
  assert.equal((await fetch(`${url}${linkB}`, { headers: { 'if-none-match': etag } })).status, 304);

  // The usage route reads the counts current (nothing waits for the once-a-second write).
  const today = new Date().toISOString().slice(0, 10);
  const usage = await fetch(`${url}/v1/subscribers/${a.id}/usage`, { headers: { authorization: `Bearer ${keyA}` } });
  assert.equal(usage.status, 200);
  const body = (await usage.json()) as { days: { channel: string; day: string; count: number }[]; totals: Record<string, number> };
  assert.deepEqual(
    body.days.filter((d) => d.channel === 'download').map((d) => [d.day, d.count]),
    [[today, 4]],
  );

  // Two more for A, then a clean stop right away: the stop writes them. (Without keep-alive: a client
  // can hold every byte before the server's side of the response ends, and a connection that goes idle
  // after the stop began would be kept open until its keep-alive timeout.)
  for (let i = 0; i < 2; i++) assert.equal(await downloadOnce(`${url}${linkA}`), bytes.length);
  await stop();
  url = await serve();
  const downloads = async (sub: string) => (await rt!.store.subscribers.usage(sub)).filter((u) => u.channel === 'download').map((u) => [u.day, u.count]);
  assert.deepEqual(await downloads(a.id), [[today, 6]]);
  assert.deepEqual(await downloads(b.id), [[today, 2]]);
});
