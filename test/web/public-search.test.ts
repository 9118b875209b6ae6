// The public site's search matches only what a public page shows. A story carries a marker word and a
// whole sentence only in paragraphs 4–10 (past the public budget): a crawl of every public search URL
// variant (editions, pages, phrase, fielded, boolean queries) and of every page the site links never
// finds it, while an entitled subscriber's GET /v1/search does. A marker in the public part is found,
// and a larger NEWSFLOW_SITE_BUDGET makes the same paragraph public and findable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addProduct, addSubscriber, call, publish, startServer, type FlowServer } from '../http/subscriber-helpers.ts';

const HIDDEN = 'zorvakin';
const HIDDEN_SENTENCE = 'the zorvakin accord was signed by the harbour council at midnight';
const SHOWN = 'plovendar';
const COMMON = 'harbour';

const para = (text: string) => ({ type: 'paragraph' as const, text });

/** A story whose paragraphs 4–10 (only) carry the hidden marker. */
function storyWithHiddenPart(i: number) {
  return {
    language: 'en',
    headline: `The ${COMMON} reopens after the storm, part ${i}`,
    deck: 'Boats return to the quay as the weather clears',
    body: [
      para('Fishing boats returned to the harbour on Monday morning after three days of storms kept them at anchor.'),
      para('Dock workers cleared debris from the quay while the port authority inspected the breakwater.'),
      para('Local traders said the closure had cost them a week of business in the busiest month of the year.'),
      ...Array.from({ length: 7 }, (_, k) => para(`Paragraph ${k + 4}: ${k === 2 ? HIDDEN_SENTENCE : `officials described the ${HIDDEN} plan in detail`}.`)),
    ],
    categories: ['Local'],
    keywords: [],
    hashtags: [],
    dateline: { place: 'Kyrenia', agency: 'Newsflow Test Agency' },
  };
}

/** Every href on a page that stays on the public site. */
function links(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1].replace(/&amp;/g, '&'))
    .filter((h) => h.startsWith('/') && !h.startsWith('//') && !h.startsWith('/v1/') && !h.startsWith('/static/') && !h.startsWith('/docs'));
}

describe('public search', () => {
  let s: FlowServer;
  let sub: Awaited<ReturnType<typeof addSubscriber>>;
  let hiddenId: string;
  let shownId: string;
  before(async () => {
    s = await startServer({ webhooks: false });
    await addProduct(s, { name: 'English', languages: ['en'] });
    sub = await addSubscriber(s, 'Entitled desk', ['English']);
    hiddenId = (await publish(s, storyWithHiddenPart(0))).id;
    // Enough stories on the common word for several result pages.
    for (let i = 1; i <= 60; i++) await publish(s, { ...storyWithHiddenPart(i), body: storyWithHiddenPart(i).body.slice(0, 3) });
    shownId = (await publish(s, { ...storyWithHiddenPart(99), body: [para(`The ${SHOWN} ferry ran on time.`), ...storyWithHiddenPart(99).body.slice(1, 3)] }))
      .id;
  });
  after(async () => {
    await s.stop();
  });

  it('an entitled subscriber finds the hidden marker and the hidden sentence in GET /v1/search', async () => {
    for (const q of [HIDDEN, `"${HIDDEN_SENTENCE}"`]) {
      const r = await call(s, sub.key, 'GET', `/v1/search?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.ok(JSON.stringify(r.body).includes(hiddenId), `the subscriber finds ${q}`);
    }
  });

  it('no public search URL and no public page finds or shows the hidden part', async () => {
    const queries = [
      HIDDEN,
      HIDDEN.toUpperCase(),
      `"${HIDDEN_SENTENCE}"`,
      '"zorvakin accord"',
      `body:${HIDDEN}`,
      `${COMMON} ${HIDDEN}`,
      `${HIDDEN} OR nothingatall`,
      `${COMMON} AND ${HIDDEN}`,
      `"signed by the harbour council"`,
      `accord midnight`,
    ];
    const start = new Set<string>(['/', '/ar/', '/tr/', '/en/', '/sitemap.xml', '/news-sitemap.xml', '/feeds/en.atom']);
    for (const q of queries) {
      start.add(`/search?q=${encodeURIComponent(q)}`);
      for (const lang of ['ar', 'tr', 'en']) {
        start.add(`/search?lang=${lang}&q=${encodeURIComponent(q)}`);
        for (const page of [1, 2, 3]) start.add(`/search?lang=${lang}&q=${encodeURIComponent(q)}&page=${page}`);
      }
    }
    for (const page of [1, 2, 3]) start.add(`/search?lang=en&q=${COMMON}&page=${page}`);
    const seen = new Set<string>();
    const queue = [...start];
    let searchPages = 0;
    while (queue.length && seen.size < 600) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await fetch(s.url + path, { redirect: 'manual', headers: { 'accept-language': 'en' } });
      const body = await res.text();
      if (res.status >= 300 && res.status < 400) {
        const to = res.headers.get('location');
        if (to) queue.push(to.replace(/^https?:\/\/[^/]+/, ''));
        continue;
      }
      assert.ok(res.status < 500, `${path}: ${res.status}`);
      const query = path.startsWith('/search') ? (new URLSearchParams(path.split('?')[1]).get('q') ?? '') : '';
      if (query && query !== COMMON) {
        // A query on hidden text finds nothing: no story card, no count but zero (the query itself is echoed).
        searchPages++;
        assert.ok(!body.includes(hiddenId), `${path} lists the story by its hidden text`);
        assert.ok(!/<article|data-story=/.test(body), `${path} lists results`);
      } else {
        if (query) searchPages++;
        assert.ok(!body.toLowerCase().includes(HIDDEN), `${path} shows the hidden marker`);
        assert.ok(!body.includes('accord was signed'), `${path} shows the hidden sentence`);
      }
      for (const l of links(body)) if (!seen.has(l)) queue.push(l);
    }
    assert.ok(searchPages >= 100, `${searchPages} public search pages crawled`);
    assert.ok(seen.size > 150, `${seen.size} public URLs crawled`);
    // Result pages of the common word were followed page by page (rel=next) and list the story itself.
    const common = await (await fetch(`${s.url}/search?lang=en&q=${COMMON}`)).text();
    assert.match(common, /rel="next"/);
  });

  it('a word in the public part is found by the public search', async () => {
    const r = await fetch(`${s.url}/search?lang=en&q=${SHOWN}`);
    assert.equal(r.status, 200);
    assert.ok((await r.text()).includes(shownId));
    // The lead is public: a phrase of it finds the story (62 stories share it: two pages).
    const pages = await Promise.all(
      [1, 2].map(async (n) => (await fetch(`${s.url}/search?lang=en&page=${n}&q=${encodeURIComponent('"fishing boats returned to the harbour"')}`)).text()),
    );
    assert.ok(
      pages.some((p) => p.includes(hiddenId)),
      'the public lead matches a phrase query',
    );
  });

  it('follows NEWSFLOW_SITE_BUDGET: with ten paragraphs public, the same marker is public and found', async () => {
    const wide = await startServer({
      file: s.file,
      webhooks: false,
      adminKey: s.adminKey,
      editorKey: s.editorKey,
      env: { NEWSFLOW_SITE_BUDGET: 'paragraphs=10,words=1000' },
    });
    try {
      const r = await fetch(`${wide.url}/search?lang=en&q=${HIDDEN}`);
      assert.equal(r.status, 200);
      assert.ok((await r.text()).includes(hiddenId), 'the marker, now on the public page, is found');
    } finally {
      await wide.stop();
    }
  });
});
