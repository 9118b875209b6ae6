import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SearchIndex } from '../../src/search/index.ts';
import { QuerySyntaxError } from '../../src/search/query.ts';
import { tempDb, version } from './helpers.ts';
import { needShared } from '../helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(repoRoot, '../shared/corpus/arabic-news.jsonl');

// Invented copy (not from the corpora), written the way wire Arabic is: diacritics, tatweel, clitics.
const STORIES = [
  version(
    's-prisoners',
    {
      headline: 'تضامن واسع مع الأَسْرَى في سجون الاحتلال',
      text: 'نظّم ناشطون وقفة تضامنية مع الأســرى الفلسطينيين أمام مقر الصليب الأحمر بفلسطين.\n\nوقال متحدث إن عدد الأسرى بلغ ٥٢٠٠ أسير.',
      categories: ['politics'],
      keywords: ['الأسرى'],
      hashtags: ['أنقذوا_الأسرى'],
      urgency: 3,
      byline: [{ name: 'ياقوت دندشي' }],
      dateline: { place: 'إسطنبول', placeNames: { tr: 'İstanbul' }, agency: 'الأناضول' },
    },
    '2026-01-30T09:00:00Z',
  ),
  version(
    's-ministry',
    {
      headline: 'وزارة الصحة في غزة تعلن حصيلة جديدة',
      text: 'أعلنت وزارة الصحة في غزه حصيلة جديدة للضحايا، وقال مسئول إن المستشفيات تعمل بطاقة محدودة.',
      categories: ['politics', 'health'],
      urgency: 2,
    },
    '2026-01-20T09:00:00Z',
  ),
  version(
    's-visit',
    {
      headline: 'الرئيس زار البحرين',
      text: 'زار الرئيس المنامة والتقى ملك البحرين، وبحث معه التعاون في مجال البحر والموانئ.',
      categories: ['politics'],
      urgency: 4,
    },
    '2025-12-10T09:00:00Z',
  ),
  version(
    's-sport',
    {
      headline: 'منتخب لبنان يفوز على عمان',
      text: 'فاز منتخب لبنان على منتخب عمان بهدفين في التصفيات المؤهلة إلى كأس آسيا ٢٠٢٧.',
      categories: ['sport'],
      urgency: 5,
    },
    '2026-01-05T09:00:00Z',
  ),
  version(
    's-trump',
    {
      headline: 'ترمب يلتقي قادة المنطقة',
      text: 'التقى الرئيس الأميركي دونالد ترمب قادة المنطقة لبحث الوضع في سورية وقتال تنظيم الدولة.',
      categories: ['world'],
      urgency: 4,
    },
    '2026-01-25T09:00:00Z',
  ),
  version(
    's-tr',
    {
      language: 'tr',
      headline: "İstanbul'da dayanışma eylemi",
      text: 'Işık ve umut için İstanbul halkı toplandı.',
      categories: ['politics'],
      urgency: 4,
    },
    '2026-01-29T09:00:00Z',
  ),
  version(
    's-en',
    {
      language: 'en',
      headline: 'Prisoners released after talks',
      text: 'The prisoner exchange was agreed on Monday.',
      categories: ['world'],
      urgency: 4,
    },
    '2026-01-28T09:00:00Z',
  ),
];

const { db, cleanup } = tempDb();
after(cleanup);
const index = new SearchIndex(db);
db.transaction(() => STORIES.forEach((v) => index.indexVersion(v)))();
// Real archives give the proclitic rule its counts; give this small one a head start for قال.
const ids = (q: string, f = {}) => index.search(q, f).hits.map((h) => h.storyId);

/** Runs `fn` on an empty index of its own, in a temporary database removed afterwards. */
function withFreshIndex(fn: (ix: SearchIndex) => void): void {
  const { db: d2, cleanup: c2 } = tempDb();
  try {
    fn(new SearchIndex(d2));
  } finally {
    c2();
  }
}

test('Arabic forms find each other', () => {
  assert.deepEqual(ids('والأسرى'), ['s-prisoners']);
  assert.deepEqual(ids('أسرى'), ['s-prisoners']);
  assert.deepEqual(ids('الأســرى'), ['s-prisoners']);
  assert.deepEqual(ids('لغزة'), ['s-ministry']);
  assert.deepEqual(ids('مسؤول'), ['s-ministry']);
  assert.deepEqual(ids('٥٢٠٠'), ['s-prisoners']);
  assert.deepEqual(ids('5200'), ['s-prisoners']);
  assert.deepEqual(ids('فلسطين'), ['s-prisoners']);
});

test('look-alike words stay apart', () => {
  assert.deepEqual(ids('زار').sort(), ['s-visit']);
  assert.deepEqual(ids('بحر'), ['s-visit']); // البحر in the body, not البحرين
  assert.ok(!ids('لبن').includes('s-sport'));
  assert.ok(!ids('عم').includes('s-sport'));
});

test('synonyms: spelling variants and the two names of ISIS', () => {
  assert.deepEqual(ids('ترامب'), ['s-trump']);
  assert.deepEqual(ids('الأمريكي'), ['s-trump']);
  assert.deepEqual(ids('سوريا'), ['s-trump']);
  assert.deepEqual(ids('داعش'), ['s-trump']);
});

test('Turkish and English stories', () => {
  assert.deepEqual(ids('istanbul', { lang: 'tr' }), ['s-tr']);
  assert.deepEqual(
    ids("İstanbul'da"),
    ['s-tr', 's-prisoners'].filter((s) => s === 's-tr' || s === 's-prisoners'),
  );
  assert.deepEqual(ids('prisoner', { lang: 'en' }), ['s-en']);
  assert.deepEqual(ids('ışık'), ['s-tr']);
});

test('fields, phrases, OR and NOT', () => {
  assert.deepEqual(ids('headline:غزة'), ['s-ministry']);
  assert.deepEqual(ids('byline:دندشي'), ['s-prisoners']);
  assert.deepEqual(ids('dateline:istanbul'), ['s-prisoners']);
  assert.deepEqual(ids('keyword:أنقذوا'), ['s-prisoners']);
  assert.deepEqual(ids('category:sport'), ['s-sport']);
  assert.deepEqual(ids('"وزارة الصحة"'), ['s-ministry']);
  assert.deepEqual(ids('"الصحة وزارة"'), []);
  assert.deepEqual(ids('منتخب OR ترمب').sort(), ['s-sport', 's-trump']);
  assert.deepEqual(ids('الرئيس -البحرين'), ['s-trump']);
  assert.deepEqual(ids('الرئيس NOT ترامب'), ['s-visit']);
  assert.equal(index.search('-category:politics').total, 3);
});

test('filters: language, category, urgency, dates, entitlement predicate', () => {
  assert.deepEqual(ids('lang:tr'), ['s-tr']);
  assert.deepEqual(ids('الرئيس', { categories: ['world'] }), ['s-trump']);
  assert.deepEqual(ids('urgency:<=2'), ['s-ministry']);
  assert.deepEqual(ids('date:2025'), ['s-visit']);
  assert.deepEqual(ids('الرئيس', { from: '2026-01-01' }), ['s-trump']);
  assert.deepEqual(ids('الرئيس', { to: '2025-12-10' }), ['s-visit']);
  const r = index.search('الرئيس', { allowed: (d) => !d.categories.includes('world') });
  assert.deepEqual(
    r.hits.map((h) => h.storyId),
    ['s-visit'],
  );
  assert.equal(r.total, 1);
  assert.deepEqual(r.facets.category, [{ value: 'politics', count: 1 }]);
  assert.deepEqual(ids('', { languages: ['en'] }), ['s-en']);
});

test('facets count category, language, urgency and month', () => {
  const r = index.search('');
  assert.equal(r.total, STORIES.length);
  assert.deepEqual(r.facets.language, [
    { value: 'ar', count: 5 },
    { value: 'en', count: 1 },
    { value: 'tr', count: 1 },
  ]);
  assert.equal(r.facets.category.find((c) => c.value === 'politics')?.count, 4);
  assert.deepEqual(
    r.facets.urgency.map((u) => u.value),
    ['2', '3', '4', '5'],
  );
  assert.deepEqual(r.facets.month, [
    { value: '2026-01', count: 6 },
    { value: '2025-12', count: 1 },
  ]);
  assert.equal(r.hits[0].storyId, 's-prisoners', 'browse is newest first');
});

test('snippets highlight the original, diacritized and tatweel-laden words, escaped', () => {
  const hit = index.search('الأسرى').hits[0];
  assert.match(hit.headlineHtml, /<mark>الأَسْرَى<\/mark>/);
  assert.match(hit.snippetHtml, /<mark>الأســرى<\/mark>/);
  assert.match(hit.snippetHtml, /<mark>الأسرى<\/mark>/);
  const v = version('s-html', { headline: 'a <b> & "c"', text: 'x <script>alert(1)</script> غزة', categories: [] });
  index.indexVersion(v);
  const h2 = index.search('غزة alert').hits[0];
  assert.equal(h2.storyId, 's-html');
  assert.ok(!h2.snippetHtml.includes('<script>'));
  assert.match(h2.snippetHtml, /&lt;script&gt;<mark>alert<\/mark>/);
  index.removeStory('s-html');
});

test('exact forms and phrases rank higher', () =>
  withFreshIndex((ix) => {
    ix.indexVersion(version('stem-only', { headline: 'خبر', text: 'تحدث عن أسرى كثيرين في مكان آخر وعن الحرية.' }));
    ix.indexVersion(version('exact', { headline: 'خبر', text: 'تحدث عن الأسرى كثيرين في مكان آخر وعن الحرية.' }));
    assert.equal(ix.search('الأسرى').hits[0].storyId, 'exact');
    ix.indexVersion(version('apart', { headline: 'خبر', text: 'المجلس البلدي اجتمع، وفي مدينة أخرى قرار جديد.' }));
    ix.indexVersion(version('together', { headline: 'خبر', text: 'اجتمع المجلس اليوم، وصدر قرار المجلس البلدي الجديد.' }));
    assert.deepEqual(
      ix.search('المجلس البلدي').hits.map((h) => h.storyId),
      ['together', 'apart'],
    );
  }));

test('a new version replaces the old one; a kill removes the story', () => {
  index.indexVersion(version('s-sport', { headline: 'منتخب لبنان يتأهل', text: 'تأهل منتخب لبنان.', categories: ['sport'] }, '2026-01-05T09:00:00Z', 2));
  assert.deepEqual(ids('يفوز'), []);
  assert.equal(index.search('يتأهل').hits[0].version, 2);
  const kill = { ...version('s-sport', { headline: 'x' }, '2026-01-05T09:00:00Z', 3), kind: 'killed' as const, pubStatus: 'canceled' as const };
  index.indexVersion(kill);
  assert.deepEqual(ids('منتخب'), []);
  assert.equal(index.count(), STORIES.length - 1);
});

test('bad input never reaches FTS5', () => {
  for (const q of ['NEAR(غزة الأسرى)', '*', 'غزة*', 'h:غزة', 'b : x', '"غزة" AND "', '{h}: x', 'غزة^2', "'; DROP TABLE search_doc; --", '\u0000غزة\u0007']) {
    try {
      const r = index.search(q);
      assert.ok(r.total >= 0);
    } catch (e) {
      assert.ok(e instanceof QuerySyntaxError, `${q}: ${(e as Error).message}`);
      assert.ok(!/fts5|syntax error near/i.test((e as Error).message));
    }
  }
  assert.throws(() => index.search('x'.repeat(10_000)), QuerySyntaxError);
  assert.throws(() => index.search('*** ---'), QuerySyntaxError);
  assert.equal(index.count(), STORIES.length - 1);
});

test('reindex rebuilds from versions with progress', () =>
  withFreshIndex((ix) => {
    const seen: string[] = [];
    const r = ix.reindex(STORIES, (_d, _t, phase) => seen.push(phase));
    assert.equal(r.indexed, STORIES.length);
    assert.ok(seen.includes('index'));
    assert.deepEqual(
      ix.search('بفلسطين').hits.map((h) => h.storyId),
      ['s-prisoners'],
    );
    assert.equal(ix.needsReindex(), false);
  }));

test('200 corpus articles: titles find their article', () =>
  withFreshIndex((ix) => {
    const lines = fs.readFileSync(needShared(CORPUS), 'utf8').slice(0, 2_000_000).split('\n').slice(0, 200);
    const docs = lines.map((l) => JSON.parse(l) as { id: string; title: string; body: string; date: string; category: string });
    ix.reindex(docs.map((d) => version(d.id, { headline: d.title, text: d.body, categories: [d.category] }, d.date)));
    let top1 = 0;
    for (const d of docs) {
      const r = ix.search(`headline:"${d.title.replace(/["“”«»()]/g, ' ')}"`, { limit: 3 });
      if (r.hits[0]?.storyId === d.id || r.hits.some((h) => h.headline === d.title)) top1++;
    }
    assert.ok(top1 >= 195, `title phrase found ${top1}/200`);
    const r = ix.search('الرئيس', { limit: 5 });
    assert.ok(r.total > 5 && r.hits.every((h) => h.snippetHtml.includes('<mark>')));
  }));

test('words typed side by side find a multi-word synonym, and back', () =>
  withFreshIndex((ix) => {
    ix.indexVersion(version('isis-short', { headline: 'هجوم جديد', text: 'تبنى داعش الهجوم في المدينة.' }));
    ix.indexVersion(version('isis-long', { headline: 'هجوم آخر', text: 'أعلن تنظيم الدولة مسؤوليته عن الهجوم.' }));
    assert.deepEqual(
      ix
        .search('تنظيم الدولة')
        .hits.map((h) => h.storyId)
        .sort(),
      ['isis-long', 'isis-short'],
    );
    assert.deepEqual(
      ix
        .search('داعش')
        .hits.map((h) => h.storyId)
        .sort(),
      ['isis-long', 'isis-short'],
    );
    assert.match(ix.search('داعش').hits.find((h) => h.storyId === 'isis-long')!.snippetHtml, /<mark>تنظيم<\/mark> <mark>الدولة<\/mark>/);
  }));

test('paging, recency sort, story-id and language entitlements', () => {
  const all = index.search('', { sort: 'recency', limit: 2 });
  assert.equal(all.hits.length, 2);
  const next = index.search('', { sort: 'recency', limit: 2, offset: 2 });
  assert.ok(next.hits[0].publishedAt <= all.hits[1].publishedAt);
  assert.equal(next.total, all.total);
  assert.deepEqual(ids('', { storyIds: ['s-en', 's-tr', 'nope'] }).sort(), ['s-en', 's-tr']);
  assert.deepEqual(ids('الرئيس', { languages: ['tr'] }), []);
  assert.deepEqual(ids('lang:ar,en', { languages: ['en'] }), ['s-en']);
  assert.equal(index.search('', { languages: [] }).total, 0, 'entitled to no language sees nothing');
});

test('a fresh index does not ask for a reindex; reindex accepts a generator', () =>
  withFreshIndex((ix) => {
    ix.indexVersion(STORIES[0]);
    assert.equal(ix.needsReindex(), false);
    const r = ix.reindex(function* () {
      yield* STORIES.slice(0, 3);
    });
    assert.equal(r.indexed, 3);
    assert.equal(ix.count(), 3);
  }));

test('snippets of long bodies: a match far down is found and marked at the right offset', () =>
  withFreshIndex((ix) => {
    const filler = 'كلام عادي في الفقرة الأولى من التقرير. '.repeat(150);
    ix.indexVersion(version('long', { headline: 'تقرير طويل', text: filler + '\n\nوفي الختام زار الوفـــدُ مدينة حلب.' }));
    const hit = ix.search('الوفد').hits[0];
    assert.match(hit.snippetHtml, /<mark>الوفـــدُ<\/mark>/);
    assert.ok(hit.snippetHtml.startsWith('… '));
    const headOnly = ix.search('طويل').hits[0];
    assert.match(headOnly.headlineHtml, /<mark>طويل<\/mark>/);
    assert.ok(headOnly.snippetHtml.startsWith('كلام عادي'));
  }));
