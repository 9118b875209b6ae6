// Photos end to end over real HTTP: upload (multipart and raw), IPTC metadata read back field by field,
// renditions' sizes, formats and embedded credit (read by ExifTool), corrections, photos in stories,
// signed downloads with the entitlement rule rechecked, Range/ETag, usage, and every bad input.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { buildWebApp } from '../../src/server/app.ts';
import { configWith } from '../../src/server/config.ts';
import { issueKey } from '../../src/flow/keys.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { productFrom } from '../../src/model/subscribers.ts';
import { sampleContent, tempDbFile, tempDir } from '../helpers.ts';
import { drawJpeg, readTags, tag } from './fixtures.ts';

let rt: Runtime;
let app: FastifyInstance;
let url: string;
let dir: string;
let editor: string;
let photoSub: { id: string; key: string };
let textSub: { id: string; key: string };

const MAX_BYTES = 3_000_000;

before(async () => {
  dir = tempDir('newsflow-media-');
  // The media folder named, as NEWSFLOW_MEDIA_DIR would: the store may be PostgreSQL (NEWSFLOW_TEST_STORE).
  rt = await openRuntime(tempDbFile(), { media: { dir: join(dir, 'media'), maxBytes: MAX_BYTES, maxPixels: 50_000_000, workers: 2 } });
  await rt.media.start();
  ({ app } = await buildWebApp(rt, configWith({})));
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  editor = (await issueKey(rt.store, 'editor')).secret;
  await rt.store.subscribers.createProduct(productFrom({ name: 'all', mediaTypes: [] }));
  await rt.store.subscribers.createProduct(productFrom({ name: 'text only', mediaTypes: ['text'] }));
  const a = await rt.store.subscribers.createSubscriber({ name: 'Photo desk', products: ['all'] });
  const b = await rt.store.subscribers.createSubscriber({ name: 'Text desk', products: ['text only'] });
  photoSub = { id: a.id, key: (await issueKey(rt.store, 'subscriber', { subscriberId: a.id })).secret };
  textSub = { id: b.id, key: (await issueKey(rt.store, 'subscriber', { subscriberId: b.id })).secret };
});

after(async () => {
  await app.close();
  await rt.close();
});

async function upload(bytes: Buffer, filename: string, key = editor): Promise<{ status: number; body: Record<string, any> }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  const res = await fetch(`${url}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function taggedPhoto(name: string, w = 3000, h = 2000): Promise<string> {
  const file = join(dir, name);
  await drawJpeg(file, w, h, { orientation: 6 });
  tag(file, {
    'IPTC:Headline': 'Harbour cranes at dawn',
    'IPTC:Caption-Abstract': 'Cranes unload a container ship at the port of Mersin, Türkiye.',
    'IPTC:By-line': 'Deniz Kaya',
    'IPTC:Credit': 'newsflow demo agency',
    'IPTC:CopyrightNotice': '© 2026 newsflow demo agency',
    'IPTC:City': 'Mersin',
    'IPTC:Country-PrimaryLocationName': 'Türkiye',
    'IPTC:Keywords': ['port', 'cranes'],
    'EXIF:DateTimeOriginal': '2026:11:30 06:15:00',
    'EXIF:Orientation#': 6,
    'EXIF:GPSLatitude': 36.8,
    'EXIF:GPSLatitudeRef': 'N',
    'EXIF:GPSLongitude': 34.6,
    'EXIF:GPSLongitudeRef': 'E',
  });
  return file;
}

let photoId = '';

test('an uploaded photo: IPTC metadata read field by field, renditions made with credit in their XMP and no GPS', async () => {
  const file = await taggedPhoto('harbour.jpg');
  const res = await upload(readFileSync(file), 'harbour.jpg');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  photoId = res.body.id;
  assert.match(photoId, /^m[0-9a-f]{32}$/);
  const m = res.body.asset.metadata;
  assert.equal(m.headline, 'Harbour cranes at dawn');
  assert.equal(m.caption, 'Cranes unload a container ship at the port of Mersin, Türkiye.');
  assert.equal(m.creator, 'Deniz Kaya');
  assert.equal(m.credit, 'newsflow demo agency');
  assert.equal(m.copyright, '© 2026 newsflow demo agency');
  assert.equal(m.city, 'Mersin');
  assert.equal(m.country, 'Türkiye');
  assert.deepEqual(m.keywords, ['port', 'cranes']);
  assert.equal(m.dateCreated.slice(0, 16), '2026-11-30T06:15');
  assert.equal(m.orientation, 6);
  assert.equal(m.hasGps, true);
  // Orientation 6: the upright photo is 2000 wide and 3000 high.
  assert.equal(m.width, 2000);
  assert.equal(m.height, 3000);

  const asset = await rt.media.settled(photoId);
  assert.equal(asset.state, 'done', asset.error ?? '');
  const names = asset.renditions.map((r) => r.name).sort();
  assert.deepEqual(names, ['original', 'preview-jpeg', 'preview-webp', 'small-jpeg', 'small-webp', 'thumbnail-jpeg', 'thumbnail-webp', 'web-jpeg', 'web-webp']);
  const expected: Record<string, number> = { thumbnail: 320, small: 640, preview: 1024, web: 2048 };
  for (const r of asset.renditions.filter((x) => x.name !== 'original')) {
    const size = r.name.split('-')[0];
    assert.equal(r.height, expected[size], `${r.name} is ${expected[size]} high (portrait after orientation)`);
    assert.equal(r.width, Math.round((expected[size] * 2000) / 3000));
    const res2 = await fetch(`${url}${r.href}`, { headers: { authorization: `Bearer ${editor}` } });
    assert.equal(res2.status, 200);
    assert.equal(res2.headers.get('content-type'), r.contentType);
    const bytes = Buffer.from(await res2.arrayBuffer());
    assert.equal(bytes.length, r.sizeInBytes);
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.format, r.contentType === 'image/webp' ? 'webp' : 'jpeg');
    assert.equal(meta.width, r.width);
    assert.equal(meta.height, r.height);
    assert.ok(!meta.orientation || meta.orientation === 1, 'orientation applied, not flagged');
    const out = join(dir, `${r.name}.${r.contentType === 'image/webp' ? 'webp' : 'jpg'}`);
    writeFileSync(out, bytes);
    const tags = readTags(out);
    assert.equal(tags['XMP:Credit'], 'newsflow demo agency', `${r.name} carries the credit`);
    assert.equal(tags['XMP:Rights'], '© 2026 newsflow demo agency');
    assert.equal(tags['XMP:Description'], 'Cranes unload a container ship at the port of Mersin, Türkiye.');
    assert.equal(tags['XMP:Creator'], 'Deniz Kaya');
    assert.ok(!Object.keys(tags).some((k) => /GPS/i.test(k)), `${r.name} has no GPS tag`);
  }
});

test('the same bytes uploaded twice are one asset; raw bodies work with ?filename=', async () => {
  const file = join(dir, 'harbour.jpg');
  const res = await fetch(`${url}/v1/media?filename=again.jpg`, {
    method: 'POST',
    headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/octet-stream' },
    body: readFileSync(file),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { id: string; created: boolean };
  assert.equal(body.id, photoId);
  assert.equal(body.created, false);
});

test('uploading needs the editor role', async () => {
  const res = await upload(readFileSync(join(dir, 'harbour.jpg')), 'x.jpg', photoSub.key);
  assert.equal(res.status, 403);
  const none = await fetch(`${url}/v1/media`, { method: 'POST', body: 'x' });
  assert.equal(none.status, 401);
});

test('an editor corrects caption and credit: the renditions are made again and carry the new values', async () => {
  const res = await fetch(`${url}/v1/media/${photoId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
    body: JSON.stringify({ caption: 'Corrected caption: cranes at Mersin port.', credit: 'Deniz Kaya / newsflow' }),
  });
  assert.equal(res.status, 200);
  await new Promise((r) => setTimeout(r, 20));
  const asset = await rt.media.settled(photoId);
  assert.equal(asset.metadata.caption, 'Corrected caption: cranes at Mersin port.');
  const thumb = asset.renditions.find((r) => r.name === 'thumbnail-jpeg')!;
  const bytes = Buffer.from(await (await fetch(`${url}${thumb.href}`, { headers: { authorization: `Bearer ${editor}` } })).arrayBuffer());
  const out = join(dir, 'corrected.jpg');
  writeFileSync(out, bytes);
  assert.equal(readTags(out)['XMP:Credit'], 'Deniz Kaya / newsflow');
});

let storyId = '';

test('a story with the photo: publish carries its renditions; subscribers get signed links; entitlement rechecked at download', async () => {
  const draft = await rt.newsroom.createDraft(sampleContent({ photos: [{ url: 'x', mediaId: photoId }] as never }), SYSTEM_ACTOR);
  const item = await rt.newsroom.publish(draft.id, SYSTEM_ACTOR);
  storyId = draft.id;
  const photo = item.version.content.photos[0];
  assert.equal(photo.caption, 'Corrected caption: cranes at Mersin port.');
  assert.equal(photo.renditions?.length, 9);
  assert.equal(photo.url, `/v1/media/${photoId}/original`);

  // the photo subscriber: signed links
  const res = await fetch(`${url}/v1/media/${photoId}`, { headers: { authorization: `Bearer ${photoSub.key}` } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { metadata: Record<string, unknown>; renditions: { name: string; href: string; expires: string }[] };
  assert.equal(body.metadata.hasGps, undefined);
  const web = body.renditions.find((r) => r.name === 'web-jpeg')!;
  assert.match(web.href, /sig=/);
  assert.ok(Date.parse(web.expires) - Date.now() > 23 * 3600 * 1000);
  const got = await fetch(`${url}${web.href}`);
  assert.equal(got.status, 200);
  const etag = got.headers.get('etag')!;
  const full = Buffer.from(await got.arrayBuffer());
  // Range and ETag
  const part = await fetch(`${url}${web.href}`, { headers: { range: 'bytes=10-19' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 10-19/${full.length}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), full.subarray(10, 20));
  const same = await fetch(`${url}${web.href}`, { headers: { 'if-none-match': etag } });
  assert.equal(same.status, 304);
  const bad = await fetch(`${url}${web.href}`, { headers: { range: `bytes=${full.length + 5}-` } });
  assert.equal(bad.status, 416);
  // a tampered link
  const forged = await fetch(`${url}${web.href.replace('web-jpeg', 'original')}`);
  assert.equal(forged.status, 403);
  // an expired link
  const expired = rt.media.signedLink(photoId, 'web-jpeg', photoSub.id, Date.now() - 25 * 3600 * 1000);
  const old = await fetch(`${url}${expired.href}`);
  assert.equal(old.status, 403);
  assert.match(((await old.json()) as { message: string }).message, /expired/);
  // usage counted per day on the download channel: the full download only (a Range from byte 10, the
  // 304, the 416 and the refused links are not downloads)
  await rt.deliveries.flush();
  const usage = await rt.store.subscribers.usage(photoSub.id);
  assert.deepEqual(
    usage.filter((u) => u.channel === 'download').map((u) => [u.day, u.count]),
    [[new Date().toISOString().slice(0, 10), 1]],
  );

  // the text-only subscriber: 403, by key and by a link signed for them
  const t = await fetch(`${url}/v1/media/${photoId}`, { headers: { authorization: `Bearer ${textSub.key}` } });
  assert.equal(t.status, 403);
  const tl = rt.media.signedLink(photoId, 'web-jpeg', textSub.id);
  assert.equal((await fetch(`${url}${tl.href}`)).status, 403);
});

test('a killed story’s media answers 410', async () => {
  await rt.newsroom.kill(storyId, 'wrong photo', SYSTEM_ACTOR);
  const link = rt.media.signedLink(photoId, 'web-jpeg', photoSub.id);
  const res = await fetch(`${url}${link.href}`);
  assert.equal(res.status, 410);
});

test('publishing a story whose photo is still rendering says which photos are pending', async () => {
  await rt.media.stop();
  const file = join(dir, 'pending.jpg');
  await drawJpeg(file, 800, 600);
  const res = await upload(readFileSync(file), 'pending.jpg');
  const draft = await rt.newsroom.createDraft(sampleContent({ photos: [{ url: 'x', mediaId: res.body.id }] as never }), SYSTEM_ACTOR);
  await assert.rejects(rt.newsroom.publish(draft.id, SYSTEM_ACTOR), (e: Error & { details?: { pendingPhotos?: string[] } }) => {
    assert.match(e.message, /photos without renditions yet/);
    assert.ok(e.details?.pendingPhotos?.[0].startsWith(res.body.id));
    return true;
  });
  await rt.media.start();
  await rt.media.settled(res.body.id);
  await rt.newsroom.publish(draft.id, SYSTEM_ACTOR);
});

function mediaFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : out.push(join(d, e.name));
  };
  walk(join(dir, 'media'));
  return out.filter((f) => f.endsWith('/original'));
}

test('bad input: each a clear 4xx, nothing half-written stays, the server keeps serving', async () => {
  const before = mediaFiles().length;
  const file = join(dir, 'whole.jpg');
  await drawJpeg(file, 1200, 900);
  const whole = readFileSync(file);
  // truncated JPEG
  let r = await upload(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.jpg');
  assert.equal(r.status, 422);
  assert.match(r.body.message, /truncated/);
  // zero bytes
  r = await upload(Buffer.alloc(0), 'empty.jpg');
  assert.equal(r.status, 400);
  assert.match(r.body.message, /empty/);
  // bytes that are not what the name claims
  const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
  r = await upload(png, 'photo.jpg');
  assert.equal(r.status, 415);
  assert.match(r.body.message, /name says image\/jpeg but the bytes are image\/png/);
  // not a file type at all
  r = await upload(Buffer.from('just some text'), 'notes.txt');
  assert.equal(r.status, 415);
  // decompression bomb: a PNG whose header claims 60000×60000
  const bomb = Buffer.from(png);
  bomb.writeUInt32BE(60000, 16);
  bomb.writeUInt32BE(60000, 20);
  r = await upload(bomb, 'bomb.png');
  assert.equal(r.status, 422);
  assert.match(r.body.message, /above the limit of 50000000 \(NEWSFLOW_MEDIA_MAX_PIXELS\)/);
  // over the size limit
  r = await upload(Buffer.concat([whole, Buffer.alloc(MAX_BYTES)]), 'big.jpg');
  assert.equal(r.status, 413);
  const raw = await fetch(`${url}/v1/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(MAX_BYTES + 10, 1),
  });
  assert.equal(raw.status, 413);
  // path traversal in the name: the name is only a label; the key is the hash
  const trav = await fetch(`${url}/v1/media?filename=${encodeURIComponent('../../../etc/passwd.png')}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${editor}`, 'content-type': 'image/png' },
    body: png,
  });
  assert.equal(trav.status, 201);
  assert.equal(((await trav.json()) as { asset: { filename: string } }).asset.filename, '.._.._.._etc_passwd.png');
  assert.ok(!existsSync(join(dir, '..', 'etc')));
  // an upload cut off mid-stream
  await new Promise<void>((resolve) => {
    const req = httpRequest(`${url}/v1/media?filename=cut.jpg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/octet-stream', 'content-length': String(whole.length) },
    });
    req.on('error', () => resolve());
    req.write(whole.subarray(0, 5000), () => setTimeout(() => req.destroy(), 100));
    req.on('close', () => resolve());
  });
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(readdirSync(join(dir, 'media', 'tmp')).length, 0, 'no temporary file left');
  // only the passwd-named PNG was added
  assert.equal(mediaFiles().length, before + 1);
  assert.equal((await fetch(`${url}/v1/health`)).status < 500, true);
});

test('an SVG with script is stored as a graphic file and only ever served as an attachment in a sandbox', async () => {
  const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="10" height="10"/></svg>');
  const r = await upload(svg, 'chart.svg');
  assert.equal(r.status, 201);
  assert.equal(r.body.asset.kind, 'graphic');
  assert.equal(r.body.asset.state, 'done');
  const res = await fetch(`${url}/v1/media/${r.body.id}/original`, { headers: { authorization: `Bearer ${editor}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition')!, /^attachment/);
  assert.match(res.headers.get('content-security-policy')!, /sandbox/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});
