// Issue #12's scenario in real Chromium against a real server and store, with a subscriber's real SSE
// client: an editor writes an Arabic story with a subheading and a quote in the rich editor and
// publishes it; the subscriber's stream receives it; the editor corrects it (the note is required)
// and the story page's diff shows the change; the editor kills it after the confirmation and the
// public page answers 410. A reporter has no publishing button. Two editors on one draft get the
// conflict view naming the other. A photo uploaded through the page's upload area shows in the story.
// axe-core finds nothing serious on the editor and the story page in Arabic and English.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventSource } from 'eventsource';
import type { Browser, Page } from 'playwright-core';
import { userActor } from '../../src/model/users.ts';
import { REPO, tempDir } from '../helpers.ts';
import { drawJpeg } from '../media/fixtures.ts';
import { DESK_PASSWORD, expectAccessible, launchBrowser, needChromium, signIn, startDesk, type DeskFixture } from './desk-fixture.ts';

describe('the story editor and the story page in Chromium', () => {
  let d: DeskFixture;
  let browser: Browser;
  before(async () => {
    needChromium();
    const { build } = (await import(join(REPO, 'scripts/build.mjs'))) as { build: () => Promise<string | undefined> };
    const error = await build();
    if (error) throw new Error(error);
    d = await startDesk();
    await d.rt.media.start();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await d?.close();
  });

  const open = async (email: string, locale = 'en-GB'): Promise<Page> => {
    const page = await (await browser.newContext({ baseURL: d.url, locale, timezoneId: 'Asia/Riyadh', viewport: { width: 1280, height: 1000 } })).newPage();
    const errors: string[] = [];
    // Hostile text must stay text: any dialog a script would open is recorded as an error.
    page.on('dialog', (dlg) => {
      errors.push(`a dialog opened: ${dlg.message()}`);
      void dlg.dismiss();
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await signIn(page, email, DESK_PASSWORD);
    (page as unknown as { errors: string[] }).errors = errors;
    return page;
  };

  it('an editor writes an Arabic story in the rich editor and publishes it; a subscriber’s SSE client receives it; correct, diff, kill, 410', async () => {
    // A subscriber on an Arabic product, with a key, listening on the live stream.
    const admin = userActor(d.users.admin.user);
    await d.rt.admin.createProduct(admin, { name: 'arabic-wire', languages: ['ar'] } as never);
    const sub = await d.rt.admin.createSubscriber(admin, { name: 'Gazete', products: ['arabic-wire'], defaultFormat: 'json' });
    const { secret } = await d.rt.admin.createKey(admin, 'subscriber', { subscriberId: sub.id });
    const received: { kind: string; storyId: string; headline?: string }[] = [];
    const es = new EventSource(`${d.url}/v1/stream`, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${secret}` } }),
    });
    for (const kind of ['published', 'corrected', 'killed', 'updated']) {
      es.addEventListener(kind, (e) => {
        const data = JSON.parse(e.data);
        received.push({ kind, storyId: data.event.storyId, headline: data.story?.content?.headline });
      });
    }
    const waitFor = async (kind: string, storyId: string) => {
      for (let i = 0; i < 100 && !received.some((r) => r.kind === kind && r.storyId === storyId); i++) await new Promise((r) => setTimeout(r, 50));
      return received.find((r) => r.kind === kind && r.storyId === storyId);
    };

    try {
      const page = await open(d.users.editor.email);
      await page.goto('/desk/stories/new');
      await page.waitForSelector('.story-editor-text');
      assert.equal(await page.locator('#f-timeZone').inputValue(), 'Asia/Riyadh', 'the embargo zone defaults to the editor’s own');
      await page.selectOption('#f-language', 'ar');
      const area = page.locator('.story-editor-text');
      assert.equal(await area.getAttribute('dir'), 'rtl', 'the body is edited right to left in Arabic');
      await page.fill('#f-headline', 'الحكومة تعلن خطة جديدة للنقل');
      await page.fill('#f-deck', 'خطة تشمل خطوط حافلات جديدة');
      await area.click();
      await page.keyboard.type('أعلنت الحكومة اليوم خطة جديدة للنقل العام.');
      await page.keyboard.press('Enter');
      await page.keyboard.type('ردود الفعل');
      await page.getByRole('button', { name: 'Subheading' }).click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+Shift+9');
      await page.keyboard.type('هذه خطوة مهمة للمدينة');
      await page.keyboard.press('Enter');
      await page.keyboard.type('رئيس البلدية');
      await page.fill('#f-place', 'إسطنبول');
      await page.check('input[name=categories][value="النقل"]');
      await Promise.all([page.waitForURL(/\/desk\/stories\/[^/]+\?done=published$/), page.getByRole('button', { name: 'Save and publish' }).click()]);
      assert.equal(await page.locator('.notice').innerText(), 'Published.');
      const id = /\/desk\/stories\/([^/?]+)/.exec(page.url())![1];
      const v1 = (await d.rt.store.getVersion(id, 1))!;
      assert.deepEqual(v1.content.body, [
        { type: 'paragraph', text: 'أعلنت الحكومة اليوم خطة جديدة للنقل العام.' },
        { type: 'subheading', text: 'ردود الفعل' },
        { type: 'quote', text: 'هذه خطوة مهمة للمدينة', attribution: 'رئيس البلدية' },
      ]);
      assert.equal(v1.by.name, d.users.editor.user.name);
      const got = await waitFor('published', id);
      assert.ok(got, 'the subscriber’s SSE client received the story');
      assert.equal(got.headline, 'الحكومة تعلن خطة جديدة للنقل');

      // Correct from the editor: the note is required, next to its field.
      await page.getByRole('link', { name: 'Edit' }).click();
      await page.waitForSelector('.story-editor-text');
      await page.fill('#f-headline', 'الحكومة تعلن خطة موسعة للنقل');
      await Promise.all([page.waitForURL(/\/edit$/), page.getByRole('button', { name: 'Save and publish as a correction' }).click()]);
      assert.match(await page.locator('#f-note-error').innerText(), /\S/);
      await page.waitForSelector('.story-editor-text');
      await page.fill('#f-note', 'صُحّح العنوان: الخطة موسعة.');
      await Promise.all([page.waitForURL(/\?done=corrected$/), page.getByRole('button', { name: 'Save and publish as a correction' }).click()]);
      assert.ok(await waitFor('corrected', id), 'the correction reached the subscriber');
      // The diff between versions 1 and 2 shows the changed word, right to left.
      const diff = page.locator('.version-diff .diff-headline .diff-text');
      assert.equal(await diff.getAttribute('dir'), 'rtl');
      assert.equal(await diff.locator('del bdi').innerText(), 'جديدة');
      assert.equal(await diff.locator('ins bdi').innerText(), 'موسعة');
      assert.match(await page.locator('table.versions').innerText(), new RegExp(d.users.editor.user.name));
      await expectAccessible(page);

      // Kill after the confirmation; the public page then answers 410.
      const publicHref = await page.locator('[data-public-page]').getAttribute('href');
      assert.ok(publicHref);
      const publicPath = new URL(publicHref).pathname;
      assert.equal((await fetch(d.url + publicPath)).status, 200);
      await page.getByRole('link', { name: 'Kill…' }).click();
      assert.match(await page.locator('#kill-warning').innerText(), /Subscribers will be told to remove every version/);
      await page.fill('#f-reason', 'خطأ قانوني');
      await Promise.all([page.waitForURL(/\?done=killed$/), page.getByRole('button', { name: 'Kill the story' }).click()]);
      assert.ok(await waitFor('killed', id), 'the kill reached the subscriber');
      assert.equal((await fetch(d.url + publicPath)).status, 410);
      assert.deepEqual((page as unknown as { errors: string[] }).errors, []);
      await page.context().close();
    } finally {
      es.close();
    }
  });

  it('a reporter gets no publishing button, and can submit for review', async () => {
    const page = await open(d.users.reporter.email);
    await page.goto('/desk/stories/new');
    await page.waitForSelector('.story-editor-text');
    assert.equal(await page.getByRole('button', { name: /publish/i }).count(), 0);
    await page.fill('#f-headline', 'Reporter draft');
    await page.locator('.story-editor-text').click();
    await page.keyboard.type('Some text.');
    await Promise.all([page.waitForURL(/\/edit\?done=created$/), page.getByRole('button', { name: 'Save draft' }).click()]);
    assert.equal(await page.getByRole('button', { name: /publish/i }).count(), 0);
    // Autosave's refusals show next to their field, and go when fixed.
    await page.fill('#f-headline', '');
    await page.locator('#f-headline-error[data-autosave-error]').waitFor();
    assert.equal(await page.locator('#f-headline').getAttribute('aria-invalid'), 'true');
    await page.fill('#f-headline', 'Reporter draft, again');
    await page.waitForSelector('#autosave-status[data-state=saved]');
    assert.equal(await page.locator('#f-headline-error').count(), 0);
    await Promise.all([page.waitForURL(/\?done=submitted$/), page.getByRole('button', { name: 'Submit for review' }).click()]);
    assert.equal(await page.locator('[data-act]').count(), 0, 'no publishing acts on the story page');
    await page.context().close();
  });

  it('two editors on one draft: the second to save sees who saved first and both versions; nothing is overwritten', async () => {
    const story = await d.rt.newsroom.createDraft(
      { language: 'en', headline: 'Shared draft', body: [{ type: 'paragraph', text: 'Start.' }] },
      userActor(d.users.editor.user),
    );
    const leyla = await d.addUser('editor', { name: 'Leyla Yılmaz' });
    const a = await open(leyla.email);
    const b = await open(d.users.editor.email);
    for (const p of [a, b]) {
      await p.goto(`/desk/stories/${story.id}/edit`);
      await p.waitForSelector('.story-editor-text');
    }
    await a.fill('#f-headline', 'Shared draft, Leyla’s take');
    await a.waitForSelector('#autosave-status[data-state=saved]');
    assert.equal((await d.rt.store.getStory(story.id))!.draft.headline, 'Shared draft, Leyla’s take');
    await b.locator('.story-editor-text').click();
    await b.keyboard.press('End');
    await b.keyboard.type(' Mine too.');
    const panel = b.locator('#conflict .conflict');
    await panel.waitFor();
    assert.match(await panel.innerText(), /Leyla Yılmaz saved this draft/);
    assert.match(await panel.locator('.theirs').innerText(), /Leyla’s take/);
    assert.match(await panel.locator('.mine').innerText(), /Start\. Mine too\./);
    assert.equal((await d.rt.store.getStory(story.id))!.draft.headline, 'Shared draft, Leyla’s take', 'not overwritten');
    await expectAccessible(b);
    // Keep mine, knowingly.
    await Promise.all([b.waitForURL(/\/edit\?done=saved$/), panel.getByRole('button', { name: /Keep mine/ }).click()]);
    const after = (await d.rt.store.getStory(story.id))!;
    assert.equal(after.draft.headline, 'Shared draft');
    assert.deepEqual(after.draft.body, [{ type: 'paragraph', text: 'Start. Mine too.' }]);
    await a.context().close();
    await b.context().close();
  });

  it('a photo uploaded through the upload area is picked for the story and shows in it', async () => {
    const file = join(tempDir('newsflow-desk-photo-'), 'harbour.jpg');
    await drawJpeg(file, 900, 600);
    const page = await open(d.users.editor.email);
    await page.goto('/desk/stories/new');
    await page.fill('#f-headline', 'Harbour in pictures');
    await Promise.all([page.waitForURL(/\/edit\?done=created$/), page.getByRole('button', { name: 'Save draft' }).click()]);
    const id = /\/desk\/stories\/([^/?]+)/.exec(page.url())![1];
    await page.setInputFiles('#upload-file', file);
    const item = page.locator('#uploads li[data-state=done]');
    await item.waitFor({ timeout: 30_000 });
    await item.getByRole('button', { name: 'Use in the story' }).click();
    await page.fill('#f-photo-0-caption', 'The harbour at dawn');
    await Promise.all([page.waitForURL(/\/edit\?done=saved$/), page.getByRole('button', { name: 'Save draft' }).click()]);
    const photo = (await d.rt.store.getStory(id))!.draft.photos[0];
    assert.ok(photo?.mediaId, 'the draft names the uploaded asset');
    assert.equal(photo.caption, 'The harbour at dawn');
    // The same area takes a file dropped on it (a real drop event carrying the file).
    const bytes = (await import('node:fs')).readFileSync(file).toString('base64');
    await page.evaluate(async (b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'dropped.jpg', { type: 'image/jpeg' }));
      document.querySelector('#drop-zone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await page.locator('#uploads li', { hasText: 'dropped.jpg' }).and(page.locator('[data-state=done]')).waitFor({ timeout: 30_000 });
    await page.goto(`/desk/stories/${id}/preview`);
    const img = page.locator('.preview-subscribers img');
    await img.waitFor();
    assert.ok(await img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0), 'the photo loads');
    await page.context().close();
  });

  for (const language of ['ar', 'en'] as const) {
    it(`axe finds nothing serious on the editor and the story page in ${language}; the desk is ${language === 'ar' ? 'right to left' : 'left to right'}`, async () => {
      const u = await d.addUser('editor', { language, name: language === 'ar' ? 'محررة' : 'An Editor' });
      const story = await d.rt.newsroom.createDraft(
        { language: 'ar', headline: '<script>alert(1)</script> عنوان', body: [{ type: 'quote', text: 'نص', attribution: 'مصدر' }] },
        userActor(u.user),
      );
      await d.rt.newsroom.publish(story.id, userActor(u.user));
      await d.rt.newsroom.correct(story.id, 'note', { headline: 'عنوان مصحح' }, userActor(u.user));
      const page = await open(u.email, language === 'ar' ? 'ar' : 'en-GB');
      for (const path of [
        '/desk/stories/new',
        `/desk/stories/${story.id}/edit`,
        `/desk/stories/${story.id}`,
        `/desk/stories/${story.id}/preview`,
        `/desk/stories/${story.id}/kill`,
      ]) {
        await page.goto(path);
        assert.equal(await page.locator('html').getAttribute('dir'), language === 'ar' ? 'rtl' : 'ltr', path);
        await expectAccessible(page);
      }
      assert.deepEqual((page as unknown as { errors: string[] }).errors, [], 'no script ran from the hostile headline');
      await page.context().close();
    });
  }
});
