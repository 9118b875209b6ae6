// The site in a real browser (Debian's Chromium through playwright-core): the seed story right to left
// in the Arabic web font with exactly its public part, the page weight, an XSS story that stays inert,
// a 404 in the right language, keyboard access, and the live "new stories" bar.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { abbreviateBody } from '../../src/web/abbreviate.ts';
import { hasShared, REPO, sampleContent } from '../helpers.ts';
import { CHROMIUM, launchBrowser, startSite, type SiteFixture } from './site-fixture.ts';

const canRun = hasShared && existsSync(CHROMIUM);
let f: SiteFixture;
let browser: Browser;

before(async () => {
  if (!canRun) return;
  f = await startSite();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await f?.close();
});

async function open(path: string): Promise<{ page: Page; status: number; bytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const res = await page.goto(f.url + path, { waitUntil: 'load' });
  // Bytes as the browser received them (nothing is compressed): the document and every subresource it fetched.
  const bytes = await page.evaluate(async () => {
    await document.fonts.ready;
    return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
      .reduce((n, e) => n + (e as PerformanceResourceTiming).encodedBodySize, 0);
  });
  return { page, status: res?.status() ?? 0, bytes };
}

test('the seed story renders right to left in Noto Naskh Arabic with exactly its public part and the call to subscribe', { skip: !canRun }, async () => {
  const { page, status } = await open(`/ar/x/${f.seedId}`);
  assert.equal(status, 200);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('article.story')!).direction), 'rtl');
  const font = await page.evaluate(async () => {
    await document.fonts.ready;
    const faces = [...document.fonts].filter((x) => x.family.replace(/"/g, '') === 'Noto Naskh Arabic');
    return { loaded: faces.filter((x) => x.status === 'loaded').length, check: document.fonts.check('16px "Noto Naskh Arabic"', 'فلسطين') };
  });
  assert.ok(font.loaded >= 1 && font.check, `Arabic font not loaded: ${JSON.stringify(font)}`);
  assert.equal(await page.locator('h1').innerText(), f.seed.content.headline);
  const expected = abbreviateBody(f.seed.content.body, 'ar').blocks.map((b) => ('text' in b ? b.text : ''));
  const shown = await page.locator('.body > p:not(.dateline), .body > h2').allInnerTexts();
  assert.deepEqual(shown.map((t) => t.trim()), expected);
  assert.equal(expected.length, 2);
  const html = await page.content();
  for (const hidden of f.seed.content.body.slice(2)) {
    // Paragraphs only: a short subheading (مشاركة واسعة) can legitimately occur inside the deck.
    if (hidden.type === 'paragraph') assert.ok(!html.includes(hidden.text.slice(0, 40)), hidden.text.slice(0, 40));
  }
  assert.equal(await page.locator('.cta a.btn').count(), 1);
  assert.ok(await page.locator('.cta').isVisible());
  assert.ok((await page.locator('figcaption').innerText()).includes('سجن إسرائيلي'));
  mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: join(REPO, 'test-artifacts/seed-story.png'), fullPage: true });
  // Keyboard: the first Tab lands on the skip link, which leads to <main>.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#main');
  await page.context().close();
});

test('the story page weighs under 150 KB with its stylesheet and font subsets', { skip: !canRun }, async () => {
  const { page, bytes } = await open(`/ar/x/${f.seedId}`);
  console.log(`# seed story page weight: ${bytes} bytes`);
  assert.ok(bytes > 20_000 && bytes < 150_000, `story page weighs ${bytes} bytes`);
  await page.context().close();
});

test('a story full of hostile content renders inert', { skip: !canRun }, async () => {
  const evil = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
  const [event] = await f.rt.store.importPublished([{
    publishedAt: new Date().toISOString(),
    content: sampleContent({
      headline: `عنوان ${evil} \u202Egnp.exe`,
      deck: `</script><script>window.__xss=3</script>`,
      body: [{ type: 'paragraph', text: `نص ${evil} #وسم_<b>` }],
      byline: [{ name: `"><svg onload="window.__xss=4">`, role: 'reporter' }],
      categories: [`<iframe src="javascript:window.__xss=5">`],
      photos: [{ url: 'javascript:window.__xss=6', caption: `<img src=x onerror="window.__xss=7">` }],
      hashtags: ['"><script>window.__xss=8</script>'],
    }),
  }]);
  f.rt.hub.advance(event.seq);
  const { page, status } = await open(`/ar/x/${event.storyId}`);
  assert.equal(status, 200);
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  assert.equal(await page.locator('script:not([type="application/ld+json"]):not([src])').count(), 0);
  assert.equal(await page.locator('img[src^="javascript"], iframe, svg').count(), 0);
  assert.ok((await page.locator('h1').innerText()).includes('<script>'), 'the markup shows as text');
  assert.ok(!(await page.content()).includes('\u202E'), 'the bidi override was removed');
  const ld = await page.locator('script[type="application/ld+json"]').textContent();
  assert.ok(JSON.parse(ld!).headline.includes('</script>'));
  const home = await open('/ar/');
  assert.equal(await home.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  await home.page.context().close();
  await page.context().close();
});

test('an unknown story shows a 404 page in its edition’s language', { skip: !canRun }, async () => {
  const { page, status } = await open('/tr/yok/01hzzzzzzzzzzzzzzzzzzzzzzz');
  assert.equal(status, 404);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'tr');
  assert.equal(await page.locator('h1').innerText(), 'Sayfa bulunamadı');
  await page.context().close();
});

test('the home page announces new stories live without a reload', { skip: !canRun }, async () => {
  const { page } = await open('/en/');
  assert.ok(await page.locator('#new-stories').isHidden());
  await page.waitForTimeout(300); // let the EventSource connect
  const story = await f.rt.newsroom.createDraft(sampleContent({
    language: 'en', headline: 'Live arrival on the home page', deck: 'A story published while the page was open', categories: ['World'],
    byline: [{ name: 'Layla Haddad', role: 'reporter' }], dateline: { place: 'Amman', agency: 'Newsflow Demo Agency' },
    photos: [{ url: '/static/demo/water-conference.svg', caption: 'The conference hall' }],
  }));
  await f.rt.newsroom.publish(story.id);
  await page.locator('#new-stories').waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await page.locator('#new-stories').innerText(), /1 new story/);
  await page.locator('#new-stories button').click();
  await page.waitForLoadState('load');
  await page.locator(`[data-story="${story.id}"]`).waitFor({ timeout: 5000 });
  await page.context().close();
});

test('Arabic, Turkish and English pages look like a news site (screenshots)', { skip: !canRun }, async () => {
  for (const lang of ['ar', 'tr', 'en']) {
    const { page } = await open(`/${lang}/`);
    assert.ok(await page.locator('header.masthead').isVisible());
    assert.ok(await page.locator('main article').count() > 0);
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO, `test-artifacts/home-${lang}.png`) });
    await page.context().close();
  }
});
