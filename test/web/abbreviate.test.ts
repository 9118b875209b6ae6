// The abbreviation rule: what part of a story the public sees.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Block, StoryVersion } from '../../src/model/story.ts';
import { parsePublicPage } from '../../src/formats/seed-page.ts';
import { abbreviate, abbreviateBody, cutAtSentence } from '../../src/web/abbreviate.ts';
import { needShared, sampleContent, SEED_FILE } from '../helpers.ts';

const p = (text: string): Block => ({ type: 'paragraph', text });
const h = (text: string): Block => ({ type: 'subheading', text });
// Capitalised like real sentences: sentence segmentation (ICU) does not break before a lower-case word.
const words = (n: number, w = 'Word') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');

test('default budget: the first two paragraphs when they are short', () => {
  const body = [p('One short opening. It has two sentences.'), p('A second paragraph.'), p('A third, never shown.')];
  const r = abbreviateBody(body, 'en');
  assert.deepEqual(r.blocks, body.slice(0, 2));
  assert.equal(r.truncated, true);
});

test('a long paragraph is cut at a sentence end within the word budget, never mid-word', () => {
  const s1 = `${words(30)}.`;
  const s2 = `${words(30, 'More')}.`;
  const s3 = `${words(30, 'Tail')}.`;
  const r = abbreviateBody([p(`${s1} ${s2} ${s3}`)], 'en', { paragraphs: 2, words: 80 });
  assert.equal(r.blocks.length, 1);
  assert.equal((r.blocks[0] as { text: string }).text, `${s1} ${s2}`);
  assert.equal(r.truncated, true);
});

test('the word budget spans paragraphs: the second is cut to what is left', () => {
  const r = abbreviateBody([p(`${words(50)}.`), p(`${words(20, 'A')}. ${words(20, 'B')}.`)], 'en', { paragraphs: 2, words: 80 });
  assert.equal(r.blocks.length, 2);
  assert.equal((r.blocks[1] as { text: string }).text, `${words(20, 'A')}.`);
});

test('a first sentence longer than the budget is still shown whole, up to twice the budget', () => {
  const long = `${words(100)}.`;
  const r = abbreviateBody([p(`${long} Second sentence.`)], 'en', { paragraphs: 2, words: 80 });
  assert.equal((r.blocks[0] as { text: string }).text, long);
});

test('a sentence without end is cut at a word boundary with an ellipsis as a last resort', () => {
  const r = abbreviateBody([p(words(400))], 'en', { paragraphs: 2, words: 80 });
  const text = (r.blocks[0] as { text: string }).text;
  assert.match(text, /Word79…$/);
  assert.equal(text.split(' ').length, 80);
});

test('a subheading is shown only with the paragraph after it, never as the last block', () => {
  const r = abbreviateBody([p('First.'), h('Heading'), p('Under the heading.')], 'en', { paragraphs: 1, words: 80 });
  assert.deepEqual(r.blocks, [p('First.')]);
  const r2 = abbreviateBody([p('First.'), h('Heading'), p('Under the heading.')], 'en', { paragraphs: 2, words: 80 });
  assert.deepEqual(r2.blocks, [p('First.'), h('Heading'), p('Under the heading.')]);
  assert.equal(r2.truncated, false);
});

test('quotes and lists end the public part rather than being cut', () => {
  const r = abbreviateBody([p('First.'), { type: 'quote', text: 'Quoted.' }, p('Later.')], 'en');
  assert.deepEqual(r.blocks, [p('First.')]);
  assert.equal(r.truncated, true);
});

test('Arabic sentences end at ؟ and ! as well as .', () => {
  assert.equal(cutAtSentence('هل انتهى الاجتماع؟ نعم انتهى. ثم بدأ اجتماع آخر طويل جدا', 'ar', 5), 'هل انتهى الاجتماع؟ نعم انتهى.');
});

test('a public story carries dates in the story locale, with Arabic month names for ar', () => {
  const v: StoryVersion = {
    storyId: '01hzzzzzzzzzzzzzzzzzzzzzzz',
    version: 2,
    revisionId: 'r',
    kind: 'corrected',
    pubStatus: 'usable',
    content: sampleContent(),
    correctionNote: 'Fixed the number of countries',
    killReason: null,
    translationGroup: 'g',
    firstPublishedAt: '2026-01-30T07:00:00Z',
    versionCreatedAt: '2026-01-31T07:00:00Z',
    by: SYSTEM_ACTOR,
  };
  const s = abbreviate(v);
  assert.equal(s.dir, 'rtl');
  assert.match(s.published.text, /يناير/);
  assert.ok(s.updated && /يناير/.test(s.updated.text));
  assert.equal(s.correctionNote, 'Fixed the number of countries');
  assert.deepEqual(s.byline, ['ليلى حداد']);
  const tr = abbreviate({ ...v, content: sampleContent({ language: 'tr' }) });
  assert.match(tr.published.text, /Ocak/);
});

test('the seed story: exactly its first two paragraphs are public', () => {
  const seed = parsePublicPage(readFileSync(needShared(SEED_FILE), 'utf8'));
  const r = abbreviateBody(seed.content.body, 'ar');
  assert.deepEqual(r.blocks, seed.content.body.slice(0, 2));
  assert.equal(r.truncated, true);
});
