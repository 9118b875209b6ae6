// Renditions in the formats: ninjs 3.2 and 2.3 `renditions` (valid against the official schemas), and
// NewsML-G2 remoteContent per rendition (valid against the 2.35 XSD); readers keep them as references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromNewsML, toNewsML } from '../../src/formats/newsml.ts';
import { fromNinjs, toNinjs3, validateNinjs } from '../../src/formats/ninjs.ts';
import { toNinjs2 } from '../../src/formats/ninjs2.ts';
import type { Photo, StoryVersion } from '../../src/model/story.ts';
import { BASE_URL, richContent, version } from '../formats/stories.ts';
import { xmllintSchema } from '../formats/validators.ts';

const ID = 'm0123456789abcdef0123456789abcdef';
const photo: Photo = {
  url: `/v1/media/${ID}/original`,
  mediaId: ID,
  caption: 'Cranes at the port of Mersin',
  credit: 'newsflow demo agency',
  width: 6000,
  height: 4000,
  mimeType: 'image/jpeg',
  renditions: [
    { name: 'original', href: `/v1/media/${ID}/original`, width: 6000, height: 4000, contentType: 'image/jpeg', sizeInBytes: 9_000_000 },
    { name: 'thumbnail-webp', href: `/v1/media/${ID}/thumbnail-webp`, width: 320, height: 213, contentType: 'image/webp', sizeInBytes: 9_000 },
    { name: 'web-jpeg', href: `/v1/media/${ID}/web-jpeg`, width: 2048, height: 1365, contentType: 'image/jpeg', sizeInBytes: 600_000 },
  ],
};

function stories(): { text: StoryVersion; photoStory: StoryVersion } {
  const text = version({ ...richContent(), photos: [photo] });
  const photoStory = version({ ...richContent(), body: [], mediaType: 'photo', headline: 'Cranes at dawn', photos: [photo] });
  return { text, photoStory };
}

test('ninjs 3.2 and 2.3 carry every rendition (href, width, height, contentType, size) and are valid', () => {
  for (const v of Object.values(stories())) {
    const n3 = toNinjs3(v, { baseUrl: BASE_URL }) as any;
    assert.deepEqual(validateNinjs(n3, '3.2'), []);
    const r = n3.associations[0].renditions;
    assert.equal(r.length, 3);
    assert.deepEqual(r[2], {
      name: 'web-jpeg',
      href: `${BASE_URL}/v1/media/${ID}/web-jpeg`,
      contentType: 'image/jpeg',
      sizeInBytes: 600_000,
      width: 2048,
      height: 1365,
    });
    const n2 = toNinjs2(v, { baseUrl: BASE_URL }) as any;
    assert.deepEqual(validateNinjs(n2, '2.3'), []);
    assert.equal(n2.associations[0].renditions[2].sizeinbytes, 600_000);
    assert.equal(n2.associations[0].renditions[2].contenttype, 'image/jpeg');
    if (v.content.mediaType === 'photo') {
      assert.equal(n3.type, 'picture');
      assert.equal(n3.renditions.length, 3);
      assert.equal(n2.renditions.length, 3);
    }
    // the reader keeps the renditions as references
    const back = fromNinjs(JSON.stringify(n3));
    assert.equal(back.content.photos[0].renditions?.length, 3);
    assert.equal(back.content.photos[0].renditions?.[1].href, `${BASE_URL}/v1/media/${ID}/thumbnail-webp`);
  }
});

test('NewsML-G2: a photo story carries one remoteContent per rendition and validates against the 2.35 XSD', async () => {
  const { text, photoStory } = stories();
  const docs = { text: toNewsML(text, { baseUrl: BASE_URL }), photo: toNewsML(photoStory, { baseUrl: BASE_URL }) };
  const { failures } = await xmllintSchema(docs);
  assert.deepEqual(failures, {});
  const rc = docs.photo.match(/<remoteContent [^>]*\/>/g) ?? [];
  assert.equal(rc.length, 3);
  assert.match(
    rc[2],
    new RegExp(`href="${BASE_URL}/v1/media/${ID}/web-jpeg" rendition="rnd:web" contenttype="image/jpeg" size="600000" width="2048" height="1365"`),
  );
  assert.match(docs.photo, /<itemClass qcode="ninat:picture"\/>/);
  const back = fromNewsML(docs.photo);
  assert.equal(back.content.photos[0].renditions?.length, 3);
  assert.equal(back.content.photos[0].renditions?.[2].width, 2048);
});
