// The portal in real Chromium: a seat signs in, sees a story arrive on the live wire when an editor
// publishes it, opens it, copies its text, downloads its NewsML-G2 (valid against the 2.35 XSD) and
// ninjs (valid against the 3.2 schema); the Arabic portal is right to left while each story keeps its
// own direction; axe-core finds no serious or critical violation on the portal pages in Arabic and English.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { validateNinjs } from '../../src/formats/ninjs.ts';
import type { Subscriber } from '../../src/model/subscribers.ts';
import { userActor } from '../../src/model/users.ts';
import { xmllintSchema } from '../formats/validators.ts';
import { sampleContent } from '../helpers.ts';
import { expectAccessible, launchBrowser, needChromium, signInPortal, startPortal, type PortalFixture, type Seat } from './portal-fixture.ts';

describe('the portal in Chromium', () => {
  let f: PortalFixture;
  let browser: Browser;
  let sub: Subscriber;
  let en: Seat;
  let ar: Seat;
  const actor = () => userActor(f.users.editor.user);
  before(async () => {
    needChromium();
    f = await startPortal();
    browser = await launchBrowser();
    sub = await f.addSubscriber('Gazette', { languages: ['ar', 'en'], embargoRights: true });
    en = await f.addSeat(sub.id, { role: 'seat-admin', language: 'en' });
    ar = await f.addSeat(sub.id, { role: 'seat-admin', language: 'ar' });
    const first = await f.rt.newsroom.createDraft(sampleContent({ photos: [] }), actor());
    await f.rt.newsroom.publish(first.id, actor());
    const embargoed = await f.rt.newsroom.createDraft(
      sampleContent({ photos: [], headline: 'خبر تحت الحظر', embargoUntil: new Date(Date.now() + 7_200_000).toISOString() }),
      actor(),
    );
    await f.rt.newsroom.publish(embargoed.id, actor());
    const english = await f.rt.newsroom.createDraft(sampleContent({ photos: [], language: 'en', headline: 'Water talks end in Amman' }), actor());
    await f.rt.newsroom.publish(english.id, actor());
    await f.rt.store.search.catchUp();
  });
  after(async () => {
    await browser?.close();
    await f?.close();
  });

  const newPage = async (locale = 'en-GB') => {
    const context = await browser.newContext({ baseURL: f.url, locale, acceptDownloads: true, timezoneId: 'Europe/Istanbul' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: f.url });
    return context.newPage();
  };

  it('a seat sees a story arrive live, opens it, copies it and downloads valid NewsML-G2 and ninjs', async () => {
    const page = await newPage();
    await page.goto('/portal');
    assert.match(new URL(page.url()).pathname, /^\/portal\/sign-in$/);
    await expectAccessible(page);
    await signInPortal(page, en.email, en.password);
    assert.equal(new URL(page.url()).pathname, '/portal');
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    // The embargo banner shows the time in the reader's zone (Istanbul), rewritten by the page script.
    const banner = page.locator('.embargo time').first();
    await page.waitForFunction(() => !document.querySelector('.embargo time')?.textContent?.endsWith('UTC'), undefined, { timeout: 3000 });
    assert.doesNotMatch(await banner.innerText(), /UTC$/);
    assert.match(await banner.innerText(), /GMT\+3|TRT/);
    await expectAccessible(page);
    // Give the page's live wire a moment to connect, then an editor publishes.
    await page.waitForTimeout(300);
    const story = await f.rt.newsroom.createDraft(
      sampleContent({
        language: 'en',
        headline: 'Flash: harbour reopens',
        deck: 'Ships return',
        photos: [],
        urgency: 1,
        body: [
          { type: 'paragraph', text: 'The harbour reopened at dawn.' },
          { type: 'paragraph', text: 'Ships queued outside.' },
        ],
      }),
      actor(),
    );
    const published = Date.now();
    await f.rt.newsroom.publish(story.id, actor());
    const row = page.locator(`#wire [data-story="${story.id}"]`);
    await row.waitFor({ timeout: 3000 });
    assert.ok(Date.now() - published < 2000, `arrived after ${Date.now() - published} ms`);
    assert.equal(await page.locator('#wire li').first().getAttribute('data-story'), story.id, 'newest first');
    assert.match(await row.locator('.urgency').innerText(), /Flash/);
    assert.match(await page.locator('#live-status').innerText(), /1 new story/);
    await row.locator('a.headline').click();
    await page.waitForURL(`**/portal/stories/${story.id}`);
    assert.equal(await page.locator('.story-text').getAttribute('dir'), 'ltr');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Copy text' }).click();
    await page.locator('#copy-status').filter({ hasText: 'Copied.' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, 'Flash: harbour reopens\n\nShips return\n\nThe harbour reopened at dawn.\n\nShips queued outside.');

    const download = async (format: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`a[data-format="${format}"]`).click()]);
      return { name: d.suggestedFilename(), text: await readFile((await d.path())!, 'utf8') };
    };
    const xml = await download('newsml');
    assert.match(xml.name, new RegExp(`^${story.id}-v1-newsml\\.xml$`));
    const { failures } = await xmllintSchema({ [xml.name]: xml.text });
    assert.deepEqual(failures, {}, 'the NewsML-G2 download validates against the 2.35 XSD');
    const ninjs = await download('ninjs');
    assert.deepEqual(validateNinjs(JSON.parse(ninjs.text), '3.2'), [], 'the ninjs download validates against the 3.2 schema');
    await page.context().close();
  });

  it('Arabic: the portal is right to left, stories keep their own direction, axe clean on every page', async () => {
    const page = await newPage('ar');
    await signInPortal(page, ar.email, ar.password);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    await expectAccessible(page);
    const enRow = page.locator('#wire a.headline[lang="en"]').first();
    assert.equal(await enRow.getAttribute('dir'), 'ltr', 'an English headline stays left to right');
    await page.locator('#wire a.headline[lang="ar"]').first().click();
    await page.waitForURL('**/portal/stories/**');
    assert.equal(await page.locator('.story-text').getAttribute('dir'), 'rtl');
    await expectAccessible(page);
    for (const path of ['/portal/search?q=%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87', '/portal/seats', '/portal/account']) {
      await page.goto(path);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl', path);
      await expectAccessible(page);
    }
    await page.context().close();
  });

  it('English search and seats pages are axe clean, with facets and highlighted hits', async () => {
    const page = await newPage();
    await signInPortal(page, en.email, en.password);
    await page.goto('/portal/search?q=%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87');
    assert.ok((await page.locator('.hits li').count()) >= 1);
    assert.ok((await page.locator('.hits mark').count()) >= 1, 'matches are highlighted');
    assert.ok((await page.locator('.facet[data-facet="language"] li').count()) >= 1);
    await expectAccessible(page);
    await page.goto('/portal/seats');
    await expectAccessible(page);
    await page.context().close();
  });
});
