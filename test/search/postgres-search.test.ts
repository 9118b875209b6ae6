// Search on PostgreSQL against search on SQLite: the same stories indexed on both, the same queries,
// the same answers (hits in the same order, scores, facets, snippets, filters, errors). Real SQLite
// file, real PostgreSQL (the shared test cluster).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { SearchIndex } from '../../src/search/index.ts';
import { loadLexicon } from '../../src/search/lexicon.ts';
import { analyze } from '../../src/text/index.ts';
import { QuerySyntaxError } from '../../src/search/query.ts';
import type { SearchFilters, SearchResult } from '../../src/model/search.ts';
import { openPool } from '../../src/store/postgres/database.ts';
import { type PostgresSearch, pgSearch } from '../../src/store/postgres/search.ts';
import { freshDatabase } from '../postgres.ts';
import { needShared, tempDir } from '../helpers.ts';
import { tempDb, version } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(repoRoot, '../shared/corpus/arabic-news.jsonl');

// Invented copy in three languages, with the traps each analyzer handles: Arabic clitics, harakat and
// tatweel, Turkish dotted/dotless i, English inflections.
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
    's-isis',
    {
      headline: 'هجوم جديد في المدينة',
      text: 'أعلن تنظيم الدولة مسؤوليته عن الهجوم، وقال مصدر أمني إن داعش نفذ عمليات سابقة.',
      categories: ['security'],
      urgency: 2,
    },
    '2026-01-25T12:00:00Z',
  ),
  version(
    's-tr-istanbul',
    {
      language: 'tr',
      headline: "İstanbul'da deprem tatbikatı yapıldı",
      text: 'İstanbul Valiliği, ILIK bir sabah saatlerinde büyük deprem tatbikatı düzenledi. Tatbikata binlerce kişi katıldı.',
      categories: ['turkey'],
      urgency: 3,
      byline: [{ name: 'Ayşe Yılmaz' }],
      dateline: { place: 'İstanbul' },
    },
    '2026-01-28T08:00:00Z',
  ),
  version(
    's-tr-ankara',
    {
      language: 'tr',
      headline: 'Ankara’da ekonomi toplantısı',
      text: 'Ekonomi bakanları Ankara’da toplandı; enflasyon ve ihracat konuşuldu. Istanbul borsası yükseldi.',
      categories: ['turkey', 'economy'],
      urgency: 4,
    },
    '2026-01-12T08:00:00Z',
  ),
  version(
    's-en-elections',
    {
      language: 'en',
      headline: 'Elections in Lebanon postponed again',
      text: 'Lebanon’s parliament voted to postpone the municipal elections. Voters expressed frustration as the election was delayed for the third time.',
      categories: ['politics'],
      keywords: ['elections'],
      urgency: 3,
      byline: [{ name: 'John Running' }],
    },
    '2026-01-18T10:00:00Z',
  ),
  version(
    's-en-markets',
    {
      language: 'en',
      headline: 'Markets rally as inflation eases',
      text: 'Stock markets rallied on Tuesday after inflation eased for a second month; running costs fell too.',
      categories: ['economy'],
      urgency: 5,
    },
    '2026-01-22T10:00:00Z',
  ),
  version(
    's-en-health',
    {
      language: 'en',
      headline: 'Gaza health ministry reports new toll',
      text: 'The health ministry in Gaza said hospitals are running at limited capacity.',
      categories: ['politics', 'health'],
      urgency: 2,
    },
    '2026-01-21T10:00:00Z',
  ),
];

let sqlite: SearchIndex;
let cleanup: () => void;
let pool: pg.Pool;
let pgs: PostgresSearch;
// Created at the top: a database made inside before() is dropped when that hook ends.
const mainUrl = await freshDatabase();

before(async () => {
  const t = tempDb();
  cleanup = t.cleanup;
  sqlite = new SearchIndex(t.db);
  sqlite.reindex(STORIES);
  pool = await openPool(mainUrl);
  pgs = pgSearch(pool);
  await pgs.rebuild(() => STORIES);
});
after(async () => {
  cleanup?.();
  await pool?.end();
});

/** The two answers with scores rounded (float sums may differ in the last bits). */
async function both(q: string, filters: SearchFilters = {}): Promise<[SearchResult, SearchResult]> {
  const a = sqlite.search(q, filters);
  const b = await pgs.query(q, filters);
  return [a, b];
}

function same(a: SearchResult, b: SearchResult, label: string) {
  const hit = (r: SearchResult) => r.hits.map((h) => ({ ...h, score: Math.round(h.score * 1e6) / 1e6 }));
  assert.deepEqual(hit(b), hit(a), `${label}: hits`);
  assert.equal(b.total, a.total, `${label}: total`);
  assert.deepEqual(b.facets, a.facets, `${label}: facets`);
}

const QUERIES = [
  // Arabic: clitics, harakat, tatweel, spelling variants, synonyms, digits
  'الأسرى',
  'والأسرى',
  'اسرى',
  'غزة',
  'غزه الصحة',
  'وزارة الصحة',
  '"وزارة الصحة"',
  'داعش',
  'تنظيم الدولة',
  'البحرين',
  'الرئيس البحرين',
  '٥٢٠٠',
  'مسؤول',
  // Turkish
  'istanbul',
  'İSTANBUL',
  'ılık',
  'tatbikat',
  'deprem tatbikatı',
  'ankara ekonomi',
  // English
  'election',
  'elections lebanon',
  'running',
  'markets inflation',
  '"health ministry"',
  // fields, operators, grouping, exclusion
  'headline:الأسرى',
  'body:غزة',
  'byline:دندشي',
  'author:yılmaz',
  'dateline:istanbul',
  'place:إسطنبول',
  'category:sport',
  'tag:الأسرى',
  'غزة OR البحرين',
  'الرئيس OR منتخب OR الأسرى',
  'غزة -الصحة',
  'غزة NOT حصيلة',
  '-politics',
  '-غزة',
  '(غزة OR Gaza) health',
  'health -Gaza',
  // filters in the query language
  'lang:en health',
  'lang:tr,en',
  'urgency:<=3',
  'date:2026-01-20..2026-01-31 غزة',
  '',
];

test('the same queries give the same hits, scores, facets and snippets on both stores', async () => {
  for (const q of QUERIES) {
    const [a, b] = await both(q);
    same(a, b, JSON.stringify(q));
  }
  // The set is not trivial: most queries find something and some find several stories.
  let found = 0;
  for (const q of QUERIES) if ((await pgs.query(q, {})).total > 0) found++;
  assert.ok(found >= QUERIES.length - 4, `${found}/${QUERIES.length} queries find something`);
});

test('analysis: Arabic clitics and variants, Turkish i, English stems find the same stories', async () => {
  const ids = async (q: string, f: SearchFilters = {}) => (await pgs.query(q, f)).hits.map((h) => h.storyId).sort();
  assert.deepEqual(await ids('والأسرى'), ['s-prisoners']);
  assert.deepEqual(await ids('غزه'), ['s-ministry']);
  assert.deepEqual(await ids('تنظيم الدولة'), ['s-isis']);
  // The Arabic story's dateline carries the Turkish place name; Turkish casing reads "Istanbul" as ıstanbul.
  assert.deepEqual(await ids('istanbul'), ['s-prisoners', 's-tr-istanbul']);
  assert.deepEqual(await ids('İSTANBUL'), ['s-prisoners', 's-tr-istanbul']);
  assert.deepEqual(await ids('election'), ['s-en-elections']);
  const r = await pgs.query('الأسرى', {});
  assert.match(r.hits[0].headlineHtml, /<mark>الأَسْرَى<\/mark>/);
  assert.match(r.hits[0].snippetHtml, /<mark>الأســرى<\/mark>/);
});

test('filters: language, categories, urgency, dates, story ids, allowed, sort and paging', async () => {
  const cases: [string, SearchFilters][] = [
    ['health', { lang: 'en' }],
    ['غزة', { languages: ['ar'] }],
    ['', { categories: ['health'] }],
    ['', { categories: ['turkey', 'economy'], sort: 'recency' }],
    ['', { urgencyMin: 2, urgencyMax: 3 }],
    ['', { from: '2026-01-20', to: '2026-01-25' }],
    ['', { from: '2026-01-21T10:00:00Z' }],
    ['غزة OR health', { storyIds: ['s-ministry', 's-en-health', 's-visit'] }],
    ['غزة OR health', { allowed: (d) => d.language === 'en' }],
    ['', { allowed: (d) => d.urgency <= 3, limit: 3, offset: 1 }],
    ['الرئيس OR منتخب OR الأسرى OR health', { sort: 'recency' }],
    ['الرئيس OR منتخب OR الأسرى OR health', { limit: 2, offset: 1 }],
    ['', { limit: 3, offset: 2 }],
    ['-politics', { allowed: (d) => d.language !== 'tr' }],
  ];
  for (const [q, f] of cases) {
    const [a, b] = await both(q, f);
    same(a, b, `${JSON.stringify(q)} ${JSON.stringify(f)}`);
  }
  const all = await pgs.query('', { limit: 200 });
  assert.equal(all.total, STORIES.length);
  assert.deepEqual((await pgs.query('', { categories: ['health'] })).hits.map((h) => h.storyId).sort(), ['s-en-health', 's-ministry']);
});

test('syntax errors are QuerySyntaxError with the same message', async () => {
  for (const q of ['"unclosed', '(غزة', 'غزة)', 'lang:xx-!!', 'urgency:12', '.,;']) {
    let sq: unknown;
    try {
      sqlite.search(q, {});
    } catch (e) {
      sq = e;
    }
    assert.ok(sq instanceof QuerySyntaxError, `SQLite rejects ${q}`);
    await assert.rejects(pgs.query(q, {}), (e: unknown) => e instanceof QuerySyntaxError && e.message === (sq as Error).message, q);
  }
  await assert.rejects(pgs.query('غزة', { from: 'yesterday' }), QuerySyntaxError);
});

test('indexVersion replaces, removeStory and kills take a story out; the vocabulary is stored', async () => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await pgs.indexVersion(
      client,
      version('s-visit', { headline: 'الرئيس زار قطر', text: 'زار الرئيس الدوحة.', categories: ['politics'] }, '2025-12-11T09:00:00Z', 2),
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  assert.equal((await pgs.query('البحرين', {})).total, 0);
  assert.deepEqual(
    (await pgs.query('قطر', {})).hits.map((h) => [h.storyId, h.version]),
    [['s-visit', 2]],
  );
  const { rows } = await pool.query<{ freq: number }>(`SELECT freq FROM search_vocabulary WHERE term = 'قطر'`);
  assert.equal(rows[0]?.freq, 1);
  const killed = { ...version('s-visit', { headline: 'x' }, '2025-12-12T09:00:00Z', 3), kind: 'killed' as const };
  await pgs.indexVersion(pool, killed);
  assert.equal((await pgs.query('قطر', {})).total, 0);
  assert.equal(await pgs.count(), STORIES.length - 1);
  await pgs.removeStory(pool, 's-sport');
  await pgs.removeStory(pool, 's-sport');
  assert.equal((await pgs.query('منتخب', {})).total, 0);
  // Put both back so the other tests see the full set whatever the order.
  await pgs.rebuild(() => STORIES);
  assert.equal(await pgs.count(), STORIES.length);
});

test('reindex, catchUp, status and embargoes read the stories and versions tables', async () => {
  const url = await freshDatabase();
  const p = await openPool(url);
  try {
    const s = pgSearch(p);
    const insert = async (v: (typeof STORIES)[number], status = 'published', embargo: string | null = null) => {
      await p.query(
        `INSERT INTO stories (id, status, revision, latest_version, translation_group, language, headline, created_at, updated_at, first_published_at)
         VALUES ($1, $2, 1, $3, $1, $4, $5, $6, $6, $6)`,
        [v.storyId, status, v.version, v.content.language, v.content.headline, v.firstPublishedAt],
      );
      await p.query(
        `INSERT INTO versions (story_id, version, revision_id, kind, pub_status, content, translation_group, first_published_at, version_created_at, embargo_until)
         VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $7, $8)`,
        [v.storyId, v.version, v.revisionId, v.kind, v.pubStatus, JSON.stringify(v.content), v.firstPublishedAt, embargo],
      );
    };
    for (const v of STORIES.slice(0, 6)) await insert(v);
    assert.equal(await s.needsReindex(), false);
    let st = await s.status();
    assert.deepEqual([st.complete, st.missing], [false, 6]);
    const r = await s.reindex();
    assert.equal(r.indexed, 6);
    // Versions published while the index was down are caught up; the rest is left alone.
    await insert(STORIES[6]);
    await insert(STORIES[7], 'published', '2999-01-01T00:00:00Z');
    await insert(STORIES[8], 'killed');
    const c = await s.catchUp();
    assert.deepEqual(c, { indexed: 2, rebuilt: false });
    assert.equal(await s.count(), 8);
    st = await s.status();
    assert.equal(st.complete, true);
    assert.deepEqual([...(await s.embargoedStoryIds(new Date()))], [STORIES[7].storyId]);
    // The same answers as SQLite on the same eight stories.
    const t = tempDb();
    try {
      const ix = new SearchIndex(t.db);
      ix.reindex(STORIES.slice(0, 8));
      for (const q of ['الأسرى', 'istanbul', 'elections', 'غزة OR Ankara']) same(ix.search(q), await s.query(q, {}), q);
    } finally {
      t.cleanup();
    }
    // An index written by an older analyzer asks for a rebuild, and catchUp does it.
    await p.query(`UPDATE search_meta SET value = '1' WHERE key = 'analyzer_version'`);
    assert.equal(await s.needsReindex(), true);
    assert.deepEqual(await s.catchUp(), { indexed: 8, rebuilt: true });
    assert.equal(await s.needsReindex(), false);
  } finally {
    await p.end();
  }
});

test('500 corpus articles: the top ten of headline and body words are the same on both stores', async () => {
  const lines = fs.readFileSync(needShared(CORPUS), 'utf8').slice(0, 4_000_000).split('\n').slice(0, 500);
  const docs = lines.map((l) => JSON.parse(l) as { id: string; title: string; body: string; date: string; category: string | null });
  const versions = docs.map((d) => version(d.id, { headline: d.title, text: d.body, categories: d.category ? [d.category] : [] }, d.date));
  const t = tempDb();
  const p = await openPool(await freshDatabase());
  try {
    const ix = new SearchIndex(t.db);
    ix.reindex(versions);
    const s = pgSearch(p);
    await s.rebuild(() => versions);
    let compared = 0;
    for (const d of docs.slice(0, 60)) {
      const words = d.title.split(/\s+/).filter((w) => w.length > 3);
      const bodyWords = d.body.split(/\s+/).filter((w) => w.length > 4);
      for (const q of [words.slice(0, 3).join(' '), words.slice(-2).join(' '), bodyWords.slice(5, 7).join(' ')]) {
        if (!q.trim()) continue;
        let a: SearchResult;
        try {
          a = ix.search(q, { limit: 10 });
        } catch (e) {
          await assert.rejects(s.query(q, { limit: 10 }), (x: unknown) => (x as Error).message === (e as Error).message);
          continue;
        }
        same(a, await s.query(q, { limit: 10 }), q);
        compared++;
      }
    }
    assert.ok(compared >= 150, `${compared} queries compared`);
  } finally {
    t.cleanup();
    await p.end();
  }
});

test('the agency lexicon (NEWSFLOW_SEARCH_LEXICON) applies on PostgreSQL as on SQLite', async () => {
  const file = path.join(tempDir(), 'lexicon.json');
  fs.writeFileSync(file, JSON.stringify({ synonyms: [['المنامة', 'البحرين']] }));
  const lexicon = loadLexicon(file);
  const t = tempDb();
  const p = await openPool(await freshDatabase());
  try {
    const ix = new SearchIndex(t.db, { synonyms: lexicon.synonyms, protectedNames: lexicon.protectedNames });
    ix.reindex(STORIES);
    const s = pgSearch(p, file);
    await s.rebuild(() => STORIES);
    // The story's body says المنامة and its headline البحرين: only the lexicon's group marks the headline.
    for (const q of ['المنامة', 'البحرين']) same(ix.search(q), await s.query(q, {}), q);
    assert.deepEqual(
      (await s.query('المنامة', {})).hits.map((h) => h.storyId),
      ['s-visit'],
    );
    assert.ok((await s.query('المنامة', {})).hits[0].headlineHtml.includes('<mark>البحرين</mark>'));
  } finally {
    t.cleanup();
    await p.end();
  }
});

test("another node's words reach this node's vocabulary when its copy is refreshed", async () => {
  const p = await openPool(await freshDatabase());
  try {
    const nodeA = pgSearch(p);
    const nodeB = pgSearch(p, null, { vocabularyRefreshMs: 50 });
    await nodeA.rebuild(() => STORIES.slice(0, 3));
    assert.equal((await nodeB.query('الرئيس', {})).total, 1);
    const doha = analyze('الدوحة', 'ar', { stems: false })[0].term;
    assert.equal(nodeB.frequency(doha), 0);
    await nodeA.indexVersion(p, version('s-doha', { headline: 'قمة في الدوحة', text: 'اجتمع القادة في الدوحة.' }));
    // Node B answers from its copy, reads the vocabulary again in the background, then knows the word.
    const until = Date.now() + 5000;
    while (nodeB.frequency(doha) !== 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 60));
      await nodeB.query('الدوحة', {});
    }
    assert.equal(nodeA.frequency(doha), 2);
    assert.equal(nodeB.frequency(doha), 2);
    assert.deepEqual(
      (await nodeB.query('الدوحة', {})).hits.map((h) => h.storyId),
      ['s-doha'],
    );
  } finally {
    await p.end();
  }
});

test('a word repeated past what a tsvector keeps (256 positions) still scores as on SQLite', async () => {
  const p = await openPool(await freshDatabase());
  const t = tempDb();
  try {
    const stories = [
      version('s-long', { headline: 'تقرير مطول', text: `${'غزة تحت الحصار '.repeat(300)}نهاية التقرير` }),
      version('s-short', { headline: 'غزة اليوم', text: 'غزة تحت الحصار منذ سنوات.' }),
      version('s-other', { headline: 'خبر آخر', text: 'لا علاقة له بالموضوع.' }),
    ];
    const ix = new SearchIndex(t.db);
    ix.reindex(stories);
    const s = pgSearch(p);
    await s.rebuild(() => stories);
    for (const q of ['غزة', '"غزة تحت الحصار"', 'الحصار التقرير', 'headline:غزة OR نهاية']) same(ix.search(q), await s.query(q, {}), q);
    assert.equal((await s.query('غزة', {})).total, 2);
  } finally {
    t.cleanup();
    await p.end();
  }
});

test('words past the last position a tsvector numbers (16,383) are found and score as on SQLite', async () => {
  const p = await openPool(await freshDatabase());
  const t = tempDb();
  try {
    const stories = [
      version('s-huge', { headline: 'محضر الجلسة الكاملة', text: `${'المجلس '.repeat(17_000)}ختام فريد ختام فريد` }),
      version('s-small', { headline: 'ختام الجلسة', text: 'انتهت الجلسة بختام هادئ.' }),
    ];
    const ix = new SearchIndex(t.db);
    ix.reindex(stories);
    const s = pgSearch(p);
    await s.rebuild(() => stories);
    // Phrases wholly past the ceiling too (typed side by side, a phrase is ORed in: it counts in BM25).
    for (const q of ['فريد', 'ختام', 'المجلس', 'المجلس فريد', 'فريد ختام', 'ختام فريد', '"فريد ختام"', 'المجلس -"ختام فريد"'])
      same(ix.search(q), await s.query(q, {}), q);
    assert.deepEqual(
      (await s.query('"ختام فريد"', {})).hits.map((h) => h.storyId),
      ['s-huge'],
      'a quoted phrase past the ceiling is found',
    );
    // Another node, which never indexed it, learns from the database that the archive holds a long story.
    assert.deepEqual(
      (await pgSearch(p).query('"ختام فريد"', {})).hits.map((h) => h.storyId),
      ['s-huge'],
    );
    assert.deepEqual(
      (await s.query('فريد', {})).hits.map((h) => h.storyId),
      ['s-huge'],
    );
  } finally {
    t.cleanup();
    await p.end();
  }
});
