import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needShared } from '../helpers.ts';
import { blockText, type StoryContent } from '../../src/model/story.ts';
import { extractHashtags } from '../../src/model/hashtags.ts';
import { DEMO_AGENCY, DEMO_IMAGES_DIR, DEMO_IMAGE_URL_PREFIX, demoContents, demoStories } from '../../src/demo/stories.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seedPath = path.resolve(root, '../shared/seed/aa-ar-2026-01-30-prisoners-solidarity.txt');

const allText = (c: StoryContent) => [c.headline, c.deck ?? '', ...c.body.map(blockText), ...c.photos.map((p) => p.caption ?? '')].join('\n');

test('6–8 stories, languages ar (≥3), tr (≥2), en (≥2)', () => {
  const stories = demoContents();
  assert.ok(stories.length >= 6 && stories.length <= 8);
  const count = (lang: string) => stories.filter((s) => s.language === lang).length;
  assert.ok(count('ar') >= 3);
  assert.ok(count('tr') >= 2);
  assert.ok(count('en') >= 2);
});

test('each story is shaped like the seed', () => {
  for (const { key, content: c } of demoStories()) {
    const at = `story ${key}`;
    assert.ok(c.headline.trim().length > 10, at);
    assert.ok((c.deck ?? '').trim().length > 10, at);
    assert.equal(c.categories.length, 2, at);
    assert.ok(c.keywords.length > 0, at);
    assert.ok(c.dateline?.place && c.dateline.reporter && c.dateline.agency, at);
    assert.equal(c.dateline!.agency, DEMO_AGENCY[c.language as keyof typeof DEMO_AGENCY], at);
    assert.equal(c.byline[0].name, c.dateline!.reporter, at);
    const subheadings = c.body.filter((b) => b.type === 'subheading');
    const paragraphs = c.body.filter((b) => b.type === 'paragraph');
    assert.equal(subheadings.length, 2, at);
    assert.ok(paragraphs.length >= 4 && paragraphs.length <= 8, at);
    assert.equal(c.body[0].type, 'paragraph', at);
    for (const b of c.body) assert.ok(blockText(b).trim().length > 0, at);
    // Hashtags are written in the body and the field holds exactly those.
    const inBody = c.body.flatMap((b) => extractHashtags(blockText(b)));
    assert.ok(inBody.length > 0, at);
    assert.deepEqual(c.hashtags, [...new Set(inBody)], at);
    assert.equal(c.photos.length, 1, at);
    const [photo] = c.photos;
    assert.ok(photo.caption && photo.credit, at);
    assert.ok(photo.url.startsWith(DEMO_IMAGE_URL_PREFIX) && photo.url.endsWith('.svg'), at);
    const file = path.join(DEMO_IMAGES_DIR, photo.url.slice(DEMO_IMAGE_URL_PREFIX.length));
    assert.ok(existsSync(file), `${at}: image ${file} exists`);
    assert.match(readFileSync(file, 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  }
});

test('urgency mixed: one flash, one urgent, the rest routine', () => {
  const urgencies = demoContents().map((s) => s.urgency);
  assert.equal(urgencies.filter((u) => u === 1).length, 1);
  assert.equal(urgencies.filter((u) => u === 2).length, 1);
  assert.ok(urgencies.every((u) => u === 1 || u === 2 || u === 4));
});

test('an Arabic–English translation pair, original first', () => {
  const newsroom = demoStories();
  const translations = newsroom.filter((s) => s.translationOfKey);
  assert.ok(translations.length >= 1);
  for (const t of translations) {
    const i = newsroom.indexOf(t);
    const original = newsroom.findIndex((s) => s.key === t.translationOfKey);
    assert.ok(original >= 0 && original < i, `${t.key} comes after ${t.translationOfKey}`);
    // Same structure: a translation keeps the block layout.
    assert.deepEqual(
      t.content.body.map((b) => b.type),
      newsroom[original].content.body.map((b) => b.type),
    );
  }
  const languages = translations.map((t) => [t.content.language, newsroom.find((s) => s.key === t.translationOfKey)!.content.language].sort().join('+'));
  assert.ok(languages.includes('ar+en'));
  const keys = newsroom.map((s) => s.key);
  assert.equal(new Set(keys).size, keys.length, 'keys are unique');
});

test('bidi story: Arabic with Arabic-Indic digits, Latin names and diacritics', () => {
  const arabic = demoContents()
    .filter((s) => s.language === 'ar')
    .map(allText);
  assert.ok(
    arabic.some((t) => /[\u0660-\u0669]/.test(t) && /[A-Za-z]{3,}/.test(t) && /[\u064B-\u0652]/.test(t)),
    'one Arabic story has all three',
  );
});

test('fresh objects on every call', () => {
  const a = demoContents();
  a[0].headline = 'changed';
  assert.notEqual(demoContents()[0].headline, 'changed');
});

test('demo content passes the model validation', async () => {
  const validatePath = path.resolve(root, 'src/model/validate.ts');
  const { validateContent } = (await import(validatePath)) as { validateContent: (c: unknown) => StoryContent };
  for (const c of demoContents()) validateContent(c);
});

test('no text copied from the seed story', () => {
  const seedLines = readFileSync(needShared(seedPath), 'utf8')
    .split('\n')
    .map((l) =>
      l
        .replace(/\u00A0/g, ' ')
        .replace(/^\*\*\s*/, '')
        .trim(),
    )
    .filter((l) => l.length >= 12);
  assert.ok(seedLines.length > 20);
  const demo = demoContents().map(allText).join('\n');
  for (const line of seedLines) assert.ok(!demo.includes(line), `seed line found in demo: ${line.slice(0, 30)}…`);
  // Nor any run of eight seed words.
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  const demoWords = ' ' + words(demo).join(' ') + ' ';
  for (const line of seedLines) {
    const w = words(line);
    for (let i = 0; i + 8 <= w.length; i++) {
      const run = ' ' + w.slice(i, i + 8).join(' ') + ' ';
      assert.ok(!demoWords.includes(run), 'an eight-word run of the seed appears in the demo');
    }
  }
});
