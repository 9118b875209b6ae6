// Both readers take the same media types the model carries, so every exported story reads back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromNewsML, toNewsML } from '../../src/formats/newsml.ts';
import { fromNinjs, toNinjs3 } from '../../src/formats/ninjs.ts';
import { BASE_URL, richContent, version } from './stories.ts';

test('video, audio and graphic stories round-trip through ninjs and NewsML-G2 alike', () => {
  for (const mediaType of ['video', 'audio', 'graphic'] as const) {
    const v = version({ ...richContent(), mediaType });
    assert.equal(fromNinjs(toNinjs3(v, { baseUrl: BASE_URL })).content.mediaType, mediaType);
    assert.equal(fromNewsML(toNewsML(v, { baseUrl: BASE_URL })).content.mediaType, mediaType);
  }
});
