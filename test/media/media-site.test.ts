// The public site shows only small renditions of uploaded photos (srcset, width/height, lazy cards, alt
// from the caption), and no page or feed anywhere exposes the address of an original or a large one.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildWebApp } from '../../src/server/app.ts';
import { configWith } from '../../src/server/config.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { sampleContent, tempDbFile, tempDir } from '../helpers.ts';
import { drawJpeg, tag } from './fixtures.ts';
import { Readable } from 'node:stream';

let rt: Runtime;
let app: FastifyInstance;
let url: string;
let id = '';

before(async () => {
  const dir = tempDir('newsflow-media-site-');
  // The media folder named, as NEWSFLOW_MEDIA_DIR would: the store may be PostgreSQL (NEWSFLOW_TEST_STORE).
  rt = await openRuntime(tempDbFile(), { media: { dir: join(dir, 'media'), workers: 1 } });
  await rt.media.start();
  ({ app } = await buildWebApp(rt, configWith({ NEWSFLOW_SITE_CACHE: '0' })));
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const file = join(dir, 'market.jpg');
  await drawJpeg(file, 2400, 1600);
  tag(file, { 'IPTC:Caption-Abstract': 'Traders at the Friday market in Konya', 'IPTC:Credit': 'newsflow demo agency' });
  const { asset } = await rt.media.ingest(Readable.from(readFileSync(file)), 'market.jpg');
  id = asset.id;
  await rt.media.settled(id);
  for (const lang of ['ar', 'en'] as const) {
    const d = await rt.newsroom.createDraft(
      sampleContent(
        lang === 'en'
          ? { language: 'en', headline: 'Friday market reopens in Konya', photos: [{ url: 'x', mediaId: id }] }
          : { photos: [{ url: 'x', mediaId: id }] },
      ),
      SYSTEM_ACTOR,
    );
    await rt.newsroom.publish(d.id, SYSTEM_ACTOR);
  }
});

after(async () => {
  await app.close();
  await rt.close();
});

test('a crawl of every public page and feed finds only small renditions, never an original or a large one', async () => {
  const seen = new Set<string>();
  const queue = ['/', '/robots.txt', '/sitemap.xml', '/news-sitemap.xml'];
  const mediaUrls = new Set<string>();
  let storyPage = '';
  while (queue.length && seen.size < 300) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const res = await fetch(url + path);
    const type = res.headers.get('content-type') ?? '';
    if (!/html|xml|json|text/.test(type)) continue;
    const body = await res.text();
    assert.ok(!body.includes('/v1/media'), `${path} names an API media address`);
    assert.ok(!/original/.test(body.match(/\/media\/m[0-9a-f]{32}\/[a-z0-9-]+/g)?.join(' ') ?? ''), `${path} links an original`);
    for (const m of body.match(/\/media\/m[0-9a-f]{32}\/[a-z0-9-]+/g) ?? []) mediaUrls.add(m);
    if (body.includes('Friday market reopens') && /<article class="story"/.test(body)) storyPage = body;
    const abs = new RegExp(
      `(?:href|src)="(?:${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})?(/[^"#]*)"|<loc>${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/[^<]*)</loc>`,
      'g',
    );
    for (const m of body.matchAll(abs)) {
      const p = (m[1] ?? m[2]).replace(/&amp;/g, '&');
      if (!p.startsWith('/static/') && !p.startsWith('/public/stream') && !seen.has(p)) queue.push(p);
    }
  }
  assert.ok(seen.size > 5, `crawled ${seen.size} pages`);
  assert.ok(mediaUrls.size > 0, 'the site shows the photo');
  for (const m of mediaUrls) {
    assert.match(m, /\/(thumbnail|small)-webp$/);
    const res = await fetch(url + m);
    assert.equal(res.status, 200, m);
    assert.equal(res.headers.get('content-type'), 'image/webp');
  }
  // the story page: srcset, the size of the shown rendition, alt text from the caption
  assert.ok(storyPage, 'found the English story page');
  const img = /<img [^>]*src="\/media\/[^"]+"[^>]*>/.exec(storyPage)![0];
  assert.match(img, /srcset="\/media\/m[0-9a-f]{32}\/thumbnail-webp 320w, \/media\/m[0-9a-f]{32}\/small-webp 640w"/);
  assert.match(img, /width="640" height="427"/);
  assert.match(img, /alt="Traders at the Friday market in Konya"/);
});

test('the original and the large renditions have no public address', async () => {
  for (const name of ['original', 'preview-webp', 'preview-jpeg', 'web-webp', 'web-jpeg']) {
    assert.equal((await fetch(`${url}/media/${id}/${name}`)).status, 404, name);
  }
  assert.equal((await fetch(`${url}/v1/media/${id}/original`)).status, 401);
});

test('list cards load their photo lazily with width and height set', async () => {
  const home = await (await fetch(`${url}/en`)).text();
  const cards = home.match(/<li class="card"[\s\S]*?<\/li>/g) ?? [];
  const withPhoto = cards.map((c) => /<img [^>]*>/.exec(c)?.[0]).filter((x): x is string => !!x && x.includes('/media/'));
  for (const imgTag of withPhoto) {
    assert.match(imgTag, /loading="lazy"/);
    assert.match(imgTag, /width="\d+" height="\d+"/);
  }
});
