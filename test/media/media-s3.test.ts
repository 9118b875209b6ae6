// Media on an S3-compatible bucket (NEWSFLOW_MEDIA_S3_URL), end to end over real HTTP against a real
// s3rver started here: the server started from its configuration, an upload, renditions made from the
// bucket and stored in it (nothing but uploads in progress on the local disk), signed downloads with
// Range / ETag / If-None-Match, the public site's small rendition, the desk's preview; a bad URL is a
// start-up error naming the variable; a store that goes away answers 503 and the server keeps serving.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { Accounts } from '../../src/flow/accounts.ts';
import { issueKey } from '../../src/flow/keys.ts';
import { mediaKey, type MediaAsset } from '../../src/model/media.ts';
import { productFrom } from '../../src/model/subscribers.ts';
import { ConfigError, configWith, readConfig, s3LocationOf } from '../../src/server/config.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { quietServerEnv, sampleContent, tempDbFile, tempDir } from '../helpers.ts';
import { signInHttp } from '../web/desk-fixture.ts';
import { drawJpeg, tag } from './fixtures.ts';
import { S3_BUCKET, startS3, type TestS3 } from './s3.ts';

const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });

function localFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : out.push(join(d, e.name));
  };
  walk(dir);
  return out;
}

const fileName = (r: { name: string; contentType: string }) =>
  r.name === 'original' ? 'original' : `${r.name}.${r.contentType === 'image/webp' ? 'webp' : 'jpg'}`;

describe('NEWSFLOW_MEDIA_S3_URL', () => {
  test('is read at start; a wrong one is one line naming the variable that never shows the secret', async () => {
    const c = readConfig({ NEWSFLOW_MEDIA_S3_URL: 'https://AKIA1:s%2Fcret@s3.example.com/photos/newsflow/?region=eu-west-1' });
    assert.equal(c.media.s3Url, 'https://AKIA1:s%2Fcret@s3.example.com/photos/newsflow/?region=eu-west-1');
    assert.deepEqual(s3LocationOf(c.media.s3Url!), {
      endpoint: 'https://s3.example.com',
      bucket: 'photos',
      prefix: 'newsflow/',
      region: 'eu-west-1',
      accessKeyId: 'AKIA1',
      secretAccessKey: 's/cret',
    });
    assert.equal(s3LocationOf('http://k:hunter2@127.0.0.1:9000/b1b').region, 'us-east-1');
    assert.equal(readConfig({}).media.s3Url, undefined);
    for (const bad of [
      's3.example.com/bucket',
      'ftp://k:hunter2@s3.example.com/bucket',
      'https://s3.example.com/bucket',
      'https://k:hunter2@s3.example.com/',
      'https://k:hunter2@s3.example.com/Bad_Bucket',
      'https://k:hunter2@s3.example.com/bucket/../x',
      'https://k:hunter2@s3.example.com/bucket?region=eu-west-1&acl=public',
      'https://k:hunter2%zz@s3.example.com/bucket',
    ]) {
      assert.throws(
        () => readConfig({ NEWSFLOW_MEDIA_S3_URL: bad }),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.variable === 'NEWSFLOW_MEDIA_S3_URL' &&
          e.message.startsWith('NEWSFLOW_MEDIA_S3_URL: ') &&
          !e.message.includes('hunter2') &&
          !e.message.includes('\n'),
        bad,
      );
    }
  });

  test('a bucket that does not exist, or no S3 server at all, stops the start with the variable named', async () => {
    const s3 = await startS3();
    try {
      for (const [url, reason] of [
        [s3.url().replace(S3_BUCKET, 'no-such-bucket'), /cannot use bucket no-such-bucket .*404/],
        [s3.url().replace(`:${s3.port}/`, ':1/'), /cannot use bucket newsflow-media .*ECONNREFUSED/],
      ] as const) {
        await assert.rejects(
          startServer(
            configWith({ PORT: '0', HOST: '127.0.0.1', NEWSFLOW_DATA: tempDbFile(), NEWSFLOW_DEMO: '0', NEWSFLOW_QUIET: '1', NEWSFLOW_MEDIA_S3_URL: url }),
            {
              stdout: quiet(),
            },
          ),
          (e: unknown) => e instanceof ConfigError && e.variable === 'NEWSFLOW_MEDIA_S3_URL' && reason.test(e.message) && !e.message.includes('S3RVER@'),
        );
      }
    } finally {
      await s3.stop();
    }
  });
});

test('two nodes on one bucket sign rendition links alike (the key is kept in the bucket)', async () => {
  const s3 = await startS3();
  const a = await openRuntime(':memory:', { media: { s3Url: s3.url() } });
  const b = await openRuntime(':memory:', { media: { s3Url: s3.url() } });
  try {
    const link = new URL(a.media.signedLink(`m${'0'.repeat(32)}`, 'web-jpeg', 'sub-1').href, 'http://x');
    const q = Object.fromEntries(link.searchParams) as { sub: string; exp: string; sig: string };
    assert.equal(b.media.verifyLink(`m${'0'.repeat(32)}`, 'web-jpeg', q), 'sub-1');
  } finally {
    await a.close();
    await b.close();
    await s3.stop();
  }
});

describe('photos on S3 over HTTP', () => {
  let s3: TestS3;
  let server: RunningServer;
  let url: string;
  let mediaDir: string;
  let editor: string;
  let photo: string;
  let asset: MediaAsset;
  let subscriber: { id: string };

  before(async () => {
    s3 = await startS3();
    const dir = tempDir('newsflow-media-s3-');
    mediaDir = join(dir, 'media');
    server = await startServer(
      configWith(quietServerEnv({ NEWSFLOW_SITE_CACHE: '0', NEWSFLOW_MEDIA_DIR: mediaDir, NEWSFLOW_MEDIA_S3_URL: s3.url('agency') })),
      { stdout: quiet() },
    );
    url = server.url;
    editor = (await issueKey(server.rt.store, 'editor')).secret;
    await server.rt.store.subscribers.createProduct(productFrom({ name: 'all', mediaTypes: [] }));
    subscriber = await server.rt.store.subscribers.createSubscriber({ name: 'Photo desk', products: ['all'] });
    photo = join(dir, 'harbour.jpg');
    await drawJpeg(photo, 2400, 1600);
    tag(photo, { 'IPTC:Caption-Abstract': 'Cranes at the port of Mersin', 'IPTC:Credit': 'newsflow demo agency' });
  });

  after(async () => {
    await server.stop();
    await s3.stop();
  });

  test('an upload goes to the bucket and its renditions are made from there and stored there', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(photo))]), 'harbour.jpg');
    const res = await fetch(`${url}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${editor}` }, body: form });
    assert.equal(res.status, 201, await res.clone().text());
    const { id } = (await res.json()) as { id: string };
    asset = await server.rt.media.settled(id);
    assert.equal(asset.state, 'done', asset.error ?? '');
    assert.equal(asset.renditions.length, 9);
    for (const r of asset.renditions) {
      assert.equal(await server.rt.media.files.size(mediaKey(asset.sha256, fileName(r))), r.sizeInBytes, r.name);
      // Under the URL's key prefix, in the bucket.
      assert.ok(
        s3.requests.some((q) => q.method === 'PUT' && q.url.startsWith(`/${S3_BUCKET}/agency/${mediaKey(asset.sha256, fileName(r))}`)),
        r.name,
      );
    }
    assert.deepEqual(localFiles(mediaDir), [], 'no file on the local disk: no upload, no copy of the original, no link secret');
  });

  test('a subscriber downloads through a signed link: whole, a Range, ETag and If-None-Match', async () => {
    const draft = await server.rt.newsroom.createDraft(
      sampleContent({ language: 'en', headline: 'Cranes return to Mersin port', photos: [{ url: 'x', mediaId: asset.id }] }),
      SYSTEM_ACTOR,
    );
    await server.rt.newsroom.publish(draft.id, SYSTEM_ACTOR);
    for (const name of ['original', 'web-jpeg']) {
      const r = asset.renditions.find((x) => x.name === name)!;
      const link = server.rt.media.signedLink(asset.id, name, subscriber.id);
      const whole = await fetch(`${url}${link.href}`);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), r.contentType);
      assert.equal(Number(whole.headers.get('content-length')), r.sizeInBytes);
      const bytes = Buffer.from(await whole.arrayBuffer());
      assert.equal(bytes.length, r.sizeInBytes);
      if (name === 'original') assert.deepEqual(bytes, readFileSync(photo));
      else assert.equal((await sharp(bytes).metadata()).width, 2048);
      const part = await fetch(`${url}${link.href}`, { headers: { range: 'bytes=100-1123' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-1123/${r.sizeInBytes}`);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 1124));
      const tail = await fetch(`${url}${link.href}`, { headers: { range: 'bytes=-10' } });
      assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(-10));
      const etag = whole.headers.get('etag')!;
      const same = await fetch(`${url}${link.href}`, { headers: { 'if-none-match': etag } });
      assert.equal(same.status, 304);
      assert.equal((await fetch(`${url}${link.href}`, { headers: { range: `bytes=${r.sizeInBytes}-` } })).status, 416);
    }
  });

  test('the public site serves a small rendition from the bucket, and no original', async () => {
    const small = asset.renditions.find((r) => r.name === 'small-webp')!;
    const res = await fetch(`${url}/media/${asset.id}/small-webp`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, small.sizeInBytes);
    assert.equal((await sharp(bytes).metadata()).width, small.width);
    const part = await fetch(`${url}/media/${asset.id}/small-webp`, { headers: { range: 'bytes=0-99' } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(0, 100));
    assert.equal((await fetch(`${url}/media/${asset.id}/original`)).status, 404);
  });

  test('the desk previews the photo from the bucket', async () => {
    await new Accounts(server.rt.store).add({ email: 'ed@agency.test', role: 'editor', name: 'Ed', language: 'en', password: 'desk-password-1234' });
    const desk = await signInHttp(url, 'ed@agency.test', 'desk-password-1234');
    const res = await desk.get(`/desk/stories/media/${asset.id}/image`);
    assert.equal(res.status, 200);
    // The desk shows the small rendition (640 px), not the original: an editor's photo list stays light.
    const small = asset.renditions.find((r) => r.name === 'small-webp')!;
    assert.equal(res.headers.get('content-type'), 'image/webp');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, small.sizeInBytes);
    assert.equal((await sharp(bytes).metadata()).width, small.width);
  });

  test('a store that went away: downloads and uploads answer 503 saying so, nothing is left behind, the server serves on', async () => {
    const downloads = async () => {
      await server.rt.deliveries.flush();
      return (await server.rt.store.subscribers.usage(subscriber.id)).filter((u) => u.channel === 'download').reduce((n, u) => n + u.count, 0);
    };
    const counted = await downloads();
    await s3.stop();
    const link = server.rt.media.signedLink(asset.id, 'web-jpeg', subscriber.id);
    const down = await fetch(`${url}${link.href}`);
    assert.equal(down.status, 503);
    assert.match(((await down.json()) as { message: string }).message, /media storage \(S3\) failed while .*ECONNREFUSED.*try again later/);
    assert.equal(await downloads(), counted, 'a download the store could not serve is not counted');
    const pub = await fetch(`${url}/media/${asset.id}/small-webp`);
    assert.equal(pub.status, 503);
    const other = join(tempDir(), 'other.jpg');
    await drawJpeg(other, 640, 480);
    const up = await fetch(`${url}/v1/media?filename=other.jpg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'image/jpeg' },
      body: readFileSync(other),
    });
    assert.equal(up.status, 503);
    assert.match(((await up.json()) as { message: string }).message, /media storage \(S3\) failed while storing the file/);
    assert.deepEqual(localFiles(mediaDir), [], 'the upload left no temporary file');
    // A correction queues the renditions again: the job fails with the reason, it does not crash the workers.
    const fix = await fetch(`${url}/v1/media/${asset.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ caption: 'Corrected' }),
    });
    assert.equal(fix.status, 200);
    const failed = await server.rt.media.settled(asset.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error ?? '', /media storage \(S3\) failed while reading the file/);
    assert.equal((await fetch(`${url}/v1/media/${asset.id}`, { headers: { authorization: `Bearer ${editor}` } })).status, 200);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });
});
