// The admin pages and the audit page in real Chromium, on a real server with the webhook worker and a
// real local receiver: a product and a subscriber made on the pages, a key shown once, a webhook whose
// failed attempt shows on the page and is redelivered, the usage chart drawn, the audit filtered by
// person and story, an editor turned away, and axe-core clean in English and Arabic (right to left).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startWebhookWorker } from '../../src/flow/webhooks.ts';
import { userActor } from '../../src/model/users.ts';
import { sampleContent } from '../helpers.ts';
import { DESK_PASSWORD, expectAccessible, launchBrowser, needChromium, signIn, startDesk, type DeskFixture } from './desk-fixture.ts';

describe('the admin pages in Chromium', () => {
  let d: DeskFixture;
  let browser: Browser;
  let stopWorker: (graceMs?: number) => Promise<void>;
  let receiver: Server;
  let receiverUrl: string;
  let answer = 503;
  const received: { body: string; status: number }[] = [];
  let waiters: (() => void)[] = [];

  before(async () => {
    needChromium();
    d = await startDesk({ NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '1' });
    // Retries far apart, so only the redeliver button makes the second attempt.
    stopWorker = startWebhookWorker(d.rt, { allowPrivate: true, baseDelayMs: 600_000, tickMs: 50 });
    receiver = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ body, status: answer });
        res.writeHead(answer).end();
        for (const w of waiters) w();
        waiters = [];
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await stopWorker?.();
    await new Promise((r) => receiver?.close(r));
    await d?.close();
  });

  const receivedCount = async (n: number) => {
    const until = Date.now() + 10_000;
    while (received.length < n) {
      assert.ok(Date.now() < until, `the receiver got ${received.length} of ${n} deliveries`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };

  const newPage = async (locale = 'en-GB'): Promise<Page> => (await browser.newContext({ baseURL: d.url, locale })).newPage();

  it('an admin makes a product and a subscriber, a key, a webhook that is redelivered, and sees usage and the audit', async () => {
    const page = await newPage();
    await signIn(page, d.users.admin.email, DESK_PASSWORD);

    // Products: a bad language tag is shown next to its field; then the product is made.
    await page.goto('/desk/admin/products');
    await expectAccessible(page);
    await page.getByLabel('Name').fill('Browser wire');
    await page.getByLabel('Languages').fill('en, !!');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.locator('#f-languages-error').waitFor();
    assert.match(await page.locator('#f-languages-error').innerText(), /!!/);
    await expectAccessible(page);
    await page.getByLabel('Languages').fill('en');
    await Promise.all([page.waitForURL(/\/desk\/admin\/products\/\w+$/), page.getByRole('button', { name: 'Create product' }).click()]);
    assert.equal(await page.locator('h1').innerText(), 'Browser wire');
    await expectAccessible(page);

    // Subscribers: made with the product.
    await page.goto('/desk/admin/subscribers');
    await page.getByLabel('Name', { exact: true }).fill('Browser Bulletin');
    await page.getByLabel('Browser wire').check();
    await Promise.all([page.waitForURL(/\/desk\/admin\/subscribers\/\w+$/), page.getByRole('button', { name: 'Create subscriber' }).click()]);
    const subscriberId = page.url().split('/').pop()!;
    assert.deepEqual(
      (await d.rt.store.subscribers.getSubscriber(subscriberId))!.products.map((p) => p.name),
      ['Browser wire'],
    );
    await expectAccessible(page);

    // A key: the secret once, then only its prefix.
    await page.getByLabel('Label').fill('browser key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('new-secret').innerText();
    assert.match(secret, /\S{20,}/);
    await page.goto(`/desk/admin/subscribers/${subscriberId}`);
    assert.equal(await page.getByTestId('new-secret').count(), 0);
    assert.ok(!(await page.content()).includes(secret));

    // A webhook to the local receiver; the first delivery fails (503) and shows on the page.
    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    assert.match(await page.getByTestId('new-secret').innerText(), /^whsec_/);
    const story = await d.rt.newsroom.createDraft(sampleContent({ language: 'en', headline: 'Hooked story' }), userActor(d.users.editor.user));
    await d.rt.newsroom.publish(story.id, userActor(d.users.editor.user));
    await receivedCount(1);
    assert.match(received[0].body, /Hooked story/);
    await page.goto(`/desk/admin/subscribers/${subscriberId}`);
    const attempts = page.locator('table.attempts tbody tr');
    await attempts.first().waitFor();
    assert.match(await attempts.first().innerText(), /503/);
    assert.match(await attempts.first().innerText(), /failed/);

    // Redeliver: the receiver now answers 200, the second attempt is delivered.
    answer = 200;
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await receivedCount(2);
    assert.match(received[1].body, /Hooked story/);
    const until = Date.now() + 5000;
    for (;;) {
      await page.goto(`/desk/admin/subscribers/${subscriberId}`);
      if ((await attempts.count()) >= 2) break;
      assert.ok(Date.now() < until, 'the second attempt is listed');
      await page.waitForTimeout(100);
    }
    assert.match(await attempts.first().innerText(), /200/);
    assert.match(await attempts.first().innerText(), /delivered/);

    // Usage: the chart is drawn (a canvas) from the table beside it.
    await page.locator('#usage-chart[data-ready="true"] canvas').first().waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const webhookCell = page.locator(`#usage-table tr[data-day="${today}"] td[data-channel="webhook"]`);
    assert.equal(await webhookCell.innerText(), '1');
    await expectAccessible(page);

    await page.goto('/desk/admin/leads');
    await expectAccessible(page);

    // The audit: the admin's acts with the admin's name; by person; by story.
    await page.goto('/desk/audit');
    await expectAccessible(page);
    await page.getByLabel('Person or key').selectOption({ label: d.users.admin.user.name });
    await Promise.all([page.waitForURL(/actor=/), page.getByRole('button', { name: 'Filter' }).click()]);
    const actions = await page.locator('tr[data-kind="entry"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const a of ['product.create', 'subscriber.create', 'key.create', 'webhook.create', 'webhook.redeliver'])
      assert.ok(actions.includes(a), `${a} in ${actions}`);
    assert.equal(await page.locator('tr[data-kind="version"]').count(), 0);
    assert.match(await page.locator('tr[data-kind="entry"]').first().innerText(), new RegExp(d.users.admin.user.name));
    await page.goto('/desk/audit');
    await page.getByLabel('Story id').fill(story.id);
    await Promise.all([page.waitForURL(/story=/), page.getByRole('button', { name: 'Filter' }).click()]);
    assert.equal(await page.locator('tbody tr').count(), 1);
    assert.match(await page.locator('tbody tr').innerText(), new RegExp(`${d.users.editor.user.name}[\\s\\S]*Hooked story`));
    await page.context().close();
  });

  it('an editor is turned away from the admin pages', async () => {
    const page = await newPage();
    await signIn(page, d.users.editor.email, DESK_PASSWORD);
    for (const path of ['/desk/admin/products', '/desk/admin/subscribers', '/desk/admin/leads']) {
      const r = await page.goto(path);
      assert.equal(r?.status(), 403, path);
    }
    assert.equal((await page.goto('/desk/audit'))?.status(), 200);
    await page.context().close();
  });

  it('the admin pages and the audit page are right to left in Arabic and pass axe in Arabic', async () => {
    const arabic = await d.addUser('admin', { name: 'سلمى المديرة', language: 'ar' });
    const [subscriber] = await d.rt.store.subscribers.listSubscribers();
    const [product] = await d.rt.store.subscribers.listProducts();
    const page = await newPage('ar');
    await signIn(page, arabic.email, DESK_PASSWORD);
    for (const path of [
      '/desk/admin/products',
      `/desk/admin/products/${product.id}`,
      '/desk/admin/subscribers',
      `/desk/admin/subscribers/${subscriber.id}`,
      '/desk/admin/leads',
      '/desk/audit',
    ]) {
      await page.goto(path);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl', path);
      await expectAccessible(page);
    }
    await page.goto('/desk/admin/leads');
    assert.equal(await page.locator('h1').innerText(), 'طلبات الاشتراك');
    await page.goto('/desk/admin/products');
    await page.getByRole('button', { name: 'إنشاء منتج' }).click();
    assert.equal(await page.locator('#f-name-error').innerText(), 'الاسم مطلوب.');
    await page.context().close();
  });
});
