// The site in a real browser (Debian's Chromium through playwright-core): the seed story right to left
// in the Arabic web font with exactly its public part, the page weight, an XSS story that stays inert,
// a 404 in the right language, keyboard access, and the live "new stories" bar.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { abbreviateBody } from '../../src/web/abbreviate.ts';
import { needShared, REPO, sampleContent } from '../helpers.ts';
import { launchBrowser, needChromium, startSite, type SiteFixture } from './site-fixture.ts';

let f: SiteFixture;
let browser: Browser;

before(async () => {
  needChromium();
  needShared();
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
    return performance
      .getEntriesByType('navigation')
      .concat(performance.getEntriesByType('resource'))
      .reduce((n, e) => n + (e as PerformanceResourceTiming).encodedBodySize, 0);
  });
  return { page, status: res?.status() ?? 0, bytes };
}

test('the seed story renders right to left in Noto Naskh Arabic with exactly its public part and the call to subscribe', async () => {
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
  assert.deepEqual(
    shown.map((t) => t.trim()),
    expected,
  );
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

test('the story page weighs under 150 KB with its stylesheet and font subsets', async () => {
  const { page, bytes } = await open(`/ar/x/${f.seedId}`);
  console.log(`# seed story page weight: ${bytes} bytes`);
  assert.ok(bytes > 20_000 && bytes < 150_000, `story page weighs ${bytes} bytes`);
  await page.context().close();
});

test('a story full of hostile content renders inert', async () => {
  const evil = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
  const [event] = await f.rt.store.importPublished([
    {
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
    },
  ]);
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

test('an unknown story shows a 404 page in its edition’s language', async () => {
  const { page, status } = await open('/tr/yok/01hzzzzzzzzzzzzzzzzzzzzzzz');
  assert.equal(status, 404);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'tr');
  assert.equal(await page.locator('h1').innerText(), 'Sayfa bulunamadı');
  await page.context().close();
});

test('the home page announces new stories live without a reload', async () => {
  const { page } = await open('/en/');
  assert.ok(await page.locator('#new-stories').isHidden());
  await page.waitForTimeout(300); // let the EventSource connect
  const story = await f.rt.newsroom.createDraft(
    sampleContent({
      language: 'en',
      headline: 'Live arrival on the home page',
      deck: 'A story published while the page was open',
      categories: ['World'],
      byline: [{ name: 'Layla Haddad', role: 'reporter' }],
      dateline: { place: 'Amman', agency: 'Newsflow Demo Agency' },
      photos: [{ url: '/static/demo/water-conference.svg', caption: 'The conference hall' }],
    }),
    SYSTEM_ACTOR,
  );
  await f.rt.newsroom.publish(story.id, SYSTEM_ACTOR);
  await page.locator('#new-stories').waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await page.locator('#new-stories').innerText(), /1 new story/);
  await page.locator('#new-stories button').click();
  await page.waitForLoadState('load');
  await page.locator(`[data-story="${story.id}"]`).waitFor({ timeout: 5000 });
  await page.context().close();
});

test('Arabic, Turkish and English pages look like a news site (screenshots)', async () => {
  for (const lang of ['ar', 'tr', 'en']) {
    const { page } = await open(`/${lang}/`);
    assert.ok(await page.locator('header.masthead').isVisible());
    assert.ok((await page.locator('main article').count()) > 0);
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO, `test-artifacts/home-${lang}.png`) });
    await page.context().close();
  }
});

// ——— Accessibility (issue 6 point 6): checks that fail when the markup or the stylesheet regresses. ———

interface Contrast {
  what: string;
  text: string;
  color: string;
  background: string;
  ratio: number;
}

/** Text colour against the first opaque background behind it, as WCAG 2 relative-luminance contrast ratios. */
async function contrasts(page: Page, samples: Record<string, string>): Promise<Contrast[]> {
  // tsx (esbuild keepNames) wraps inner functions in __name(), which the page does not have.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate((samples) => {
    const parse = (c: string): [number, number, number, number] | null => {
      const m = /^rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+%?))?\)$/.exec(c.trim());
      if (!m) return null;
      const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
      return [+m[1], +m[2], +m[3], a];
    };
    const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3]));
    const lum = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = (el: Element | null): number[] => {
      // Layers from the element outwards, composited from the page (white) inwards.
      const layers: number[][] = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] === 1) break;
        }
      }
      return layers.reverse().reduce<number[]>((under, top) => over(top, under), [255, 255, 255]);
    };
    const out = [];
    for (const [what, selector] of Object.entries(samples)) {
      const els = [...document.querySelectorAll(selector)].filter((e) => (e as HTMLElement).offsetParent !== null && e.textContent!.trim()).slice(0, 3);
      if (!els.length) {
        out.push({ what, text: `(nothing matches ${selector})`, color: '', background: '', ratio: 0 });
        continue;
      }
      for (const el of els) {
        const bg = background(el);
        const fg = parse(getComputedStyle(el).color)!;
        const color = over(fg, bg);
        const [l1, l2] = [lum(color), lum(bg)].sort((a, b) => b - a);
        out.push({
          what,
          text: el.textContent!.trim().slice(0, 30),
          color: getComputedStyle(el).color,
          background: `rgb(${bg.map(Math.round).join(', ')})`,
          ratio: (l1 + 0.05) / (l2 + 0.05),
        });
      }
    }
    return out;
  }, samples);
}

async function auditPage(path: string, samples: Record<string, string>, opts: { images?: boolean } = {}): Promise<void> {
  const { page, status } = await open(path);
  assert.equal(status, 200, path);
  // Landmarks, by their accessible roles (what a screen reader lists).
  assert.ok((await page.getByRole('banner').count()) >= 1, `${path}: no banner`);
  assert.ok((await page.getByRole('navigation').count()) >= 1, `${path}: no navigation`);
  assert.equal(await page.getByRole('main').count(), 1, `${path}: main`);
  assert.ok((await page.getByRole('contentinfo').count()) >= 1, `${path}: no contentinfo`);
  // Headings: one h1, and never a level skipped going down the document.
  const levels = await page.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter((h) => !h.closest('[hidden]') && getComputedStyle(h).display !== 'none')
      .map((h) => Number(h.tagName[1])),
  );
  assert.equal(levels.filter((l) => l === 1).length, 1, `${path}: headings ${levels.join(' ')}`);
  assert.equal(levels[0], 1, `${path}: the first heading is the h1 (${levels.join(' ')})`);
  levels.forEach((l, i) => assert.ok(i === 0 || l <= levels[i - 1] + 1, `${path}: h${levels[i - 1]} → h${l} skips a level (${levels.join(' ')})`));
  // Every image says what it shows (a photo without a usable URL shows no image at all, only its caption).
  const images = await page.evaluate(() =>
    [...document.querySelectorAll('img, [role="img"]')].map((i) => ({
      what: i.tagName === 'IMG' ? `<img src="${i.getAttribute('src')}">` : `<${i.tagName.toLowerCase()} role="img">`,
      alt: i.tagName === 'IMG' ? i.getAttribute('alt') : i.getAttribute('aria-label'),
    })),
  );
  if (opts.images === false) assert.deepEqual(images, [], `${path}: this page has no usable image, so it shows none`);
  else assert.ok(images.length > 0, `${path}: no images to check`);
  for (const img of images) assert.ok(img.alt?.trim(), `${path}: ${img.what} has no alt text`);
  // The skip link is the first stop and moves focus into <main>.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#main');
  assert.ok(
    await page.evaluate(() => {
      const r = document.activeElement!.getBoundingClientRect();
      return r.bottom > 0 && r.width > 0;
    }),
    `${path}: the focused skip link is visible`,
  );
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', `${path}: the skip link moves focus to main`);
  // Contrast AA: 4.5:1 for every sampled kind of text (even headlines, which could claim 3:1 as large text).
  const results = await contrasts(page, samples);
  if (process.env.A11Y_DEBUG) console.log(results.map((r) => `# ${r.ratio.toFixed(2)}:1 ${r.what} "${r.text}" ${r.color} on ${r.background}`).join('\n'));
  const failing = results.filter((r) => !(r.ratio >= 4.5));
  assert.deepEqual(failing, [], `${path}: contrast below 4.5:1`);
  await page.context().close();
}

const COMMON_SAMPLES = {
  brand: 'header.masthead .brand',
  'call-to-action button': 'header.masthead a.btn',
  'section links': 'nav.sections a',
  'footer text': 'footer.site p, footer.site a',
};

test('accessibility: the home page has landmarks, ordered headings, alt texts, a working skip link and AA contrast', async () => {
  await auditPage('/ar/', {
    ...COMMON_SAMPLES,
    'headline links': 'main h2 a, main h3 a',
    'deck text': 'main article p[dir]',
    'section kickers': 'main a.kicker',
    dates: 'main .meta',
  });
});

test('accessibility: the seed story page has landmarks, ordered headings, alt texts, a working skip link and AA contrast', async () => {
  await auditPage(
    `/ar/x/${f.seedId}`,
    {
      ...COMMON_SAMPLES,
      headline: 'main h1',
      'body text': 'article.story .body > p',
      'photo caption': 'figcaption',
      'links in the story': 'main article a',
      'story call-to-action button': '.cta a.btn',
      'call-to-action text': '.cta p',
      deck: 'article.story .deck',
      'byline and dates': 'article.story .byline span',
      dateline: '.body .dateline',
      hashtags: '.tags a',
    },
    { images: false },
  );
  // The fade over the end of a cut story is a gradient over the text: at its most opaque the text under it must still pass.
  const { page } = await open(`/ar/x/${f.seedId}`);
  const fade = await page.evaluate(() => {
    const body = document.querySelector('.body.fade');
    if (!body) return null;
    const stops = [...getComputedStyle(body, '::after').backgroundImage.matchAll(/rgba?\(([^)]*)\)/g)].map((m) => m[1].split(/[ ,/]+/).map(Number));
    const last = body.querySelector('p:last-of-type')!;
    return { stops, color: getComputedStyle(last).color };
  });
  assert.ok(fade, 'the seed story is cut and fades out');
  const ink = fade.color.match(/[\d.]+/g)!.map(Number);
  const lum = (rgb: number[]) => {
    const [r, g, b] = rgb.map((v) => {
      const x = v / 255;
      return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  for (const [r, g, b, a = 1] of fade.stops) {
    const seen = [0, 1, 2].map((i) => [r, g, b][i] * a + ink[i] * (1 - a));
    const ratio = 1.05 / (lum(seen) + 0.05); // against the white page
    assert.ok(ratio >= 4.5, `text under the fade (stop rgba(${r}, ${g}, ${b}, ${a})) has contrast ${ratio.toFixed(2)}:1`);
  }
  await page.context().close();
});
