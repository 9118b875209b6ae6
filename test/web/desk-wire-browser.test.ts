// The wire monitor, the story lists and the archive search in real Chromium: an editor signs in and
// sees the wire; a story published through the API appears at the top of the open page within a
// second, without a reload, and is announced; the Arabic desk lays the pages out right to left; axe-core
// finds no serious or critical violation on any of the three pages in Arabic and English.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { issueKey } from '../../src/flow/keys.ts';
import { userActor } from '../../src/model/users.ts';
import { DESK_PASSWORD, expectAccessible, launchBrowser, needChromium, signIn, startDesk, type DeskFixture } from './desk-fixture.ts';

describe('wire monitor, lists and search in Chromium', () => {
  let d: DeskFixture;
  let browser: Browser;
  let key: string;
  before(async () => {
    needChromium();
    d = await startDesk();
    browser = await launchBrowser();
    key = (await issueKey(d.rt.store, 'editor', { label: 'wire test' })).secret;
    const by = userActor(d.users.editor.user);
    const ar = await d.rt.newsroom.createDraft(
      {
        language: 'ar',
        headline: 'افتتاح معرض الكتاب في إسطنبول',
        body: [{ type: 'paragraph', text: 'افتتح معرض الكتاب أبوابه اليوم بمشاركة ناشرين من المكتبات.' }],
        categories: ['ثقافة'],
        urgency: 2,
      },
      by,
    );
    await d.rt.newsroom.publish(ar.id, by);
    const en = await d.rt.newsroom.createDraft(
      { language: 'en', headline: 'Port expansion approved', body: [{ type: 'paragraph', text: 'The port grows.' }], urgency: 1 },
      by,
    );
    await d.rt.newsroom.publish(en.id, by);
    const draft = await d.rt.newsroom.createDraft({ language: 'ar', headline: 'مسودة للمراجعة', body: [] }, userActor(d.users.reporter.user));
    await d.rt.newsroom.submit(draft.id, userActor(d.users.reporter.user));
  });
  after(async () => {
    await browser?.close();
    await d?.close();
  });

  const newPage = async (locale = 'en-GB') => (await browser.newContext({ baseURL: d.url, locale, timezoneId: 'Asia/Tokyo' })).newPage();

  const api = async (path: string, body?: unknown) => {
    const r = await fetch(d.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(r.ok, `${path}: ${r.status} ${await r.clone().text()}`);
    return (await r.json()) as { id: string };
  };

  it('an editor sees the wire; a publish through the API appears at the top within a second without reload', async () => {
    const page = await newPage();
    await signIn(page, d.users.editor.email, DESK_PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/desk');
    assert.equal(await page.locator('table.wire tbody tr').count(), 2);
    assert.equal(await page.locator('table.wire tbody tr').first().locator('.urgency').innerText(), '1 Flash');
    // Times are rewritten in the reader's time zone (Tokyo here), the UTC one kept as the title.
    const time = page.locator('table.wire time').first();
    assert.doesNotMatch(await time.innerText(), /UTC/);
    await page.waitForFunction(() => document.querySelector('table.wire')?.getAttribute('data-live') === 'open');
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    const draft = await api('/v1/stories', {
      language: 'en',
      headline: 'Flash: <b>live</b> from the API',
      body: [{ type: 'paragraph', text: 'Now.' }],
      urgency: 1,
    });
    const started = Date.now();
    await api(`/v1/stories/${draft.id}/publish`);
    await page.locator(`table.wire tbody tr[data-story="${draft.id}"]`).waitFor({ timeout: 1000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1000, `appeared after ${elapsed} ms`);
    assert.equal(await page.evaluate(() => (window as unknown as { marker: number }).marker), 42, 'no reload');
    const top = page.locator('table.wire tbody tr').first();
    assert.equal(await top.getAttribute('data-story'), draft.id);
    assert.match(await top.locator('td.headline').innerText(), /Flash: <b>live<\/b> from the API/);
    assert.match(await page.locator('#wire-announcer').innerText(), /1 Flash: Published: Flash: <b>live<\/b> from the API/);
    assert.equal(await page.locator('#wire-announcer').getAttribute('aria-live'), 'polite');
    // A kill shows up too.
    await api(`/v1/stories/${draft.id}/kill`, { reason: 'test' });
    await page.locator(`table.wire tbody tr[data-story="${draft.id}"][data-kind="killed"]`).waitFor({ timeout: 1000 });
    await expectAccessible(page);
    // The filter form works as a plain GET form.
    await page.getByLabel('Language').selectOption('ar');
    await Promise.all([page.waitForURL(/language=ar/), page.getByRole('button', { name: 'Filter' }).click()]);
    assert.equal(await page.locator('table.wire tbody tr').count(), 1);
    await page.context().close();
  });

  it('lists and search pass axe in English; the review queue shows the submitted draft', async () => {
    const page = await newPage();
    await signIn(page, d.users.editor.email, DESK_PASSWORD);
    await page.goto('/desk/stories?status=submitted');
    assert.equal(await page.locator('table.stories tbody tr').count(), 1);
    assert.equal(await page.locator('table.stories tbody tr a[lang="ar"]').getAttribute('dir'), 'rtl');
    await expectAccessible(page);
    await page.goto('/desk/search');
    await page.getByLabel('Search the archive').fill('المكتبة');
    await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: 'Archive search' }).click()]);
    assert.equal(await page.locator('ol.hits li').count(), 1);
    assert.equal(await page.locator('ol.hits mark').first().innerText(), 'المكتبات');
    await expectAccessible(page);
    // A hostile query renders inert and is answered next to the field.
    await page.goto(`/desk/search?q=${encodeURIComponent('"<img src=x onerror="window.pwned=1">')}`);
    assert.equal(await page.locator('#search-error').count(), 1);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    await expectAccessible(page);
    await page.context().close();
  });

  it('the Arabic desk lays wire, lists and search out right to left and passes axe', async () => {
    const arabic = await d.addUser('editor', { name: 'ليلى المحررة', language: 'ar' });
    const page: Page = await newPage('ar');
    await signIn(page, arabic.email, DESK_PASSWORD);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('h1').innerText(), 'مراقب الخدمة');
    // The first column (time) sits at the right edge of the table.
    const table = (await page.locator('table.wire').boundingBox())!;
    const first = (await page.locator('table.wire thead th').first().boundingBox())!;
    assert.ok(first.x + first.width > table.x + table.width - 5, 'first column at the right');
    assert.match(await page.locator('table.wire tbody tr .urgency').first().innerText(), /^1 عاجل جدًا$/);
    await expectAccessible(page);
    await page.goto('/desk/stories?status=submitted');
    assert.equal(await page.locator('h1').innerText(), 'الأخبار: المرسلة للمراجعة');
    await expectAccessible(page);
    await page.goto(`/desk/search?q=${encodeURIComponent('معرض')}`);
    assert.equal(await page.locator('ol.hits li').count(), 1);
    const facets = (await page.locator('aside.facets').boundingBox())!;
    const hits = (await page.locator('section.hits').boundingBox())!;
    assert.ok(facets.x > hits.x, 'facets on the right in Arabic');
    await expectAccessible(page);
    await page.context().close();
  });
});
