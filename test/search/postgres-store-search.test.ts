// Search on PostgreSQL through the core store, against SQLite through its core store: the same stories
// imported (indexed as they go, or deferred and caught up) and moved through the newsroom (publish,
// update, correct, kill) on a PostgresStore and on a SqliteStore; every query must answer the same hits
// in the same order, the same totals and facets. A story is searchable as soon as its publish is
// acknowledged, and gone as soon as its kill is. Real SQLite file, real PostgreSQL (the shared cluster).
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import type { SearchFilters, SearchResult } from '../../src/model/search.ts';
import type { Store } from '../../src/model/store.ts';
import type { StoryContent } from '../../src/model/story.ts';
import { Newsroom } from '../../src/flow/newsroom.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { freshDatabase } from '../postgres.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

// Created at the top: a database made inside a test is dropped when the file ends, not before.
const urls = [await freshDatabase(), await freshDatabase(), await freshDatabase()];
const opened: Store[] = [];
after(async () => {
  for (const s of opened) await s.close();
});

async function pair(url: string): Promise<[SqliteStore, PostgresStore]> {
  const a = new SqliteStore(tempDbFile());
  const b = await PostgresStore.open(url);
  opened.push(a, b);
  return [a, b];
}

const para = (text: string) => ({ type: 'paragraph' as const, text });
const withoutDeck = ({ deck: _, ...c }: StoryContent): StoryContent => c;

/** Invented copy in three languages; words shared across stories so ranking and facets have work to do. */
const STORIES: { key: string; content: StoryContent; publishedAt: string }[] = [
  [
    'ar-water',
    'ar',
    'مؤتمر إقليمي لتقاسم المياه يختتم أعماله في عمّان',
    'اختتم المؤتمر الإقليمي لتقاسم المياه أعماله بمشاركة ١٢ دولة. وقال المنظمون إن الخطة تبدأ في 2027.',
    ['politics'],
    3,
  ],
  [
    'ar-prisoners',
    'ar',
    'تضامن واسع مع الأَسْرَى في سجون الاحتلال',
    'نظّم ناشطون وقفة تضامنية مع الأســرى أمام مقر الصليب الأحمر. وقال متحدث إن عدد الأسرى بلغ ٥٢٠٠ أسير.',
    ['politics'],
    2,
  ],
  [
    'ar-health',
    'ar',
    'وزارة الصحة في غزة تعلن حصيلة جديدة',
    'أعلنت وزارة الصحة في غزه حصيلة جديدة، وقال مسئول إن المستشفيات تعمل بطاقة محدودة والمياه شحيحة.',
    ['health', 'politics'],
    2,
  ],
  ['ar-sport', 'ar', 'منتخب لبنان يفوز على عمان', 'فاز منتخب لبنان على منتخب عمان بهدفين في التصفيات المؤهلة إلى كأس آسيا.', ['sport'], 5],
  [
    'en-elections',
    'en',
    'Elections in Lebanon postponed again',
    'Lebanon’s parliament voted to postpone the municipal elections. Voters expressed frustration as the election was delayed.',
    ['politics'],
    3,
  ],
  [
    'en-markets',
    'en',
    'Markets rally as inflation eases',
    'Stock markets rallied on Tuesday after inflation eased; water utilities led the gains.',
    ['economy'],
    5,
  ],
  [
    'en-water',
    'en',
    'Water ministers agree to share river data',
    'Ministers from five countries agreed to share river-flow data; the water plan starts in 2027.',
    ['politics', 'environment'],
    4,
  ],
  [
    'tr-quake',
    'tr',
    "İstanbul'da deprem tatbikatı yapıldı",
    'İstanbul Valiliği büyük deprem tatbikatı düzenledi. Tatbikata binlerce kişi katıldı.',
    ['turkey'],
    3,
  ],
  [
    'tr-economy',
    'tr',
    'Ankara’da ekonomi toplantısı',
    'Ekonomi bakanları Ankara’da toplandı; enflasyon konuşuldu. Istanbul borsası yükseldi.',
    ['turkey', 'economy'],
    4,
  ],
].map(([key, language, headline, text, categories, urgency], i) => ({
  key: key as string,
  content: withoutDeck(
    sampleContent({
      language: language as string,
      headline: headline as string,
      body: [para(text as string)],
      categories: categories as string[],
      keywords: [],
      urgency: urgency as StoryContent['urgency'],
      photos: [],
      mediaType: 'text',
      provenance: { originalIds: { archive: key as string } },
    }),
  ),
  publishedAt: new Date(Date.UTC(2026, 0, 3 + i * 4, 9)).toISOString(),
}));

const QUERIES: [string, SearchFilters?][] = [
  ['المياه'],
  ['والمياه'],
  ['الأسرى'],
  ['غزة الصحة'],
  ['"وزارة الصحة"'],
  ['لبنان OR عمان'],
  ['المياه -الصحة'],
  ['water'],
  ['elections'],
  ['water OR markets', { sort: 'recency' }],
  ['headline:water'],
  ['istanbul'],
  ['deprem tatbikatı'],
  ['ekonomi', { lang: 'tr' }],
  ['2027'],
  ['water', { categories: ['environment'] }],
  ['المياه', { urgencyMin: 3 }],
  ['', { limit: 50 }],
  ['', { categories: ['politics'], limit: 3, offset: 1 }],
];

/** A result with story ids read as the stories' keys (ids differ between the two stores) and scores rounded. */
function seen(r: SearchResult, keys: Map<string, string>, withTimes: boolean) {
  return {
    total: r.total,
    facets: withTimes ? r.facets : { ...r.facets, month: r.facets.month.reduce((n, m) => n + m.count, 0) },
    hits: r.hits.map((h) => ({
      key: keys.get(h.storyId) ?? h.storyId,
      version: h.version,
      score: Math.round(h.score * 1e6) / 1e6,
      language: h.language,
      urgency: h.urgency,
      categories: h.categories,
      publishedAt: withTimes ? h.publishedAt : '',
      headlineHtml: h.headlineHtml,
      snippetHtml: h.snippetHtml,
    })),
  };
}

async function sameAnswers(a: Store, b: Store, keysA: Map<string, string>, keysB: Map<string, string>, label: string, withTimes = true) {
  let found = 0;
  for (const [q, f] of QUERIES) {
    const ra = await a.search.query(q, f ?? {});
    const rb = await b.search.query(q, f ?? {});
    found += ra.total;
    assert.deepEqual(seen(rb, keysB, withTimes), seen(ra, keysA, withTimes), `${label}: ${JSON.stringify(q)} ${JSON.stringify(f ?? {})}`);
  }
  assert.ok(found > QUERIES.length, `${label}: the queries find stories`);
}

async function imported(store: Store, deferIndex: boolean): Promise<Map<string, string>> {
  const events = await store.importPublished(
    STORIES.map((s) => ({ content: s.content, publishedAt: s.publishedAt })),
    { deferIndex },
  );
  assert.equal(events.length, STORIES.length);
  return new Map(events.map((e, i) => [e.storyId, STORIES[i].key]));
}

it('importPublished indexes as it goes on both engines: the same answers', async () => {
  const [a, b] = await pair(urls[0]);
  const keysA = await imported(a, false);
  const keysB = await imported(b, false);
  assert.equal((await b.search.status()).complete, true);
  await sameAnswers(a, b, keysA, keysB, 'indexed on import');
});

it('importPublished with deferIndex, then catchUp: nothing searchable before, the same answers after', async () => {
  const [a, b] = await pair(urls[1]);
  const keysA = await imported(a, true);
  const keysB = await imported(b, true);
  assert.equal((await b.search.query('water', {})).total, 0, 'deferred: not indexed yet');
  assert.equal((await b.search.status()).missing, STORIES.length);
  const ca = await a.search.catchUp();
  const cb = await b.search.catchUp();
  assert.equal(cb.indexed, STORIES.length);
  assert.equal(cb.indexed, ca.indexed);
  assert.equal((await b.search.status()).complete, true);
  await sameAnswers(a, b, keysA, keysB, 'caught up');
});

it('newsroom publish, update, correct and kill: searchable once acknowledged, gone once killed, the same answers throughout', async () => {
  const [a, b] = await pair(urls[2]);
  const stores = [
    { store: a, newsroom: new Newsroom(a), keys: new Map<string, string>(), ids: new Map<string, string>() },
    { store: b, newsroom: new Newsroom(b), keys: new Map<string, string>(), ids: new Map<string, string>() },
  ];
  const by = SYSTEM_ACTOR;
  // One story at a time on both stores, so the two see the same order of publishing.
  for (const s of STORIES) {
    for (const side of stores) {
      const d = await side.newsroom.createDraft(s.content, by);
      side.keys.set(d.id, s.key);
      side.ids.set(s.key, d.id);
      await side.newsroom.publish(d.id, by);
      // No wait, no catch-up: the acknowledged publish is in the index.
      const r = await side.store.search.query(`"${s.content.headline}"`, { limit: 50 });
      assert.ok(
        r.hits.some((h) => h.storyId === d.id),
        `${side.store.kind}: ${s.key} searchable right after its publish`,
      );
    }
  }
  const [sa, sb] = stores;
  await sameAnswers(a, b, sa.keys, sb.keys, 'published', false);

  // An update (edit the draft, publish again), a correction, and a kill, on both.
  for (const side of stores) {
    const id = side.ids.get('en-markets')!;
    const story = await side.newsroom.story(id);
    await side.newsroom.editDraft(
      id,
      story.revision,
      { headline: 'Markets slump as water prices rise', body: [para('Stock markets slumped on Tuesday as water prices rose.')] },
      by,
    );
    await side.newsroom.publish(id, by);
    const updated = await side.store.search.query('slump', {});
    assert.deepEqual(
      updated.hits.map((h) => [h.storyId, h.version]),
      [[id, 2]],
      `${side.store.kind}: the update replaced the indexed version`,
    );
    assert.equal((await side.store.search.query('rally', {})).total, 0, `${side.store.kind}: the old headline is no longer found`);

    const health = side.ids.get('ar-health')!;
    await side.newsroom.correct(health, 'تصحيح الرقم', { body: [para('أعلنت وزارة الصحة في غزة حصيلة مصححة، والمياه مقطوعة عن المستشفيات.')] }, by);
    assert.equal((await side.store.search.query('مصححة', {})).hits[0]?.storyId, health, `${side.store.kind}: the correction is searchable`);

    const killed = side.ids.get('en-water')!;
    await side.newsroom.kill(killed, 'published in error', by);
    for (const q of ['"Water ministers agree to share river data"', 'river', 'water']) {
      const r = await side.store.search.query(q, { limit: 50 });
      assert.ok(!r.hits.some((h) => h.storyId === killed), `${side.store.kind}: the killed story is gone from ${q}`);
    }
  }
  await sameAnswers(a, b, sa.keys, sb.keys, 'after update, correction and kill', false);
});
