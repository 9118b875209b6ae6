// The desk's admin pages and the audit page over real HTTP (a real server and store, the session cookie
// and CSRF token as a browser sends them): role checks, validation next to the field, a product and a
// subscriber made on the pages, a key whose secret is shown once and then reads the feed until revoked,
// the SSRF guard's refusal by the URL field, hostile names inert, and the audit trail with the person.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { userActor } from '../../src/model/users.ts';
import { sampleContent } from '../helpers.ts';
import { DESK_PASSWORD, signInHttp, startDesk, type DeskClient, type DeskFixture } from './desk-fixture.ts';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>\u202Eevil';

/** The text of the field error tied to an input (`f-<name>-error`), or null. */
function fieldError(body: string, name: string): string | null {
  const m = new RegExp(`id="f-${name}-error" role="alert">([^<]*)<`).exec(body);
  return m ? m[1] : null;
}

describe('the admin pages and the audit page over HTTP', () => {
  let d: DeskFixture;
  let admin: DeskClient;
  before(async () => {
    d = await startDesk();
    admin = await signInHttp(d.url, d.users.admin.email, DESK_PASSWORD);
  });
  after(async () => {
    await d?.close();
  });

  it('only admins reach products, subscribers and leads; editors and admins read the audit page, reporters do not', async () => {
    const editor = await signInHttp(d.url, d.users.editor.email, DESK_PASSWORD);
    const reporter = await signInHttp(d.url, d.users.reporter.email, DESK_PASSWORD);
    for (const path of ['/desk/admin/products', '/desk/admin/subscribers', '/desk/admin/leads']) {
      assert.equal((await editor.get(path)).status, 403, `editor on ${path}`);
      assert.equal((await reporter.get(path)).status, 403, `reporter on ${path}`);
      assert.equal((await admin.get(path)).status, 200, `admin on ${path}`);
    }
    // A post is refused as well, not only the page.
    await editor.get('/desk');
    assert.equal((await editor.post('/desk/admin/products', { name: 'sneaky' })).status, 403);
    assert.equal(await d.rt.store.subscribers.getProduct('sneaky'), null);
    assert.equal((await editor.get('/desk/audit')).status, 200);
    assert.equal((await reporter.get('/desk/audit')).status, 403);
    assert.equal((await admin.get('/desk/audit')).status, 200);
    // Signed out: the sign-in page.
    for (const path of ['/desk/admin/products', '/desk/admin/subscribers/x', '/desk/admin/leads', '/desk/audit']) {
      const r = await fetch(d.url + path, { redirect: 'manual' });
      assert.equal(r.status, 303, path);
      assert.match(r.headers.get('location') ?? '', /\/desk\/sign-in/);
    }
  });

  it('a bad language tag, urgency or delay is refused next to its field and nothing is stored', async () => {
    await admin.get('/desk/admin/products');
    const r = await admin.post('/desk/admin/products', { name: 'Broken', languages: 'en, not a tag!', maxUrgency: '12', delaySeconds: '-4' });
    assert.equal(r.status, 400);
    const body = await r.text();
    assert.match(fieldError(body, 'languages') ?? '', /not a tag!/);
    assert.equal(fieldError(body, 'maxUrgency'), 'Urgency is a whole number from 1 (flash) to 9.');
    assert.match(fieldError(body, 'delaySeconds') ?? '', /whole number of seconds/);
    assert.match(body, /id="f-languages"[^>]*aria-invalid="true"/);
    assert.equal(await d.rt.store.subscribers.getProduct('Broken'), null);
    const noName = await admin.post('/desk/admin/products', { name: '  ' });
    assert.equal(noName.status, 400);
    assert.equal(fieldError(await noName.text(), 'name'), 'A name is required.');
  });

  it('creates and edits a product; its history shows each filter version with who changed it', async () => {
    await admin.get('/desk/admin/products');
    const created = await admin.post('/desk/admin/products', { name: 'English wire', languages: 'en', maxUrgency: '5', mediaTypes: 'text' });
    assert.equal(created.status, 303);
    const location = created.headers.get('location')!;
    const product = (await d.rt.store.subscribers.getProduct('English wire'))!;
    assert.equal(location, `/desk/admin/products/${product.id}`);
    assert.deepEqual([product.languages, product.maxUrgency, product.mediaTypes], [['en'], 5, ['text']]);
    await admin.get(location);
    await new Promise((r) => setTimeout(r, 5)); // a later instant for the new version
    const edited = await admin.post(location, { languages: 'en, ar', maxUrgency: '', embargoRights: 'on', delaySeconds: '60' });
    assert.equal(edited.status, 303);
    const after = (await d.rt.store.subscribers.getProduct(product.id))!;
    assert.deepEqual([after.languages, after.maxUrgency, after.embargoRights, after.delaySeconds], [['en', 'ar'], null, true, 60]);
    const page = await (await admin.get(location)).text();
    const history = page.slice(page.indexOf('class="history"'));
    const rows = history.split('<tr>').slice(2);
    assert.equal(rows.length, 2, 'two filter versions');
    assert.match(rows[0], new RegExp(d.users.admin.user.name));
    assert.match(rows[0], /Delay in seconds: 60/);
    assert.match(rows[1], /Lowest urgency included: 5/);
    // A bad edit keeps the old filters.
    const bad = await admin.post(location, { languages: 'xx-!!' });
    assert.equal(bad.status, 400);
    assert.ok(fieldError(await bad.text(), 'languages'));
    assert.deepEqual((await d.rt.store.subscribers.getProduct(product.id))!.languages, ['en', 'ar']);
  });

  it('a subscriber made on the pages gets a key shown once that reads the feed until it is revoked', async () => {
    const product = await d.rt.admin.createProduct(SYSTEM_ACTOR, { name: 'English now', languages: ['en'] });
    await admin.get('/desk/admin/subscribers');
    const badSub = await admin.post('/desk/admin/subscribers', { name: 'Daily', rateLimit: 'lots', defaultFormat: 'pdf' });
    assert.equal(badSub.status, 400);
    const badBody = await badSub.text();
    assert.ok(fieldError(badBody, 'rateLimit'));
    assert.ok(fieldError(badBody, 'defaultFormat'));
    const made = await admin.post('/desk/admin/subscribers', { name: 'Daily Bulletin', rateLimit: '120', defaultFormat: 'ninjs', seatLimit: '3' });
    assert.equal(made.status, 303);
    const path = made.headers.get('location')!;
    const id = path.split('/').pop()!;
    await admin.get(path);
    assert.equal((await admin.post(`${path}/products`, { products: product.id })).status, 303);
    const s = (await d.rt.store.subscribers.getSubscriber(id))!;
    assert.deepEqual(
      s.products.map((p) => p.name),
      ['English now'],
    );
    assert.deepEqual([s.rateLimit, s.seatLimit], [120, 3]);
    const withHistory = await (await admin.get(path)).text();
    const historyStart = withHistory.indexOf('class="history"');
    const history = withHistory.slice(historyStart, withHistory.indexOf('</table>', historyStart));
    const rows = history.split('<tr>').slice(2);
    assert.equal(rows.length, 2, 'created without products, then given one');
    assert.match(rows[0], new RegExp(`${d.users.admin.user.name}[\\s\\S]*English now`));
    assert.match(rows[1], new RegExp(d.users.admin.user.name));

    await admin.get(path);
    const keyAnswer = await admin.post(`${path}/keys`, { label: 'newsroom feed' });
    assert.equal(keyAnswer.status, 201);
    assert.equal(keyAnswer.headers.get('cache-control'), 'no-store');
    const secret = /data-testid="new-secret">([^<]+)</.exec(await keyAnswer.text())![1];
    const key = (await d.rt.store.listKeys({ subscriberId: id }))[0];
    assert.ok(secret.startsWith(key.prefix));
    const again = await (await admin.get(path)).text();
    assert.ok(!again.includes(secret), 'the secret is not shown again');
    assert.ok(again.includes(`${key.prefix}…`), 'only the prefix is listed');

    const since = new Date(Date.now() - 1000).toISOString();
    const story = await d.rt.newsroom.createDraft(
      sampleContent({ language: 'en', headline: 'Feed read with a desk-made key' }),
      userActor(d.users.editor.user),
    );
    await d.rt.newsroom.publish(story.id, userActor(d.users.editor.user));
    const feed = await fetch(`${d.url}/v1/feed?format=ninjs&since=${since}`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /Feed read with a desk-made key/);
    // Last used shows on the page.
    await d.rt.store.touchKey(key.id);

    assert.equal((await admin.post(`${path}/keys/${key.id}/revoke`)).status, 303);
    const refused = await fetch(`${d.url}/v1/feed`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(refused.status, 401, 'a revoked key is refused at once');
    const listed = await (await admin.get(path)).text();
    assert.match(listed, /revoked/);
  });

  it("refuses a webhook URL the SSRF guard rejects, with the guard's message next to the URL field", async () => {
    const s = await d.rt.admin.createSubscriber(SYSTEM_ACTOR, { name: 'Hooked', products: [] });
    const path = `/desk/admin/subscribers/${s.id}`;
    await admin.get(path);
    for (const url of ['http://127.0.0.1:9/hook', 'ftp://example.com/x', 'nonsense']) {
      const r = await admin.post(`${path}/webhooks`, { url });
      assert.equal(r.status, 400, url);
      const body = await r.text();
      assert.ok(fieldError(body, 'url'), `an error by the URL field for ${url}`);
      assert.match(body, /id="f-url"[^>]*aria-invalid="true"/);
    }
    assert.deepEqual(await d.rt.store.subscribers.listWebhooks(s.id), []);
  });

  it("deletes a subscriber's webhook from its page; another subscriber's webhook is not reachable through it", async () => {
    const s = await d.rt.admin.createSubscriber(SYSTEM_ACTOR, { name: 'Unhooked', products: [] });
    const other = await d.rt.admin.createSubscriber(SYSTEM_ACTOR, { name: 'Other', products: [] });
    const hook = await d.rt.admin.createWebhook(SYSTEM_ACTOR, {
      subscriberId: s.id,
      url: 'https://example.com/hook',
      secret: 'whsec_x',
      events: null,
      cursor: 0,
    });
    const path = `/desk/admin/subscribers/${s.id}`;
    const page = await (await admin.get(path)).text();
    assert.match(page, /https:\/\/example.com\/hook/);
    assert.match(page, /No attempts yet/);
    assert.equal((await admin.post(`/desk/admin/subscribers/${other.id}/webhooks/${hook.id}/delete`)).status, 404);
    assert.equal((await admin.post(`/desk/admin/subscribers/${other.id}/webhooks/${hook.id}/redeliver`)).status, 404);
    assert.equal((await admin.post(`${path}/webhooks/${hook.id}/delete`)).status, 303);
    assert.deepEqual(await d.rt.store.subscribers.listWebhooks(s.id), []);
    const trail = await d.rt.store.audit.list({ targetType: 'webhook', targetId: hook.id });
    assert.equal(trail[0].action, 'webhook.delete');
    assert.equal(trail[0].actor.name, d.users.admin.user.name);
  });

  it('hostile subscriber and product names render inert', async () => {
    await admin.get('/desk/admin/subscribers');
    const made = await admin.post('/desk/admin/subscribers', { name: HOSTILE });
    assert.equal(made.status, 303);
    await d.rt.admin.createProduct(userActor(d.users.admin.user), { name: HOSTILE });
    for (const path of ['/desk/admin/subscribers', made.headers.get('location')!, '/desk/admin/products', '/desk/audit']) {
      const body = await (await admin.get(path)).text();
      assert.ok(!body.includes('<script>alert(1)'), `no live script on ${path}`);
      assert.ok(!body.includes('<img src=x'), `no live image on ${path}`);
      assert.ok(body.includes('&lt;script&gt;alert(1)'), `the name shown as text on ${path}`);
    }
  });

  it('leads from the subscribe form are listed newest first, hostile text inert', async () => {
    await d.rt.store.site.insertLead({ name: 'First reader', email: 'first@example.com', organisation: null, message: null, language: 'en' });
    await d.rt.store.site.insertLead({ name: HOSTILE, email: 'second@example.com', organisation: 'Daily <b>News</b>', message: HOSTILE, language: 'ar' });
    const body = await (await admin.get('/desk/admin/leads')).text();
    assert.ok(body.indexOf('second@example.com') < body.indexOf('first@example.com'), 'newest first');
    assert.ok(!body.includes('<script>alert(1)') && !body.includes('<b>News'));
    assert.match(body, /Daily &lt;b&gt;News/);
  });

  it('usage per day and channel is a table the chart is drawn from', async () => {
    const s = await d.rt.admin.createSubscriber(SYSTEM_ACTOR, { name: 'Counted', products: [] });
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await d.rt.store.subscribers.addUsage([
      { subscriberId: s.id, channel: 'feed', day: today, count: 7 },
      { subscriberId: s.id, channel: 'webhook', day: today, count: 2 },
      { subscriberId: s.id, channel: 'portal', day: yesterday, count: 5 },
    ]);
    d.rt.deliveries.count(s.id, 'stream', 4); // pending in memory: the page writes it first
    const body = await (await admin.get(`/desk/admin/subscribers/${s.id}`)).text();
    const row = (day: string) => new RegExp(`<tr data-day="${day}">(.*?)</tr>`, 's').exec(body)?.[1] ?? '';
    const cells = (day: string) => [...row(day).matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    // feed, stream, webhook, ws, portal, download, total
    assert.deepEqual(cells(today), [7, 4, 2, 0, 0, 0, 13]);
    assert.deepEqual(cells(yesterday), [0, 0, 0, 0, 5, 0, 5]);
    assert.match(body, /id="usage-chart"/);
    assert.match(body, /<script type="module" src="\/assets\/usage-chart-[\w-]+\.js">/);
    const css = await fetch(`${d.url}/desk/assets/uplot.css`);
    assert.equal(css.status, 200);
    assert.match(await css.text(), /\.uplot/);
  });

  it('the audit page lists versions and admin acts with the person, filtered by person and by story, in pages', async () => {
    const editor = userActor(d.users.editor.user);
    const story = await d.rt.newsroom.createDraft(sampleContent({ language: 'en', headline: 'Audited story' }), editor);
    await d.rt.newsroom.publish(story.id, editor);
    // A users act on the desk is recorded too.
    await admin.get('/desk/admin/users');
    assert.equal((await admin.post(`/desk/admin/users/${d.users.reporter.user.id}/role`, { role: 'reporter' })).status, 303);

    const all = await (await admin.get('/desk/audit')).text();
    assert.match(all, /data-action="user.role"/);
    assert.match(all, /data-action="product.create"/);
    assert.match(all, /data-action="key.revoke"/);
    assert.match(all, new RegExp(`data-kind="version" data-story="${story.id}"`));
    // Newest first: the users act came after the publish.
    assert.ok(all.indexOf('data-action="user.role"') < all.indexOf(`data-story="${story.id}"`));

    const byEditor = await (await admin.get(`/desk/audit?actor=${d.users.editor.user.id}`)).text();
    assert.match(byEditor, /Audited story/);
    assert.ok(!byEditor.includes('data-action="product.create"'), 'only the editor’s acts');
    const byAdmin = await (await admin.get(`/desk/audit?actor=${d.users.admin.user.id}`)).text();
    assert.match(byAdmin, /data-action="product.create"/);
    assert.ok(!byAdmin.includes('data-kind="version"'));
    assert.match(byAdmin, new RegExp(d.users.admin.user.name));

    const byStory = await (await admin.get(`/desk/audit?story=${story.id}`)).text();
    assert.equal((byStory.match(/<tr data-kind=/g) ?? []).length, 1);
    assert.match(byStory, new RegExp(`href="/desk/stories/${story.id}"`));
    const badStory = await admin.get('/desk/audit?story=%3Cscript%3E');
    assert.equal(badStory.status, 400);
    assert.ok(fieldError(await badStory.text(), 'story'));

    // Keyset pages: 60 more versions by one person, two pages with nothing repeated or lost.
    const pager = await d.addUser('editor', { name: 'Pager Person' });
    for (let i = 0; i < 60; i++) {
      const s = await d.rt.newsroom.createDraft(sampleContent({ language: 'en', headline: `Paged ${i}` }), userActor(pager.user));
      await d.rt.newsroom.publish(s.id, userActor(pager.user));
    }
    const first = await (await admin.get(`/desk/audit?actor=${pager.user.id}`)).text();
    const next = /href="(\/desk\/audit\?[^"]+)" rel="next"/.exec(first)![1].replaceAll('&amp;', '&');
    const second = await (await admin.get(next)).text();
    const heads = (b: string) => [...b.matchAll(/>Paged (\d+)</g)].map((m) => Number(m[1]));
    assert.equal(heads(first).length, 50);
    assert.deepEqual(
      [...heads(first), ...heads(second)].sort((a, b) => a - b),
      Array.from({ length: 60 }, (_, i) => i),
    );
    assert.equal(heads(first)[0], 59, 'newest first');
  });
});
