// Photos on the portal's story page: each shown through a signed rendition link made for the seat's
// subscriber (never the original), with its caption and credit; the link downloads the image.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { userActor } from '../../src/model/users.ts';
import { sampleContent, tempDir } from '../helpers.ts';
import { drawJpeg, tag } from '../media/fixtures.ts';
import { signInPortalHttp, startPortal, type PortalFixture } from './portal-fixture.ts';

let f: PortalFixture;
before(async () => {
  f = await startPortal();
  await f.rt.media.start();
});
after(async () => f.close());

it('the story page shows photos by signed rendition links with caption and credit', async () => {
  const file = join(tempDir('newsflow-portal-photo-'), 'harbour.jpg');
  await drawJpeg(file, 1600, 1000);
  tag(file, { 'IPTC:Caption-Abstract': 'Boats at the <b>harbour</b>', 'IPTC:Credit': 'newsflow demo agency' });
  const { asset } = await f.rt.media.ingest(Readable.from(readFileSync(file)), 'harbour.jpg');
  await f.rt.media.settled(asset.id);
  const actor = userActor(f.users.editor.user);
  const d = await f.rt.newsroom.createDraft(sampleContent({ language: 'en', photos: [{ url: 'x', mediaId: asset.id }] }), actor);
  await f.rt.newsroom.publish(d.id, actor);
  const sub = await f.addSubscriber('Pictures', { languages: ['en'] });
  const seat = await f.addSeat(sub.id);
  const c = await signInPortalHttp(f.url, seat.email, seat.password);
  const page = await (await c.get(`/portal/stories/${d.id}`)).text();
  const src = /<figure><img src="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
  assert.ok(src, 'a photo is shown');
  assert.match(src, new RegExp(`^/v1/media/${asset.id}/(?!original)[a-z0-9-]+\\?sub=${sub.id}&exp=\\d+&sig=`));
  assert.match(page, /<figcaption[^>]*>Boats at the &lt;b&gt;harbour&lt;\/b&gt; <span class="credit">© newsflow demo agency<\/span><\/figcaption>/);
  const img = await fetch(f.url + src);
  assert.equal(img.status, 200);
  assert.match(img.headers.get('content-type') ?? '', /^image\//);
});
