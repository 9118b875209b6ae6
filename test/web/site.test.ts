// The public site over HTTP: pages, redirects, states of a story (correction, kill, embargo), caching
// headers, bad input, leads, feeds (read by a feed parser) and a crawl proving that no
// body text beyond the abbreviated part leaves through any public URL.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import type { StoryContent } from '../../src/model/story.ts';
import { abbreviateBody, DEFAULT_BUDGET } from '../../src/web/abbreviate.ts';
import { needShared, sampleContent } from '../helpers.ts';
import { PUBLIC_BASE, startSite, type SiteFixture } from './site-fixture.ts';

let f: SiteFixture;
before(async () => {
  f = await startSite();
});
after(async () => {
  await f?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => f.app.inject({ method: 'GET', url, headers });

async function publish(content: StoryContent): Promise<string> {
  const story = await f.rt.newsroom.createDraft(content, SYSTEM_ACTOR);
  await f.rt.newsroom.publish(story.id, SYSTEM_ACTOR);
  return story.id;
}

/** The site path of a story, as the home page links it. */
async function pathOf(id: string, lang = 'ar'): Promise<string> {
  const r = await get(`/${lang}/x/${id}`);
  assert.equal(r.statusCode, 301, `story ${id} should redirect from a wrong slug`);
  return r.headers.location as string;
}

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

test('/ redirects to the reader’s edition; editions render with lang and dir', async () => {
  assert.equal((await get('/', { 'accept-language': 'tr-TR,tr;q=0.9' })).headers.location, '/tr/');
  assert.equal((await get('/')).headers.location, '/ar/');
  for (const [lang, dir] of [
    ['ar', 'rtl'],
    ['tr', 'ltr'],
    ['en', 'ltr'],
  ]) {
    const r = await get(`/${lang}/`);
    assert.equal(r.statusCode, 200);
    assert.match(r.body, new RegExp(`<html lang="${lang}" dir="${dir}"`));
    assert.match(r.body, /<main id="main"/);
    assert.match(r.body, /class="skip" href="#main"/);
    assert.match(r.body, /hreflang="x-default"/);
  }
});

test('urgent stories are marked on the home page', async () => {
  const id = await publish(sampleContent({ headline: 'عاجل: اختبار العلامة', urgency: 1 }));
  const r = await get('/ar/');
  const card = r.body.slice(r.body.indexOf(`data-story="${id}"`));
  assert.match(card.slice(0, 600), /class="flag">عاجل</);
});

test('story URLs are slugged and stable: a wrong slug or edition redirects to the canonical URL', async () => {
  const id = await publish(sampleContent({ language: 'tr', headline: 'İstanbul’da büyük fuar açıldı', categories: ['Ekonomi'] }));
  const canonical = await pathOf(id, 'tr');
  assert.equal(canonical, `/tr/${encodeURIComponent('istanbul-da-büyük-fuar-açıldı')}/${id}`);
  assert.equal((await get(`/en/whatever/${id}`)).headers.location, canonical);
  const page = await get(canonical);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1>İstanbul’da büyük fuar açıldı<\/h1>/);
  assert.match(page.body, /<html lang="tr" dir="ltr"/);
  assert.match(page.body, /Ocak|Şubat|Mart|Nisan|Mayıs|Haziran|Temmuz|Ağustos|Eylül|Ekim|Kasım|Aralık/);
  assert.match(page.body, /ESKİŞEHİR|AMMAN|عمّان|İ/);
});

test('unknown stories, sections and paths give a 404 page in the edition’s language', async () => {
  for (const [url, lang, text] of [
    ['/ar/none/01hzzzzzzzzzzzzzzzzzzzzzzz', 'ar', 'الصفحة غير موجودة'],
    ['/tr/category/yok-boyle-bir-sey', 'tr', 'Sayfa bulunamadı'],
    ['/en/a/b/c', 'en', 'Page not found'],
    ['/en/not-an-id/xyz', 'en', 'Page not found'],
  ]) {
    const r = await get(url);
    assert.equal(r.statusCode, 404, url);
    assert.match(r.body, new RegExp(`<html lang="${lang}"`));
    assert.ok(r.body.includes(text), url);
  }
});

test('translations link to each other with hreflang and canonical', async () => {
  const ar = await publish(sampleContent({ headline: 'خبر مترجم إلى التركية' }));
  const tr = await publish(sampleContent({ language: 'tr', headline: 'Türkçeye çevrilen haber', translationOf: ar }));
  const page = await get(await pathOf(tr, 'tr'));
  const arPath = await pathOf(ar);
  assert.ok(page.body.includes(`<link rel="alternate" hreflang="ar" href="${PUBLIC_BASE}${arPath}">`));
  assert.match(page.body, /<link rel="canonical" href="http:\/\/news\.test\/tr\//);
  assert.match(page.body, /<link rel="alternate" hreflang="tr"/);
});

test('a correction shows its note; a killed story disappears with a 410 withdrawal notice', async () => {
  const id = await publish(sampleContent({ headline: 'خبر سيُصحَّح ثم يُسحب' }));
  const path = await pathOf(id);
  await f.rt.newsroom.correct(id, 'صُحّح عدد الدول المشاركة', { deck: 'عدد الدول المصحح' }, SYSTEM_ACTOR);
  const corrected = await get(path);
  assert.match(corrected.body, /صُحّح عدد الدول المشاركة/);
  await f.rt.newsroom.kill(id, 'legal reasons (internal)', SYSTEM_ACTOR);
  const killed = await get(path);
  assert.equal(killed.statusCode, 410);
  assert.match(killed.body, /سُحب هذا الخبر/);
  assert.ok(!killed.body.includes('خبر سيُصحَّح'), 'the headline of a killed story is gone');
  assert.ok(!killed.body.includes('legal reasons'), 'the internal kill reason is not public');
  for (const url of ['/ar/', '/feeds/ar.atom', '/sitemaps/stories-1.xml', '/news-sitemap.xml']) {
    assert.ok(!(await get(url)).body.includes(id), `${url} still lists the killed story`);
  }
});

test('an embargoed story is not public until the embargo is lifted', async () => {
  const until = new Date(Date.now() + 3_600_000).toISOString();
  const id = await publish(sampleContent({ headline: 'خبر محظور النشر حتى موعده', embargoUntil: until }));
  assert.equal((await get(`/ar/x/${id}`)).statusCode, 404);
  for (const url of ['/ar/', '/feeds/ar.atom', '/sitemaps/stories-1.xml', '/news-sitemap.xml', '/search?lang=ar&q=محظور']) {
    assert.ok(!(await get(url)).body.includes(id), `${url} shows an embargoed story`);
  }
  await f.rt.store.liftEmbargo(id);
  f.rt.hub.advance(await f.rt.store.headSeq());
  assert.equal((await get(`/ar/x/${id}`)).statusCode, 301);
});

test('ETag and Last-Modified give 304s; pages carry cache and security headers', async () => {
  const r = await get('/en/');
  assert.equal(r.statusCode, 200);
  assert.ok(r.headers.etag && r.headers['last-modified'] && /max-age/.test(String(r.headers['cache-control'])));
  assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
  assert.equal((await get('/en/', { 'if-none-match': String(r.headers.etag) })).statusCode, 304);
  assert.equal((await get('/en/', { 'if-modified-since': String(r.headers['last-modified']) })).statusCode, 304);
  const story = await get(await pathOf(f.seedId));
  assert.equal(story.headers['last-modified'], new Date(f.seed.updatedAt).toUTCString());
  const css = await get('/static/site.css');
  assert.match(String(css.headers['cache-control']), /immutable/);
  assert.equal((await get('/static/site.css', { 'if-none-match': String(css.headers.etag) })).statusCode, 304);
});

test('a publish shows on the cached home page at once', async () => {
  await get('/en/');
  const id = await publish(sampleContent({ language: 'en', headline: 'Fresh story for the cache test', categories: ['World'] }));
  assert.ok((await get('/en/')).body.includes(id));
});

test('bad input: huge URLs get 414, huge queries 400, broken encodings 400, never 500', async () => {
  assert.equal((await get(`/ar/${'a'.repeat(3000)}`)).statusCode, 414);
  assert.equal((await get(`/search?lang=ar&q=${'x'.repeat(3000)}`)).statusCode, 414);
  assert.equal((await get(`/search?lang=ar&q=${'x'.repeat(500)}`)).statusCode, 400);
  assert.equal((await get('/ar/%E0%A4%A/01hzzzzzzzzzzzzzzzzzzzzzzz')).statusCode, 400);
  assert.equal((await get('/ar/?before=not-an-id')).statusCode, 400);
  assert.equal((await get('/search?lang=ar&q[]=a&q[]=b')).statusCode, 200);
  assert.equal((await get('/feeds/xx.atom')).statusCode, 404);
  assert.equal((await get('/sitemaps/stories-99999.xml')).statusCode, 404);
});

/** Story ids listed as result cards on a search page. */
function resultIds(body: string): string[] {
  return [...body.matchAll(/<li class="card" data-story="([^"]+)"/g)].map((m) => m[1]);
}

test('search is served by the full-text index and lists the site’s own cards', async () => {
  const r = await get(`/search?lang=ar&q=${encodeURIComponent('يوم عالمي')}`);
  assert.equal(r.statusCode, 200);
  assert.ok(resultIds(r.body).includes(f.seedId));
  assert.match(r.body, /role="search"/);
  // Words of the public lead find the story; words only in the subscribers' part do not (issue 11), and
  // the page shows no body text either way: no index snippets.
  const shown = f.seed.content.body.find((b) => b.type === 'paragraph')!;
  const hidden = f.seed.content.body.filter((b) => b.type === 'paragraph').at(-1)!;
  assert.ok(hidden.type === 'paragraph' && shown.type === 'paragraph');
  const leadWords = shown.text
    .split(/\s+/)
    .filter((w) => w.length > 5)
    .slice(0, 2)
    .join(' ');
  const byLead = await get(`/search?lang=ar&q=${encodeURIComponent(leadWords)}`);
  assert.ok(resultIds(byLead.body).includes(f.seedId), `lead words "${leadWords}" find the story`);
  const publicText = decode((await get(await pathOf(f.seedId))).body);
  const words = hidden.text
    .split(/\s+/)
    .filter((w) => w.length > 5 && !publicText.includes(w))
    .slice(0, 2)
    .join(' ');
  assert.ok(words.split(' ').length === 2, 'the last paragraph has words the public page does not show');
  const byBody = await get(`/search?lang=ar&q=${encodeURIComponent(words)}`);
  assert.ok(!resultIds(byBody.body).includes(f.seedId), `words "${words}" of the subscribers' part do not find the story`);
  assert.ok(!byBody.body.includes('<mark'), 'no highlighted snippet from the index');
  assert.ok(!decode(byBody.body).includes(hidden.text.slice(0, 40)), 'no hidden body text on the results page');
});

test('the hashtag links of a story page lead to results that list the story', async () => {
  const page = await get(await pathOf(f.seedId));
  const links = [...page.body.matchAll(/<ul class="tags">(.*?)<\/ul>/gs)].flatMap((m) => [...m[1].matchAll(/href="([^"]+)"/g)].map((l) => decode(l[1])));
  assert.ok(links.length >= 1, 'the seed story has hashtag links');
  for (const link of links) {
    assert.match(link, /^\/search\?lang=ar&q=/);
    const r = await get(link);
    assert.equal(r.statusCode, 200, link);
    assert.ok(resultIds(r.body).includes(f.seedId), `${link} lists the seed story`);
  }
});

test('search folds Arabic spelling variants (ta marbuta, clitics)', async () => {
  const id = await publish(sampleContent({ headline: 'افتتاح المكتبة الوطنية الجديدة في عمّان', categories: ['الثقافة'] }));
  for (const q of ['المكتبه', 'والمكتبة', 'مكتبة']) {
    assert.ok(resultIds((await get(`/search?lang=ar&q=${encodeURIComponent(q)}`)).body).includes(id), q);
  }
  assert.ok(resultIds((await get(`/search?lang=ar&q=${encodeURIComponent('والأسرى')}`)).body).includes(f.seedId), 'والأسرى');
});

test('embargoed and killed stories are never found by search', async () => {
  const word = 'زمردية';
  const embargoed = await publish(sampleContent({ headline: `خبر ${word} تحت الحظر`, embargoUntil: new Date(Date.now() + 3_600_000).toISOString() }));
  const killed = await publish(sampleContent({ headline: `خبر ${word} سيُسحب` }));
  const visible = await publish(sampleContent({ headline: `خبر ${word} منشور` }));
  const before = resultIds((await get(`/search?lang=ar&q=${encodeURIComponent(word)}`)).body);
  assert.ok(before.includes(killed) && before.includes(visible));
  assert.ok(!before.includes(embargoed), 'embargoed story found');
  await f.rt.newsroom.kill(killed, 'test', SYSTEM_ACTOR);
  const after = await get(`/search?lang=ar&q=${encodeURIComponent(word)}`);
  assert.deepEqual(resultIds(after.body), [visible]);
  assert.ok(!after.body.includes(embargoed) && !after.body.includes(killed));
});

test('search results come in pages of 50 with next and previous links, every match on exactly one page', async () => {
  const word = 'فسيفسائية';
  const ids = new Set<string>();
  for (let i = 0; i < 55; i++) ids.add(await publish(sampleContent({ headline: `خبر ${word} رقم ${i}` })));
  const first = await get(`/search?lang=ar&q=${encodeURIComponent(word)}`);
  const second = await get(`/search?lang=ar&q=${encodeURIComponent(word)}&page=2`);
  assert.equal(first.statusCode, 200);
  assert.equal(second.statusCode, 200);
  const p1 = resultIds(first.body);
  const p2 = resultIds(second.body);
  assert.equal(p1.length, 50);
  assert.equal(p2.length, 5);
  assert.deepEqual(new Set([...p1, ...p2]), ids, 'every match once, on one page or the other');
  assert.ok(first.body.includes('55 نتيجة'), 'the total, not the page size');
  assert.match(first.body, /<a href="\/search\?lang=ar&amp;q=[^"]+&amp;page=2" rel="next">/);
  assert.doesNotMatch(first.body, /rel="prev"/);
  assert.match(second.body, /<a href="\/search\?lang=ar&amp;q=[^"]+" rel="prev">/);
  assert.doesNotMatch(second.body, /rel="next"/);
  assert.deepEqual(resultIds((await get(`/search?lang=ar&q=${encodeURIComponent(word)}&page=3`)).body), [], 'past the end: no results, not an error');
  for (const bad of ['0', '-1', 'x', '1.5', '99999']) {
    assert.equal((await get(`/search?lang=ar&q=${encodeURIComponent(word)}&page=${bad}`)).statusCode, 400, bad);
  }
});

test('a query syntax error shows a friendly message with a 400, never a 500', async () => {
  for (const [lang, q, text] of [
    ['ar', '"غير مغلق', 'تعذّرت قراءة'],
    ['en', 'water AND (', 'We could not read'],
    ['tr', 'date:2026-99-99', 'okunamadı'],
  ]) {
    const r = await get(`/search?lang=${lang}&q=${encodeURIComponent(q)}`);
    assert.equal(r.statusCode, 400, q);
    assert.ok(r.body.includes(text), `${q}: friendly message`);
    assert.match(r.body, /role="search"/);
  }
});

test('the subscribe form stores a lead that admins list at /v1/leads', async () => {
  const bad = await f.app.inject({
    method: 'POST',
    url: '/subscribe',
    payload: 'lang=en&name=&email=nope',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(bad.statusCode, 400);
  const ok = await f.app.inject({
    method: 'POST',
    url: '/subscribe',
    payload: 'lang=tr&name=Ay%C5%9Fe&email=ayse%40example.org&organisation=Gazete',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/subscribe?lang=tr&thanks=1');
  await f.app.inject({
    method: 'POST',
    url: '/subscribe',
    payload: 'lang=en&name=Bot&email=bot%40spam.example&website=http%3A%2F%2Fspam',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal((await get('/v1/leads')).statusCode, 401);
  const leads = await get('/v1/leads', { authorization: `Bearer ${f.adminKey}` });
  assert.equal(leads.statusCode, 200);
  const list = leads.json().leads as { name: string; email: string; language: string }[];
  assert.deepEqual(
    list.map((l) => [l.name, l.email, l.language]),
    [['Ayşe', 'ayse@example.org', 'tr']],
  );
});

test('story pages carry NewsArticle JSON-LD with the required fields, OpenGraph and Twitter tags', async () => {
  const r = await get(await pathOf(f.seedId));
  const m = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(r.body);
  assert.ok(m);
  const ld = JSON.parse(m[1]);
  assert.equal(ld['@type'], 'NewsArticle');
  for (const k of ['headline', 'datePublished', 'dateModified', 'author', 'publisher', 'image']) assert.ok(ld[k], k);
  assert.equal(ld.headline, f.seed.content.headline);
  assert.equal(ld.articleBody, undefined);
  for (const tag of ['og:title', 'og:type', 'og:image', 'og:url', 'twitter:card', 'twitter:title']) assert.ok(r.body.includes(`"${tag}"`), tag);
});

test('Atom feeds are well-formed and a feed reader takes them whole', async () => {
  const urls = ['/feeds/ar.atom', '/feeds/en.atom', '/feeds/tr.atom', `/feeds/ar/${encodeURIComponent('التقارير')}.atom`];
  for (const url of urls) {
    const r = await get(url);
    assert.equal(r.statusCode, 200, url);
    assert.match(String(r.headers['content-type']), /application\/atom\+xml/);
    // Strict well-formedness first (what feedparser called "bozo"), then a reader's view of it.
    const wellFormed = XMLValidator.validate(r.body);
    assert.equal(wellFormed, true, `${url}: ${JSON.stringify(wellFormed)}`);
    const feed = parseFeed(r.body);
    assert.ok(feed.title, url);
    assert.ok(feed.items.length > 0, url);
    assert.ok(
      feed.items.every((e) => e.url?.startsWith(`${PUBLIC_BASE}/`)),
      url,
    );
  }
});

test('sitemaps list public story URLs; the news sitemap uses the Google News namespace', async () => {
  const index = await get('/sitemap.xml');
  assert.match(index.body, /<sitemapindex/);
  const stories = await get('/sitemaps/stories-1.xml');
  assert.ok(stories.body.includes(`/${f.seedId}</loc>`));
  const news = await get('/news-sitemap.xml');
  assert.match(news.body, /xmlns:news="http:\/\/www\.google\.com\/schemas\/sitemap-news\/0\.9"/);
  assert.match((await get('/robots.txt')).body, /Sitemap: http:\/\/news\.test\/sitemap\.xml/);
});

test('crawl: no body text beyond the abbreviated part appears at any public URL', async () => {
  needShared();
  // Every public URL: editions, sections, stories (from the sitemap), feeds, sitemaps, search.
  const seen = new Set<string>();
  const queue = [
    '/ar/',
    '/tr/',
    '/en/',
    '/sitemap.xml',
    '/news-sitemap.xml',
    '/robots.txt',
    '/subscribe?lang=ar',
    `/search?lang=ar&q=${encodeURIComponent('فلسطين')}`,
  ];
  const bodies: string[] = [];
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const r = await get(url);
    if (r.statusCode >= 300 && r.statusCode < 400 && r.headers.location) {
      queue.push(String(r.headers.location));
      continue;
    }
    assert.ok(r.statusCode < 500, url);
    bodies.push(decode(r.body));
    for (const m of r.body.matchAll(/(?:href|src)="([^"]+)"|<loc>([^<]+)<\/loc>/g)) {
      let link = decode(m[1] ?? m[2]);
      if (link.startsWith(PUBLIC_BASE)) link = link.slice(PUBLIC_BASE.length);
      if (/^\/(ar|tr|en)\/|^\/feeds\/|^\/sitemaps\//.test(link)) queue.push(link.split('#')[0]);
    }
  }
  assert.ok(
    [...seen].some((u) => u.includes(f.seedId)),
    'the crawl reached the seed story',
  );
  assert.ok([...seen].filter((u) => u.startsWith('/feeds/')).length >= 3, 'the crawl reached the feeds');
  const all = bodies.join('\n');
  // Hidden text of every published story: whole paragraphs not shown, and what was cut off a shown one.
  let checked = 0;
  for (const s of await f.rt.store.listStories({ status: 'published', limit: 500 })) {
    const body = s.draft.body;
    const shown = abbreviateBody(body, s.draft.language, DEFAULT_BUDGET).blocks.map((b) => ('text' in b ? b.text : ''));
    const hidden: string[] = [];
    for (const b of body) {
      const text = b.type === 'list' ? b.items.join(' ') : b.text;
      const kept = shown.find((t) => text.startsWith(t));
      if (kept === undefined) hidden.push(text);
      else if (kept.length < text.length) hidden.push(text.slice(kept.length));
    }
    for (const text of hidden) {
      const words = text.split(/\s+/).filter(Boolean);
      // Runs of six words: long enough to be unique to the paragraph, short enough to catch any leak.
      for (let i = 0; i + 6 <= words.length; i += 3) {
        const run = words.slice(i, i + 6).join(' ');
        assert.ok(!all.includes(run), `hidden text of story ${s.id} leaked: "${run}"`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `checked ${checked} runs of hidden text`);
});
