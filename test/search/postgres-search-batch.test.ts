// Search indexing on PostgreSQL a group commit at a time (indexVersions): the same index as one
// indexVersion after another, and a fixed number of statements however many versions a batch holds.
// Real PostgreSQL (the shared test cluster); statements are counted by wrapping the client, not timed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import type { StoryVersion } from '../../src/model/story.ts';
import { openPool, type Sql } from '../../src/store/postgres/database.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { pgSearch } from '../../src/store/postgres/search.ts';
import { validateDraftInput } from '../../src/model/validate.ts';
import { freshDatabase } from '../postgres.ts';
import { version } from './helpers.ts';

const pools: pg.Pool[] = [];
after(async () => {
  for (const p of pools) await p.end();
});

const killed = (v: StoryVersion): StoryVersion => ({ ...v, kind: 'killed' });
const canceled = (v: StoryVersion): StoryVersion => ({ ...v, pubStatus: 'canceled' });

// Republished in the batch, killed in the batch, canceled, and texts a PostgreSQL array literal must
// escape (quotes, backslashes, commas, braces) in categories, keywords and bylines.
const BATCH: StoryVersion[] = [
  version('a', { headline: 'الرئيس زار البحرين', text: 'زار الرئيس المنامة.', categories: ['politics'] }, '2026-01-10T09:00:00Z'),
  version(
    'b',
    {
      headline: 'Storm "Ana" hits the coast',
      text: 'The storm, named {Ana}, hit the coast at dawn.\n\nA back\\slash stays.',
      language: 'en',
      categories: ['weather, "severe"', 'back\\slash'],
      keywords: ['say "hi"', 'a,b'],
      byline: [{ name: 'Jo "JJ" Doe' }],
    },
    '2026-01-10T09:00:00Z',
  ),
  version('a', { headline: 'الرئيس زار قطر', text: 'زار الرئيس الدوحة والتقى الأمير.', categories: ['politics'] }, '2026-01-10T09:00:00Z', 2),
  version('c', { headline: 'منتخب الكرة يفوز', text: 'فاز المنتخب بالمباراة.', categories: ['sport'] }, '2026-01-11T09:00:00Z'),
  killed(version('c', { headline: 'x' }, '2026-01-11T10:00:00Z', 2)),
  canceled(version('d', { headline: 'خبر ملغى', text: 'نص الخبر الملغى.' }, '2026-01-12T09:00:00Z')),
  version('e', { headline: 'وزارة الصحة تعلن حصيلة', text: 'أعلنت وزارة الصحة حصيلة جديدة.', categories: ['health'] }, '2026-01-10T09:00:00Z'),
  version('b', { headline: 'Storm "Ana" leaves', text: 'The storm left {quietly}.', language: 'en', categories: ['weather'] }, '2026-01-10T09:00:00Z', 2),
];

async function searchOn(): Promise<{ pool: pg.Pool; s: ReturnType<typeof pgSearch> }> {
  const pool = await openPool(await freshDatabase());
  pools.push(pool);
  return { pool, s: pgSearch(pool) };
}

async function inTransaction<T>(pool: pg.Pool, f: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const r = await f(c);
    await c.query('COMMIT');
    return r;
  } finally {
    c.release();
  }
}

/** Everything the index holds, doc_id replaced by its rank (the two databases number differently). */
async function dump(pool: pg.Pool) {
  const docs = (
    await pool.query(
      `SELECT d.story_id, d.version, d.language, d.urgency, d.media_type, d.published_at, d.categories, d.tokens, d.terms,
              d.h::text, d.hs::text, d.b::text, d.bs::text, d.byline::text, d.dateline::text, d.category::text, d.keyword::text,
              t.headline, t.body
       FROM search_doc d JOIN search_text t USING (doc_id) ORDER BY d.doc_id`,
    )
  ).rows;
  const vocabulary = (await pool.query('SELECT term, freq FROM search_vocabulary ORDER BY term')).rows;
  const texts = Number((await pool.query('SELECT count(*)::bigint AS n FROM search_text')).rows[0].n);
  return { docs, vocabulary, texts };
}

test('a batch indexes exactly as one version after another (replacements, kills, cancels, escaping)', async () => {
  const one = await searchOn();
  const many = await searchOn();
  await inTransaction(one.pool, async (c) => {
    for (const v of BATCH) await one.s.indexVersion(c, v);
  });
  await inTransaction(many.pool, (c) => many.s.indexVersions(c, BATCH));
  const expected = await dump(one.pool);
  assert.deepEqual(
    expected.docs.map((d) => [d.story_id, d.version]),
    [
      ['a', 2],
      ['e', 1],
      ['b', 2],
    ],
  );
  assert.equal(expected.texts, 3);
  assert.deepEqual(await dump(many.pool), expected);
  for (const q of ['قطر', 'البحرين', 'منتخب', 'storm', 'الملغى', 'الصحة']) assert.deepEqual(await many.s.query(q, {}), await one.s.query(q, {}), q);
  // Array literals came back as the texts given.
  const b = (await many.pool.query(`SELECT categories FROM search_doc WHERE story_id = 'b'`)).rows[0];
  assert.deepEqual(b.categories, ['weather']);
  await inTransaction(many.pool, (c) => many.s.indexVersions(c, [BATCH[1]]));
  assert.deepEqual((await many.pool.query(`SELECT categories FROM search_doc WHERE story_id = 'b'`)).rows[0].categories, ['weather, "severe"', 'back\\slash']);
});

test('a batch of versions is written in one statement whatever its size', async () => {
  const { pool, s } = await searchOn();
  await s.count(); // the vocabulary load and pool warm-up are not what is counted
  const statements = async (versions: StoryVersion[]) =>
    inTransaction(pool, async (c) => {
      let n = 0;
      const query = ((...a: Parameters<pg.PoolClient['query']>) => {
        n++;
        return c.query(...a);
      }) as pg.PoolClient['query'];
      const counted: Sql = { query };
      await s.indexVersions(counted, versions);
      return n;
    });
  const many = Array.from({ length: 40 }, (_, i) => version(`s${i}`, { headline: `خبر رقم ${i}`, text: `نص الخبر ${i} عن المياه.` }));
  assert.equal(await statements(many.slice(0, 2)), 1);
  assert.equal(await statements(many), 1);
  assert.equal(await statements([...many.slice(0, 10).map((v) => ({ ...v, version: 2 })), killed({ ...many[20], version: 2 })]), 1);
  assert.equal(await s.count(), 39);
});

test('importPublished indexes in the same number of statements for 3 stories as for 60', async () => {
  const store = await PostgresStore.open(await freshDatabase());
  try {
    let n = 0;
    const counted = new WeakSet<pg.PoolClient>();
    store.pool.on('acquire', (client) => {
      if (counted.has(client)) return;
      counted.add(client);
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as { query: unknown }).query = (...a: unknown[]) => {
        n++;
        return query(...a);
      };
    });
    const items = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        content: validateDraftInput({ language: 'ar', headline: `خبر مستورد ${from + i}`, body: [{ type: 'paragraph', text: `نص الخبر ${from + i}.` }] }),
        publishedAt: new Date(Date.UTC(2026, 0, 1, 0, from + i)).toISOString(),
      }));
    await store.importPublished(items(0, 1)); // warm-up: the vocabulary load is not counted below
    n = 0;
    await store.importPublished(items(100, 3));
    const few = n;
    n = 0;
    await store.importPublished(items(200, 60));
    assert.equal(n, few);
    assert.equal(await store.search.count(), 64);
    assert.equal((await store.search.query('مستورد', {})).total, 64);
  } finally {
    await store.close();
  }
});

// An import writes its rows in one statement and analyses while the database writes them: refused, its
// words must leave the vocabulary again, and the next import index as if it had never been tried.
test('an import the database refuses leaves nothing of its words behind', async () => {
  const { SYSTEM_ACTOR } = await import('../../src/model/actor.ts');
  const store = await PostgresStore.open(await freshDatabase());
  try {
    const item = (headline: string, text: string, id?: string) => ({
      id,
      content: validateDraftInput({ language: 'ar', headline, body: [{ type: 'paragraph', text }] }),
      publishedAt: '2026-01-01T09:00:00Z',
    });
    await store.importPublished([item('خبر أول', 'نص الخبر الأول.')]);
    const taken = (await store.createStory(validateDraftInput({ language: 'ar', headline: 'مسودة', body: [] }), SYSTEM_ACTOR)).id;
    const before = await store.search.count();
    // The second item reuses a story's id: the stories insert fails, and with it the whole import.
    await assert.rejects(store.importPublished([item('زرقاء البحر', 'زرقاء زرقاء في البحر.'), item('خبر مكرر', 'زرقاء أيضا.', taken)]));
    assert.equal(store.search.frequency('زرقاء'), 0, 'the refused words are not counted in memory');
    assert.equal(await store.search.count(), before);
    assert.equal((await store.search.query('زرقاء', {})).total, 0);
    await store.importPublished([item('زرقاء البحر', 'زرقاء زرقاء في البحر.')]);
    assert.equal(store.search.frequency('زرقاء'), 3, 'counted once, by the import that was written');
    assert.equal((await store.search.query('زرقاء', {})).total, 1);
  } finally {
    await store.close();
  }
});

// A group commit analyses each publish as it is queued, before the log lock (src/store/postgres/index.ts).
// A publish refused under the lock must leave nothing of its words behind: the vocabulary in memory and
// in the database, the stems of the publishes after it (in its batch and queued behind it) and the index
// are those of a store that never saw it, publishing the others one at a time (as SQLite analyses them).
test('a publish refused in a group commit leaves search as if it had never been sent', async () => {
  const { SYSTEM_ACTOR } = await import('../../src/model/actor.ts');
  const { ConflictError } = await import('../../src/model/errors.ts');
  const batched = await PostgresStore.open(await freshDatabase());
  const single = await PostgresStore.open(await freshDatabase());
  try {
    const texts = [
      { headline: 'وزير المياه يفتتح المحطة', text: 'افتتح وزير المياه محطة التحلية الجديدة في المدينة.' },
      // Refused: words of its own (never counted) and forms of the others' words (their stems must not move).
      { headline: 'المياهيات والمحطاتيون زرقاء', text: 'محطات ومحطاتها ووزراء ووزيرها والمياهيات زرقاء زرقاء زرقاء.' },
      { headline: 'محطات التحلية تعمل', text: 'تعمل محطات التحلية بطاقتها الكاملة منذ الصباح.' },
      { headline: 'الوزراء يجتمعون غدا', text: 'يجتمع الوزراء غدا لبحث خطة المياه والمحطات.' },
      { headline: 'مياه الأمطار تغمر الشوارع', text: 'غمرت مياه الأمطار شوارع المدينة ومحطاتها.' },
    ];
    const content = (i: number) => validateDraftInput({ language: 'ar', headline: texts[i].headline, body: [{ type: 'paragraph', text: texts[i].text }] });
    const publish = (store: PostgresStore, id: string, i: number, expect = 0) =>
      store.appendVersion(
        { storyId: id, kind: 'published', content: content(i), expectLatestVersion: expect, allowedStatuses: ['draft', 'published'], by: SYSTEM_ACTOR },
        new Date(Date.UTC(2026, 0, 1, 9, i)),
      );
    const ids = async (store: PostgresStore) => {
      const out: string[] = [];
      for (let i = 0; i < texts.length; i++) out.push((await store.createStory(content(i), SYSTEM_ACTOR)).id);
      return out;
    };
    const a = await ids(batched);
    const b = await ids(single);
    await batched.search.whenReady();
    await single.search.whenReady();
    // 0, 1 (refused: the story is not at version 7) and 2 in one batch; 3 and 4 queued while it commits.
    const first = [publish(batched, a[0], 0), publish(batched, a[1], 1, 7), publish(batched, a[2], 2)];
    await new Promise((r) => setImmediate(r));
    const queued = [publish(batched, a[3], 3), publish(batched, a[4], 4)];
    const settled = await Promise.allSettled([...first, ...queued]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.ok((settled[1] as PromiseRejectedResult).reason instanceof ConflictError);
    for (const i of [0, 2, 3, 4]) await publish(single, b[i], i);
    const label = (ids: string[]) => (row: Record<string, unknown>) => ({ ...row, story_id: ids.indexOf(row.story_id as string) });
    const got = await dump(batched.pool);
    const want = await dump(single.pool);
    assert.deepEqual({ ...got, docs: got.docs.map(label(a)) }, { ...want, docs: want.docs.map(label(b)) });
    // The vocabulary in memory too: nothing of the refused publish's own words.
    for (const w of ['زرقاء', 'المياهيات', 'محطات', 'المياه', 'الوزراء']) assert.equal(batched.search.frequency(w), single.search.frequency(w), w);
    assert.equal(batched.search.frequency('زرقاء'), 0);
    assert.ok(single.search.frequency('محطات') > 0);
  } finally {
    await batched.close();
    await single.close();
  }
});
