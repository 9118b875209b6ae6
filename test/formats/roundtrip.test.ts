// story → format → import → story gives the same content (and the version metadata back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allVersions, BASE_URL, seedVersion } from './stories.ts';
import { fromNinjs, toNinjs3 } from '../../src/formats/ninjs.ts';
import { toNinjs2 } from '../../src/formats/ninjs2.ts';
import { fromNewsML, toNewsML } from '../../src/formats/newsml.ts';
import type { StoryVersion } from '../../src/model/story.ts';

const set = allVersions();
const opts = { baseUrl: BASE_URL };

function checkMeta(v: StoryVersion, meta: ReturnType<typeof fromNinjs>['meta'], label: string) {
  assert.equal(meta.id, v.storyId, label);
  assert.equal(meta.version, v.version, label);
  assert.equal(meta.pubStatus, v.pubStatus, label);
  assert.equal(meta.versionCreated, v.versionCreatedAt, label);
  assert.equal(meta.firstCreated, v.firstPublishedAt, label);
  assert.equal(meta.revisionId, v.revisionId, label);
  assert.equal(meta.translationGroup, v.translationGroup, label);
  assert.equal(meta.correctionNote, v.correctionNote ?? undefined, label);
  assert.equal(meta.killReason, v.killReason ?? undefined, label);
}

for (const [name, render, read] of [
  ['ninjs 3.2', (v: StoryVersion) => JSON.stringify(toNinjs3(v, opts)), fromNinjs],
  ['ninjs 2.3', (v: StoryVersion) => JSON.stringify(toNinjs2(v, opts)), fromNinjs],
  ['NewsML-G2', (v: StoryVersion) => toNewsML(v, opts), fromNewsML],
] as const) {
  test(`${name} round trip keeps content and metadata for all ${set.length} stories`, () => {
    for (const { label, v } of set) {
      const back = read(render(v));
      assert.deepEqual(back.content, v.content, `${name} ${label}`);
      checkMeta(v, back.meta, `${name} ${label}`);
    }
  });
}

test('the real seed story round-trips', () => {
  const seed = seedVersion();
  assert.ok(seed.content.body.filter((b) => b.type === 'subheading').length === 4, 'seed has four subheadings');
  for (const doc of [JSON.stringify(toNinjs3(seed, opts)), JSON.stringify(toNinjs2(seed, opts))]) assert.deepEqual(fromNinjs(doc).content, seed.content);
  assert.deepEqual(fromNewsML(toNewsML(seed, opts)).content, seed.content);
});
