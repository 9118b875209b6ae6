// The portal's topics, notifications, developers and usage pages on the real server (src/server
// startServer: the alert engine, nodemailer) with a real SMTP server (smtp-server + mailparser), real
// HTTP and real Chromium: a seat follows a topic and gets the alert live in the page and by e-mail (its
// links work with the seat's session), never for a story outside the entitlements; makes a key on the
// page and reads the feed with it, revokes it and it stops at once; adds a webhook to a real local
// receiver, sends a test event, sees each attempt, delivers again, pauses (nothing) and resumes; a seat
// of B gets 404 for A's things; the CSV is right; the SSRF guard speaks next to the field; axe finds
// nothing serious in English and Arabic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Accounts } from '../../src/flow/accounts.ts';
import { SeatTopics } from '../../src/flow/seat-topics.ts';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import type { StoryContent } from '../../src/model/story.ts';
import { configWith } from '../../src/server/config.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { startInbox, type Inbox } from '../flow/mail-inbox.ts';
import { sampleContent, tempDir } from '../helpers.ts';
import { expectAccessible, launchBrowser, needChromium } from './desk-fixture.ts';
import { signInPortal, signInPortalHttp, startPortal } from './portal-fixture.ts';

const PASSWORD = 'seat-password-1234';
let server: RunningServer;
let inbox: Inbox;
let browser: Browser;
let accounts: Accounts;
let subA: string;
let subB: string;
const seats: Record<string, { email: string; id: string }> = {};

async function addSeat(key: string, subscriberId: string, language: 'en' | 'ar' = 'en'): Promise<void> {
  const email = `${key}@paper.test`;
  const added = await accounts.add({ email, role: 'seat', subscriberId, name: `Seat ${key}`, language, password: PASSWORD });
  seats[key] = { email, id: added.user.id };
}

function story(over: Partial<StoryContent>): StoryContent {
  return sampleContent({ photos: [], ...over });
}

async function publish(over: Partial<StoryContent>): Promise<{ id: string; seq: number }> {
  const draft = await server.rt.newsroom.createDraft(story(over), SYSTEM_ACTOR);
  const item = await server.rt.newsroom.publish(draft.id, SYSTEM_ACTOR);
  return { id: draft.id, seq: item.event.seq };
}

async function page(seat: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  const p = await context.newPage();
  await signInPortal(p, seats[seat].email, PASSWORD);
  return p;
}

/** A webhook receiver that records every delivery's type and seq (signatures are checked by the flow tests). */
function receiver(): Promise<{ url: string; got: { type: string; seq: number | null }[]; close(): Promise<void> }> {
  const got: { type: string; seq: number | null }[] = [];
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const p = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: { event?: { seq: number } } };
      got.push({ type: p.type, seq: p.data.event?.seq ?? null });
      res.writeHead(200).end();
    });
  });
  return new Promise((ok) =>
    srv.listen(0, '127.0.0.1', () =>
      ok({ url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/in`, got, close: () => new Promise<void>((r) => srv.close(() => r())) }),
    ),
  );
}

const until = async (what: string, fn: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

before(async () => {
  needChromium();
  inbox = await startInbox();
  server = await startServer(
    configWith({
      PORT: '0',
      HOST: '127.0.0.1',
      NEWSFLOW_DATA: join(tempDir('newsflow-portal-self-'), 'newsflow.db'),
      NEWSFLOW_DEMO: '0',
      NEWSFLOW_QUIET: '1',
      NEWSFLOW_SMTP_URL: inbox.url,
      NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '1',
      NEWSFLOW_WEBHOOK_BASE_DELAY_MS: '100',
    }),
    { stdout: { write: () => true } as unknown as NodeJS.WritableStream },
  );
  const { admin } = server.rt;
  await admin.createProduct(SYSTEM_ACTOR, { name: 'English', languages: ['en'] });
  await admin.createProduct(SYSTEM_ACTOR, { name: 'Arabic', languages: ['ar'] });
  subA = (await admin.createSubscriber(SYSTEM_ACTOR, { name: 'Paper A', products: ['English'] })).id;
  subB = (await admin.createSubscriber(SYSTEM_ACTOR, { name: 'Paper B', products: ['Arabic'] })).id;
  accounts = new Accounts(server.rt.store);
  await addSeat('a', subA);
  await addSeat('a-ar', subA, 'ar');
  await addSeat('b', subB);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await inbox?.close();
});

test('a seat follows a topic: the alert arrives live in the page and by e-mail with working links, never for a story outside the entitlements', async () => {
  const p = await page('a');
  await p.goto('/portal/topics');
  await p.getByLabel('Name', { exact: true }).fill('Olives');
  await p.getByLabel('Query', { exact: true }).fill('(olive');
  await p.getByRole('button', { name: 'Create and follow' }).click();
  await p.locator('#f-query-error').waitFor();
  assert.match(await p.locator('#f-query-error').innerText(), /\S/);
  assert.equal(await p.getByLabel('Query', { exact: true }).inputValue(), '(olive', 'what was typed stays in the field');
  await p.getByLabel('Query', { exact: true }).fill('olive OR zeytin');
  await Promise.all([p.waitForURL(/\/portal\/topics\/[0-9a-z]{26}$/), p.getByRole('button', { name: 'Create and follow' }).click()]);
  const topicUrl = p.url();
  await expectAccessible(p);

  // B (Arabic) follows the same query: its mail proves the Arabic story below does match the topic.
  await new SeatTopics(server.rt).create(
    { id: seats.b.id, name: 'Seat b', subscriberId: subB },
    { name: 'Olives', query: 'olive OR zeytin', mode: 'immediate', notify: true },
  );
  const bellPage = await p.context().newPage();
  await bellPage.goto('/portal/notifications');
  assert.match(await bellPage.locator('#bell-text').innerText(), /none unseen/);

  // A story the subscriber is not entitled to (Arabic; A has English only) matches, yet alerts nothing.
  const hidden = await publish({ language: 'ar', headline: 'olive زيتون hidden from A' });
  const shown = await publish({
    language: 'en',
    headline: 'Olive harvest begins early',
    deck: 'Growers expect a record year',
    body: [{ type: 'paragraph', text: 'The olive harvest began today.' }],
    categories: ['Economy'],
    dateline: { place: 'Izmir', agency: 'Newsflow' },
    byline: [{ name: 'Deniz Kaya', role: 'reporter' }],
  });
  // Live: the topic view and the notification list get it without a reload.
  await p.locator('#topic-stories li', { hasText: 'Olive harvest begins early' }).waitFor({ timeout: 10_000 });
  await bellPage.locator('#notification-list li', { hasText: 'Olive harvest begins early' }).waitFor({ timeout: 10_000 });
  assert.match(await bellPage.locator('#bell-text').innerText(), /1 unseen/);

  await inbox.waitFor(2, 15_000);
  const to = (m: (typeof inbox.mails)[number]) => (m.to && !Array.isArray(m.to) ? m.to.value[0].address : '');
  const mail = inbox.mails.find((m) => to(m) === seats.a.email)!;
  assert.ok(mail, 'A’s seat got its alert');
  assert.match(inbox.mails.find((m) => to(m) === seats.b.email)?.text ?? '', /hidden from A/, 'the story B may see does match the topic');
  assert.match(mail.text ?? '', /Olive harvest begins early/);
  const links = [...new Set((mail.text ?? '').match(/https?:\/\/\S+/g) ?? [])];
  const storyLink = links.find((l) => l.includes(`/portal/stories/${shown.id}`));
  assert.ok(storyLink, `the e-mail links the story page: ${links.join(' ')}`);
  // The seat's session opens the mail's links: the story page and the topics page.
  const http = await signInPortalHttp(server.url, seats.a.email, PASSWORD);
  for (const l of links.filter((x) => x.includes('/portal/'))) {
    const r = await http.get(new URL(l).pathname);
    assert.equal(r.status, 200, l);
    if (l === storyLink) assert.match(await r.text(), /Olive harvest begins early/);
  }

  // Nothing ever about the story outside the entitlements.
  await server.alerts.wake();
  await new Promise((r) => setTimeout(r, 500));
  for (const m of inbox.mails.filter((x) => to(x) === seats.a.email)) {
    assert.ok(!(m.text ?? '').includes(hidden.id) && !(m.text ?? '').includes('hidden from A'), 'no e-mail mentions the story A may not see');
  }
  assert.equal(await bellPage.locator('#notification-list li', { hasText: 'hidden from A' }).count(), 0);
  assert.equal(await p.locator('#topic-stories li', { hasText: 'hidden from A' }).count(), 0);
  assert.ok(!(await (await http.get(new URL(topicUrl).pathname)).text()).includes('hidden from A'));

  // Mark seen: the bell goes back to none.
  await bellPage.reload();
  await bellPage.getByRole('button', { name: 'Mark all seen' }).click();
  await bellPage.waitForURL(/\/portal\/notifications$/);
  assert.match(await bellPage.locator('#bell-text').innerText(), /none unseen/);
  await expectAccessible(bellPage);
  await p.context().close();
});

test('a key made on the developers page reads the feed over HTTP; revoked on the page, it stops at once', async () => {
  const p = await page('a');
  await p.goto('/portal/developers');
  await p.getByRole('button', { name: 'Create key' }).click();
  await p.locator('#f-name-error').waitFor();
  await p.getByLabel('Key name').fill('CMS <script>alert(1)</script>');
  await p.getByRole('button', { name: 'Create key' }).click();
  const secret = (await p.locator('#new-key').innerText()).trim();
  assert.match(secret, /^nf_sub_/);
  assert.ok((await p.locator('#curl-feed').innerText()).includes(`Bearer ${secret}`), 'the curl shows the whole key right after creation');
  assert.ok((await p.locator('#curl-feed').innerText()).startsWith(`curl -s -H "Authorization: Bearer ${secret}" "${server.rt.baseUrl}/v1/feed?since=`));
  assert.ok((await p.locator('#curl-stream').innerText()).includes('/v1/stream'));
  assert.equal(await p.locator('#keys td', { hasText: 'CMS <script>' }).count(), 1, 'the hostile name shows as text');
  await expectAccessible(p);

  const feed = await fetch(`${server.url}/v1/feed?since=2020-01-01T00:00:00Z`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(feed.status, 200);
  await p.goto('/portal/developers');
  assert.ok(!(await p.content()).includes(secret), 'the secret is shown only once');
  assert.ok((await p.locator('#curl-feed').innerText()).includes(`${secret.slice(0, 10)}…`), 'later the curl shows the key prefix');
  const row = p.locator('#keys tr', { hasText: 'CMS <script>' });
  assert.doesNotMatch(await row.innerText(), /never/, 'last used is shown');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await p.waitForURL(/\/portal\/developers$/);
  assert.match(await p.locator('#keys tr', { hasText: 'CMS <script>' }).innerText(), /Revoked/);
  const after = await fetch(`${server.url}/v1/feed?since=2020-01-01T00:00:00Z`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);
  await p.context().close();
});

test('a webhook to a real receiver: test event, each attempt with status and latency, deliver again, pause holds, resume releases', async () => {
  const rx = await receiver();
  try {
    const p = await page('a');
    await p.goto('/portal/developers');
    await p.getByLabel('Receiving URL').fill('ftp://files.example.org/in');
    await p.getByRole('button', { name: 'Add webhook' }).click();
    await p.locator('#f-url-error').waitFor();
    await p.getByLabel('Receiving URL').fill(rx.url);
    await p.getByRole('button', { name: 'Add webhook' }).click();
    assert.match(await p.locator('#new-webhook-secret').innerText(), /^whsec_/);
    await p.locator('#webhooks a', { hasText: 'Attempts and actions' }).click();
    await p.waitForURL(/\/portal\/developers\/webhooks\/[0-9a-z]{26}$/);
    const hookUrl = new URL(p.url()).pathname;

    await p.getByRole('button', { name: 'Send a test event' }).click();
    await p.waitForURL((u) => u.pathname === hookUrl);
    const testRow = p.locator('#attempts tr[data-seq="0"]');
    assert.match(await testRow.innerText(), /test event[\s\S]*200[\s\S]*\d+ ms/);
    assert.equal(rx.got[0].type, 'webhook.test');

    const first = await publish({ language: 'en', headline: 'Webhook story one' });
    await until('the delivery', () => rx.got.some((g) => g.seq === first.seq));
    await until('its attempt on the page', async () => {
      await p.reload();
      return (await p.locator(`#attempts tr[data-seq="${first.seq}"]`).count()) > 0;
    });
    assert.match(await p.locator(`#attempts tr[data-seq="${first.seq}"]`).first().innerText(), /200[\s\S]*\d+ ms/);
    await expectAccessible(p);

    const before = rx.got.filter((g) => g.seq === first.seq).length;
    await p.locator(`#attempts tr[data-seq="${first.seq}"]`).first().getByRole('button', { name: 'Deliver again from here' }).click();
    await until('the redelivery', () => rx.got.filter((g) => g.seq === first.seq).length > before);

    await p.getByRole('button', { name: 'Pause' }).click();
    await p.waitForURL((u) => u.pathname === hookUrl);
    assert.equal(await p.locator('#webhook-state').innerText(), 'Paused');
    const held = await publish({ language: 'en', headline: 'Webhook story held' });
    await new Promise((r) => setTimeout(r, 1200));
    assert.ok(!rx.got.some((g) => g.seq === held.seq), 'nothing delivered while paused');
    await p.getByRole('button', { name: 'Resume' }).click();
    await until('the held story after resume', () => rx.got.some((g) => g.seq === held.seq));
    await p.context().close();
  } finally {
    await rx.close();
  }
});

test('a seat of B gets 404 for A’s topics, keys, webhooks; usage is each one’s own; the CSV is right', async () => {
  const a = await signInPortalHttp(server.url, seats.a.email, PASSWORD);
  const b = await signInPortalHttp(server.url, seats.b.email, PASSWORD);
  const topic = (await server.rt.store.savedSearches.list(subA))[0];
  const key = await server.rt.admin.createKey(SYSTEM_ACTOR, 'subscriber', { subscriberId: subA, label: 'A only' });
  const hook = (await server.rt.store.subscribers.listWebhooks(subA))[0];
  assert.ok(topic && hook);
  await b.get('/portal/topics');
  for (const path of [`/portal/topics/${topic.id}`, `/portal/topics/${topic.id}/live`, `/portal/developers/webhooks/${hook.id}`]) {
    assert.equal((await b.get(path)).status, 404, path);
  }
  for (const path of [
    `/portal/topics/${topic.id}/follow`,
    `/portal/topics/${topic.id}/unfollow`,
    `/portal/developers/keys/${key.key.id}/revoke`,
    `/portal/developers/webhooks/${hook.id}/pause`,
    `/portal/developers/webhooks/${hook.id}/test`,
    `/portal/developers/webhooks/${hook.id}/redeliver`,
    `/portal/developers/webhooks/${hook.id}/delete`,
  ]) {
    assert.equal((await b.post(path, { mode: 'daily', notify: '1' })).status, 404, path);
  }
  assert.equal((await fetch(`${server.url}/v1/feed?since=2020-01-01T00:00:00Z`, { headers: { authorization: `Bearer ${key.secret}` } })).status, 200);
  assert.equal((await server.rt.store.subscribers.getWebhook(hook.id))!.pausedAt, null);
  const bTopics = await (await b.get('/portal/topics')).text();
  assert.ok(!bTopics.includes(topic.id), 'B does not see A’s topic');
  const bDev = await (await b.get('/portal/developers')).text();
  assert.ok(!bDev.includes(key.key.prefix) && !bDev.includes(hook.url));

  const day = (d: string) => new Date(`${d}T08:00:00Z`);
  server.rt.deliveries.count(subA, 'feed', 7, day('2026-02-10'));
  server.rt.deliveries.count(subA, 'webhook', 2, day('2026-02-11'));
  server.rt.deliveries.count(subA, 'download', 1, day('2026-02-11'));
  server.rt.deliveries.count(subB, 'feed', 50, day('2026-02-10'));
  const csvA = await a.get('/portal/usage.csv?from=2026-02-09&to=2026-02-11');
  assert.equal(csvA.status, 200);
  assert.match(csvA.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(csvA.headers.get('content-disposition') ?? '', /attachment; filename="usage-2026-02-09-2026-02-11.csv"/);
  assert.equal(
    await csvA.text(),
    'day,portal,feed,stream,webhooks,downloads,total\r\n2026-02-09,0,0,0,0,0,0\r\n2026-02-10,0,7,0,0,0,7\r\n2026-02-11,0,0,0,2,1,3\r\n',
  );
  const csvB = await (await b.get('/portal/usage.csv?from=2026-02-10&to=2026-02-10')).text();
  assert.equal(csvB, 'day,portal,feed,stream,webhooks,downloads,total\r\n2026-02-10,0,50,0,0,0,50\r\n');
  assert.equal((await a.get('/portal/usage.csv?from=2026-02-30')).status, 400);
});

test('the usage page draws its chart (bundled uPlot) beside the table, and refuses a bad day next to the field', async () => {
  const p = await page('a');
  await p.goto('/portal/usage?from=2026-02-09&to=2026-02-11');
  await p.locator('#usage-chart .uplot canvas').waitFor();
  assert.equal(await p.locator('#usage-table tbody tr').count(), 3);
  assert.match(await p.locator('#usage-table tbody tr').nth(1).innerText(), /2026-02-10\s+0\s+7\s+0\s+0\s+0\s+7/);
  assert.equal(await p.locator('#usage-csv').getAttribute('href'), '/portal/usage.csv?from=2026-02-09&to=2026-02-11');
  const scripts = await p.locator('script[src]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
  assert.ok(
    scripts.every((s) => s.startsWith(server.url)),
    `scripts come from the server itself: ${scripts.join(' ')}`,
  );
  await expectAccessible(p);
  await p.goto('/portal/usage?from=2026-02-31');
  await p.locator('#f-from-error').waitFor();
  await p.context().close();
});

test('axe: topics, notifications, developers, a webhook and usage in English and in Arabic (right to left)', async () => {
  const hook = (await server.rt.store.subscribers.listWebhooks(subA))[0];
  for (const [seat, lang, dir] of [
    ['a', 'en', 'ltr'],
    ['a-ar', 'ar', 'rtl'],
  ] as const) {
    const p = await page(seat);
    for (const path of ['/portal/topics', '/portal/notifications', '/portal/developers', `/portal/developers/webhooks/${hook.id}`, '/portal/usage']) {
      await p.goto(path);
      assert.equal(await p.locator('html').getAttribute('dir'), dir, path);
      assert.equal(await p.locator('html').getAttribute('lang'), lang, path);
      await expectAccessible(p);
    }
    await p.context().close();
  }
});

test('the SSRF guard refuses a private webhook address, said next to the field', async () => {
  const portal = await startPortal();
  try {
    // No page of these without sign-in.
    for (const path of ['/portal/topics', '/portal/notifications', '/portal/notifications/live', '/portal/developers', '/portal/usage', '/portal/usage.csv']) {
      const g = await fetch(portal.url + path, { redirect: 'manual' });
      assert.equal(g.status, 303, path);
      assert.match(g.headers.get('location') ?? '', /^\/portal\/sign-in/, path);
    }
    const sub = await portal.addSubscriber('Guarded', { languages: ['en'] });
    const seat = await portal.addSeat(sub.id);
    const c = await signInPortalHttp(portal.url, seat.email, seat.password);
    await c.get('/portal/developers');
    const r = await c.post('/portal/developers/webhooks', { url: 'http://127.0.0.1:8080/admin' });
    assert.equal(r.status, 400);
    const body = await r.text();
    assert.match(body, /<p class="error" id="f-url-error" role="alert">[^<]*SSRF guard/);
    assert.equal((await portal.rt.store.subscribers.listWebhooks(sub.id)).length, 0);
  } finally {
    await portal.close();
  }
});
