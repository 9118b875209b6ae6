// The version diff as HTML: insertions and deletions marked with their hidden words, everything escaped,
// each field in the story's direction with changed runs isolated; and in Chromium, an Arabic sentence
// whose Latin word was replaced shows the deleted word right of the inserted one (reading order in RTL).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { diffText, type VersionDiff } from '../../src/flow/diff.ts';
import { DIFF_LABELS, firstStrongDirection, renderTextDiff, renderVersionDiff } from '../../src/web/diff-view.ts';
import { launchBrowser, needChromium } from './site-fixture.ts';

function diffOf(
  a: { headline: string; body: string; deck?: string },
  b: { headline: string; body: string; deck?: string },
  fields: VersionDiff['fields'] = {},
): VersionDiff {
  const text = { headline: diffText(a.headline, b.headline), deck: diffText(a.deck ?? '', b.deck ?? ''), body: diffText(a.body, b.body) };
  return {
    storyId: 's1',
    from: 1,
    to: 2,
    text,
    fields,
    changed: Object.entries(text)
      .filter(([, p]) => p.some((x) => x.op !== 'equal'))
      .map(([k]) => k),
  };
}

let browser: Browser;
before(async () => {
  needChromium();
  browser = await launchBrowser();
});
after(async () => browser?.close());

test('insertions and deletions are marked with their hidden words, unchanged text plain, in order', () => {
  const out = renderTextDiff(diffText('the minister said today', 'the prime minister said'), 'en').value;
  assert.equal(
    out,
    '<div class="diff-text" lang="en" dir="ltr">the <ins><span class="visually-hidden">inserted: </span><bdi dir="ltr">prime </bdi></ins>minister said<del><span class="visually-hidden">deleted: </span><bdi dir="ltr"> today</bdi></del></div>',
  );
});

test('RTL: the field takes the story direction and language, each changed run its own direction, line breaks kept', () => {
  const out = renderTextDiff(diffText('قال وزير Reuters\n\nفقرة', 'قال وزير AFP\n\nفقرة ثانية'), 'ar', DIFF_LABELS.ar).value;
  assert.match(out, /^<div class="diff-text" lang="ar" dir="rtl">/);
  assert.match(out, /<del><span class="visually-hidden">حُذف: <\/span><bdi dir="ltr">Reuters<\/bdi><\/del>/);
  assert.match(out, /<ins><span class="visually-hidden">أضيف: <\/span><bdi dir="ltr">AFP<\/bdi><\/ins>/);
  assert.match(out, /<ins><span class="visually-hidden">أضيف: <\/span><bdi dir="rtl"> ثانية<\/bdi><\/ins>/);
  assert.match(out, /<br><br>فقرة/);
  // A run with no strong letter (punctuation, digits) takes the field's direction.
  assert.match(renderTextDiff(diffText('a', 'a, 12'), 'ar').value, /<bdi dir="rtl">, 12<\/bdi>/);
  assert.equal(firstStrongDirection('  «١٢» سلام'), 'rtl');
  assert.equal(firstStrongDirection('(3) İstanbul'), 'ltr');
  assert.equal(firstStrongDirection('12, …'), null);
});

test('hostile text renders inert: markup escaped, bidi overrides dropped, in text and other fields alike', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)> "q" \u202Eevil\u202C';
  const out = renderVersionDiff(diffOf({ headline: 'safe', body: 'x' }, { headline: `safe ${evil}`, body: 'x' }, { slugline: { from: null, to: evil } }), {
    language: 'en',
  }).value;
  assert.ok(!out.includes('<script') && !out.includes('<img'), out);
  assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &quot;q&quot; evil'));
  assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(out));
});

test('the whole diff: only changed text fields with their titles, other fields before and after, or a no-change note', () => {
  const d = diffOf(
    { headline: 'Same', body: 'one two' },
    { headline: 'Same', body: 'one three', deck: 'new deck' },
    { categories: { from: ['politics'], to: ['politics', 'economy'] }, embargoUntil: { from: null, to: '2026-12-01T08:00:00.000Z' } },
  );
  const out = renderVersionDiff(d, { language: 'tr', labels: DIFF_LABELS.tr, headingLevel: 2 }).value;
  assert.ok(!out.includes('diff-headline'));
  assert.match(out, /<div class="diff-field diff-deck"><h2>Spot<\/h2>/);
  assert.match(
    out,
    /<div class="diff-field diff-body"><h2>Metin<\/h2>\n<div class="diff-text" lang="tr" dir="ltr">one <del>.*two.*<\/del><ins>.*three.*<\/ins><\/div>/,
  );
  assert.match(out, /<th scope="row">categories<\/th><td dir="auto"><del>politics<\/del><\/td><td dir="auto"><ins>politics, economy<\/ins><\/td>/);
  assert.match(out, /<th scope="row">embargoUntil<\/th><td dir="auto"><del>\(yok\)<\/del><\/td>/);
  assert.match(
    renderVersionDiff(diffOf({ headline: 'a', body: 'b' }, { headline: 'a', body: 'b' }), { language: 'ar', labels: DIFF_LABELS.ar }).value,
    /لا فروق/,
  );
});

test('in Chromium, a replaced Latin word in an Arabic sentence reads right to left: the deleted run stands right of the inserted one', async () => {
  const page = await browser.newPage();
  const diff = renderTextDiff(diffText('نقلت وكالة Reuters الخبر', 'نقلت وكالة AFP الخبر'), 'ar', DIFF_LABELS.ar).value;
  await page.setContent(
    `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}</style></head><body style="font-size:20px">${diff}</body></html>`,
  );
  const box = async (sel: string) => (await page.locator(sel).boundingBox())!;
  const del = await box('del bdi');
  const ins = await box('ins bdi');
  assert.ok(del.x > ins.x, `deleted (x=${del.x}) should stand right of inserted (x=${ins.x})`);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.diff-text')!).direction), 'rtl');
  assert.equal(await page.locator('del bdi').innerText(), 'Reuters');
  await page.close();
});
