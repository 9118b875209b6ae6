// The site read model (SiteStore) and the media assets with their rendering queue (MediaStore), defined
// once and run against both stores: SQLite (the reference) and PostgreSQL. Then what only several
// PostgreSQL nodes can show: two pools catching the site up at once, two pools taking media jobs at once.
//
// The log is written here as rows into stories/versions/events (the schema both stores share), the way
// test/store/sqlite.test.ts writes an older store's rows, so these tests do not depend on the core store
// methods of either implementation.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { NotFoundError } from '../../src/model/errors.ts';
import { assetIdOf, type MediaAsset } from '../../src/model/media.ts';
import type { Store } from '../../src/model/store.ts';
import type { StoryContent } from '../../src/model/story.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';
import { freshDatabase, testCluster } from '../postgres.ts';

/** One store to test, a way to open a second process on the same data, and raw SQL on its tables. */
interface Opened {
  store: Store;
  /** Another process (another pool, another SQLite connection) on the same database. */
  reopen(): Promise<Store>;
  /** The first process dies: on PostgreSQL its sessions end (and their locks with them). */
  crash(): Promise<void>;
  /** Runs SQL written with `?` placeholders; returns the rows. */
  sql(text: string, args?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** Raw SQL on a SQLite store's tables. */
function sqliteSql(store: SqliteStore): Opened['sql'] {
  return async (text, args = []) => {
    const s = store.db.prepare(text);
    if (s.reader) return s.all(...args) as Record<string, unknown>[];
    s.run(...args);
    return [];
  };
}

/** Raw SQL on a PostgreSQL store's tables, `?` numbered as PostgreSQL's `$n`. */
function pgSql(store: PostgresStore): Opened['sql'] {
  return async (text, args = []) => {
    let n = 0;
    return (
      await store.pool.query(
        text.replace(/\?/g, () => `$${++n}`),
        args,
      )
    ).rows;
  };
}

async function sqliteBackend(): Promise<Opened> {
  const file = tempDbFile();
  const store = new SqliteStore(file);
  return {
    store,
    reopen: async () => new SqliteStore(file),
    crash: async () => {},
    sql: sqliteSql(store),
  };
}

async function postgresBackend(): Promise<Opened> {
  const url = await freshDatabase();
  const store = await PostgresStore.open(url);
  return {
    store,
    reopen: () => PostgresStore.open(url),
    crash: () => endSessions(url),
    sql: pgSql(store),
  };
}

/** Ends every session on the database at `url`, as the death of the processes holding them would. */
async function endSessions(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  } finally {
    await c.end();
  }
  // The dead sessions' pools hear of it and drop those connections.
  await new Promise((r) => setTimeout(r, 100));
}

const BACKENDS: [string, () => Promise<Opened>][] = [
  ['sqlite', sqliteBackend],
  ['postgres', postgresBackend],
];

interface LogVersion {
  id: string;
  version: number;
  content: StoryContent;
  at: string;
  firstPublishedAt?: string;
  killed?: boolean;
  group?: string;
}

/** Writes a version and its log event as the store's appender would: stories row, versions row, events row. */
async function logVersion(db: Opened, v: LogVersion): Promise<void> {
  const first = v.firstPublishedAt ?? v.at;
  const kind = v.killed ? 'killed' : v.version === 1 ? 'published' : 'updated';
  const status = v.killed ? 'killed' : 'published';
  const group = v.group ?? v.id;
  await db.sql(
    `INSERT INTO stories (id, status, revision, draft, latest_version, translation_group, language, headline, created_at, updated_at, first_published_at)
     VALUES (?, ?, 1, NULL, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, latest_version = excluded.latest_version, headline = excluded.headline, updated_at = excluded.updated_at`,
    [v.id, status, v.version, group, v.content.language, v.content.headline, v.at, v.at, first],
  );
  await db.sql(
    `INSERT INTO versions (story_id, version, revision_id, kind, pub_status, content, translation_group, first_published_at, version_created_at, embargo_until)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      v.id,
      v.version,
      `${v.id}-r${v.version}`,
      kind,
      v.killed ? 'canceled' : 'usable',
      JSON.stringify(v.content),
      group,
      first,
      v.at,
      v.content.embargoUntil ?? null,
    ],
  );
  await db.sql(
    `INSERT INTO events (seq, kind, story_id, version, at, language, categories, urgency, media_type, embargo_until)
     VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM events), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      kind,
      v.id,
      v.version,
      v.at,
      v.content.language,
      JSON.stringify(v.content.categories),
      v.content.urgency,
      v.content.mediaType,
      v.content.embargoUntil ?? null,
    ],
  );
}

/** A draft that never went public: a stories row only. */
async function logDraft(db: Opened, id: string, content: StoryContent): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  await db.sql(
    `INSERT INTO stories (id, status, revision, draft, latest_version, translation_group, language, headline, created_at, updated_at)
     VALUES (?, 'draft', 1, ?, 0, ?, ?, ?, ?, ?)`,
    [id, JSON.stringify(content), id, content.language, content.headline, at, at],
  );
}

const head = async (db: Opened) => Number((await db.sql(`SELECT coalesce(max(seq), 0) AS h FROM events`))[0].h);

// Stories of the site tests: ids sort like the ULIDs the store makes (time first).
const ID = { a: '01site0000000000000000000a', b: '01site0000000000000000000b', c: '01site0000000000000000000c', d: '01site0000000000000000000d' };
const ECONOMY = ['اقتصاد', 'رياضة'];

/** Three Arabic stories (c under embargo until June), one English translation of a. */
async function seedSite(db: Opened): Promise<void> {
  await logVersion(db, { id: ID.a, version: 1, at: '2026-01-01T10:00:00.000Z', content: sampleContent({ headline: 'الخبر الأول', categories: ECONOMY }) });
  await logVersion(db, {
    id: ID.b,
    version: 1,
    at: '2026-01-02T10:00:00+03:00', // an imported story's offset: the site keeps UTC
    content: sampleContent({ headline: 'الخبر الثاني', categories: ['اقتصاد'], photos: [] }),
  });
  await logVersion(db, {
    id: ID.c,
    version: 1,
    at: '2026-01-03T10:00:00.000Z',
    content: sampleContent({ headline: 'الخبر الثالث', categories: ['رياضة'], embargoUntil: '2026-06-01T00:00:00.000Z' }),
  });
  await logVersion(db, {
    id: ID.d,
    version: 1,
    at: '2026-01-04T10:00:00.000Z',
    group: ID.a,
    content: sampleContent({ language: 'en', headline: 'The first story', categories: ['economy'] }),
  });
  await logDraft(db, '01site0000000000000000000e', sampleContent({ headline: 'مسودة' }));
}

const MARCH = new Date('2026-03-01T00:00:00.000Z');
const JULY = new Date('2026-07-01T00:00:00.000Z');
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

for (const [name, open] of BACKENDS) {
  describe(`site read model: ${name}`, () => {
    const opened: Store[] = [];
    const fresh = async () => {
      const db = await open();
      opened.push(db.store);
      return db;
    };
    after(async () => {
      for (const s of opened) await s.close();
    });

    it('lists public stories newest first, by language and by category, in keyset pages', async () => {
      const db = await fresh();
      await seedSite(db);
      const site = db.store.site;
      assert.deepEqual(ids(await site.latest({ limit: 10, now: MARCH })), [ID.d, ID.b, ID.a], 'embargoed and draft stories are not public');
      assert.deepEqual(ids(await site.latest({ limit: 10, now: JULY })), [ID.d, ID.c, ID.b, ID.a], 'an embargo that passed shows');
      assert.deepEqual(ids(await site.latest({ language: 'ar', limit: 10, now: MARCH })), [ID.b, ID.a]);
      const page1 = await site.latest({ language: 'ar', limit: 1, now: JULY });
      assert.deepEqual(ids(page1), [ID.c]);
      assert.deepEqual(ids(await site.latest({ language: 'ar', limit: 1, before: ID.c, now: JULY })), [ID.b]);
      assert.deepEqual(ids(await site.latest({ language: 'ar', limit: 5, before: ID.b, now: JULY })), [ID.a]);

      const cats = await site.categories('ar');
      assert.equal(cats.length, 2);
      const economy = cats.find((c) => c.name === 'اقتصاد')!;
      const sport = cats.find((c) => c.name === 'رياضة')!;
      assert.equal(economy.count, 2);
      assert.equal(sport.count, 2, 'categories count every story, embargoed or not, as SQLite does');
      assert.deepEqual(
        cats.map((c) => c.slug),
        [economy.slug, sport.slug].sort(),
        'equal counts in slug order',
      );
      assert.deepEqual(await site.categories('ar', 1), [cats[0]]);
      assert.deepEqual(ids(await site.latest({ language: 'ar', category: economy.slug, limit: 10, now: MARCH })), [ID.b, ID.a]);
      assert.deepEqual(ids(await site.latest({ language: 'ar', category: sport.slug, limit: 10, now: MARCH })), [ID.a]);
      assert.deepEqual(ids(await site.latest({ language: 'ar', category: sport.slug, limit: 10, now: JULY })), [ID.c, ID.a]);
      assert.deepEqual(ids(await site.latest({ language: 'ar', category: sport.slug, limit: 1, before: ID.c, now: JULY })), [ID.a]);
      assert.deepEqual(await site.latest({ language: 'en', category: economy.slug, limit: 10, now: JULY }), []);

      const [b] = await site.latest({ language: 'ar', limit: 1, now: MARCH });
      assert.equal(b.publishedAt, '2026-01-02T07:00:00.000Z', 'offsets are kept as UTC');
      assert.equal(b.headline, 'الخبر الثاني');
      assert.equal(b.version, 1);
      assert.equal(b.killed, false);
      assert.equal(b.photo, null);
      assert.deepEqual(b.categories, [{ name: 'اقتصاد', slug: economy.slug }]);
      const a = (await site.latest({ language: 'ar', limit: 1, before: ID.b, now: MARCH }))[0];
      assert.deepEqual(a.photo, { url: '/static/demo/water.svg', srcset: null, width: null, height: null, alt: 'قاعة المؤتمر' });
      assert.equal(a.deck, sampleContent().deck);
      const [c] = await site.latest({ language: 'ar', limit: 1, now: JULY });
      assert.equal(c.embargoUntil, '2026-06-01T00:00:00.000Z');
    });

    it('reads a story, its translations, chosen summaries, the sitemap and the public count', async () => {
      const db = await fresh();
      await seedSite(db);
      const site = db.store.site;
      const found = (await site.story(ID.a))!;
      assert.equal(found.summary.id, ID.a);
      assert.equal(found.version.storyId, ID.a);
      assert.equal(found.version.version, 1);
      assert.equal(found.version.content.headline, 'الخبر الأول');
      assert.equal(found.version.pubStatus, 'usable');
      assert.equal(found.version.revisionId, `${ID.a}-r1`);
      assert.equal((await site.story(ID.c))!.summary.embargoUntil, '2026-06-01T00:00:00.000Z', 'story() answers whatever the state');
      assert.equal(await site.story('01site00000000000000000000'), null);
      assert.equal(await site.story('01site0000000000000000000e'), null, 'a draft is not on the site');

      assert.deepEqual(ids(await site.translations(ID.a, MARCH)), [ID.a, ID.d], 'by language');
      assert.deepEqual(ids(await site.publicSummaries([ID.c, ID.d, 'nothing', ID.a], MARCH)), [ID.d, ID.a], 'in the order asked, public only');
      assert.deepEqual(ids(await site.publicSummaries([ID.c, ID.a], JULY)), [ID.c, ID.a]);
      assert.deepEqual(await site.publicSummaries([], JULY), []);
      assert.deepEqual(ids(await site.sitemap(0, 2, JULY)), [ID.d, ID.c]);
      assert.deepEqual(ids(await site.sitemap(2, 2, JULY)), [ID.b, ID.a]);
      assert.deepEqual(await site.sitemap(4, 2, JULY), []);
      assert.equal(await site.countPublic(MARCH), 3);
      assert.equal(await site.countPublic(JULY), 4);
    });

    it('catches up from the log on the next read: updates, kills, and a second process publishing', async () => {
      const db = await fresh();
      assert.equal(await db.store.site.position(), 0);
      assert.deepEqual(await db.store.site.latest({ limit: 10 }), []);
      await seedSite(db);
      const site = db.store.site;
      assert.equal(await site.position(), await head(db), 'the position is the log head after any read');
      assert.equal(await site.countPublic(MARCH), 3);

      await logVersion(db, {
        id: ID.b,
        version: 2,
        at: '2026-02-01T10:00:00.000Z',
        firstPublishedAt: '2026-01-02T10:00:00+03:00',
        content: sampleContent({ headline: 'الخبر الثاني محدثا', categories: ['رياضة'], photos: [] }),
      });
      await logVersion(db, {
        id: ID.a,
        version: 2,
        at: '2026-02-02T10:00:00.000Z',
        killed: true,
        content: sampleContent({ headline: 'الخبر الأول', categories: ECONOMY }),
      });
      const [b] = await site.latest({ language: 'ar', limit: 10, now: MARCH });
      assert.equal(b.id, ID.b);
      assert.equal(b.headline, 'الخبر الثاني محدثا');
      assert.equal(b.version, 2);
      assert.equal(b.publishedAt, '2026-01-02T07:00:00.000Z', 'first publication stays');
      assert.equal(b.updatedAt, '2026-02-01T10:00:00.000Z');
      assert.deepEqual(ids(await site.latest({ language: 'ar', limit: 10, now: MARCH })), [ID.b], 'a killed story leaves the lists');
      const killed = (await site.story(ID.a))!;
      assert.equal(killed.summary.killed, true);
      assert.equal(killed.version.version, 2);
      assert.deepEqual(ids(await site.translations(ID.a, MARCH)), [ID.d]);
      const cats = await site.categories('ar');
      assert.deepEqual(
        cats.map((c) => [c.name, c.count]),
        [['رياضة', 2]],
        'the killed story and b’s old category are gone',
      );
      assert.equal(await site.countPublic(JULY), 3);

      // Another process writes the log; this one's next read shows it.
      const other = await db.reopen();
      opened.push(other);
      await logVersion(db, { id: '01site0000000000000000000f', version: 1, at: '2026-02-03T10:00:00.000Z', content: sampleContent({ headline: 'خبر جديد' }) });
      assert.deepEqual(ids(await other.site.latest({ language: 'ar', limit: 1, now: MARCH })), ['01site0000000000000000000f']);
      assert.deepEqual(ids(await site.latest({ language: 'ar', limit: 1, now: MARCH })), ['01site0000000000000000000f']);
      assert.equal(await site.position(), await head(db));
      assert.equal(await other.site.position(), await head(db));
    });

    it('rebuilds from every published story when the log before its cursor was pruned', async () => {
      const db = await fresh();
      await seedSite(db);
      assert.equal(await db.store.site.countPublic(JULY), 4);
      // A read model emptied back to position 0 (as SQLite's migration 008 does), and the oldest events pruned.
      await db.sql(`DELETE FROM site_categories`);
      await db.sql(`DELETE FROM site_stories`);
      await db.sql(`UPDATE site_cursor SET seq = 0`);
      await db.sql(`DELETE FROM events WHERE seq <= 2`);
      assert.deepEqual(ids(await db.store.site.latest({ limit: 10, now: JULY })), [ID.d, ID.c, ID.b, ID.a], 'stories whose events are gone come back too');
      assert.equal((await db.store.site.categories('ar')).length, 2);
      assert.equal(await db.store.site.position(), await head(db));
    });

    it('records leads and lists them newest first in pages', async () => {
      const db = await fresh();
      const site = db.store.site;
      assert.deepEqual(await site.listLeads(10), []);
      const l1 = await site.insertLead(
        { name: 'First reader', email: 'first@example.com', organisation: null, message: null, language: 'en' },
        new Date('2026-01-01T00:00:00Z'),
      );
      const l2 = await site.insertLead(
        { name: 'قارئ', email: 'second@example.com', organisation: 'Daily <b>News</b>', message: 'سؤال عن الاشتراك', language: 'ar' },
        new Date('2026-01-02T00:00:00Z'),
      );
      const l3 = await site.insertLead(
        { name: 'Üçüncü', email: 'third@example.com', organisation: null, message: 'merhaba', language: 'tr' },
        new Date('2026-01-03T00:00:00Z'),
      );
      assert.equal(l2.createdAt, '2026-01-02T00:00:00.000Z');
      assert.deepEqual(await site.listLeads(10), [l3, l2, l1]);
      assert.deepEqual(await site.listLeads(2), [l3, l2]);
      assert.deepEqual(await site.listLeads(2, l2.id), [l1]);
      assert.deepEqual(await site.listLeads(2, l1.id), []);
    });
  });

  describe(`media assets and rendering jobs: ${name}`, () => {
    const opened: Store[] = [];
    const fresh = async () => {
      const db = await open();
      opened.push(db.store);
      return db;
    };
    after(async () => {
      for (const s of opened) await s.close();
    });

    it('records an asset once per sha256 and reads it back', async () => {
      const { store } = await fresh();
      const a = photo('one', { filename: 'first.jpg' });
      const t = new Date('2026-01-01T00:00:00.000Z');
      const made = await store.media.createAsset(a, t);
      assert.equal(made.created, true);
      assert.deepEqual(made.asset, { ...a, createdAt: t.toISOString(), updatedAt: t.toISOString() });
      assert.deepEqual(await store.media.getAsset(a.id), made.asset);
      // The same bytes uploaded again under another name: the same asset, as first recorded.
      const again = await store.media.createAsset(photo('one', { filename: 'again.jpg', metadata: { caption: 'other' } }), new Date('2026-01-02T00:00:00Z'));
      assert.equal(again.created, false);
      assert.deepEqual(again.asset, made.asset);
      assert.equal(await store.media.getAsset(assetIdOf(sha('none'))), null);
      const video = { ...photo('two'), kind: 'video' as const, contentType: 'video/mp4', state: 'done' as const, metadata: {} };
      await store.media.createAsset(video, new Date('2026-01-03T00:00:00Z'));
      assert.deepEqual(
        (await store.media.listAssets()).map((x) => x.id),
        [video.id, a.id],
        'newest first',
      );
      assert.deepEqual(
        (await store.media.listAssets(1)).map((x) => x.id),
        [video.id],
      );
    });

    it('corrects caption and credit: a value sets, an empty string removes, an absent field stays', async () => {
      const { store } = await fresh();
      const a = photo('c', { metadata: { caption: 'Old caption', credit: 'Old credit', copyright: '© Agency', width: 800 } });
      await store.media.createAsset(a, new Date('2026-01-01T00:00:00Z'));
      const t = new Date('2026-01-05T00:00:00.000Z');
      const fixed = await store.media.correctMetadata(a.id, { caption: 'New caption', credit: '', headline: 'Headline' }, t);
      assert.deepEqual(fixed.metadata, { caption: 'New caption', copyright: '© Agency', width: 800, headline: 'Headline' });
      assert.equal(fixed.updatedAt, t.toISOString());
      assert.deepEqual(await store.media.getAsset(a.id), fixed);
      await assert.rejects(store.media.correctMetadata('mnothing', { caption: 'x' }), (e: Error) => {
        assert.ok(e instanceof NotFoundError);
        assert.equal(e.message, 'no media asset mnothing');
        return true;
      });
    });

    it('hands out the oldest queued job; only the run holding it may finish it', async () => {
      const { store } = await fresh();
      const [p1, p2, p3] = ['q1', 'q2', 'q3'].map((k) => photo(k));
      await store.media.createAsset(p2, new Date('2026-01-02T00:00:00Z'));
      await store.media.createAsset(p1, new Date('2026-01-01T00:00:00Z'));
      await store.media.createAsset(p3, new Date('2026-01-03T00:00:00Z'));
      await store.media.createAsset({ ...photo('done'), state: 'done' }, new Date('2025-12-01T00:00:00Z'));
      const t = new Date('2026-01-10T00:00:00.000Z');
      const j1 = (await store.media.claimJob(t))!;
      assert.deepEqual(j1, { assetId: p1.id, attempts: 1 });
      assert.equal((await store.media.getAsset(p1.id))!.state, 'running');
      assert.equal((await store.media.getAsset(p1.id))!.updatedAt, t.toISOString());
      assert.equal(await store.media.finishJob(j1, [rendition(p1.id)], new Date('2026-01-10T00:01:00Z')), true);
      const done = (await store.media.getAsset(p1.id))!;
      assert.equal(done.state, 'done');
      assert.deepEqual(done.renditions, [rendition(p1.id)]);

      const j2 = (await store.media.claimJob(t))!;
      assert.deepEqual(j2, { assetId: p2.id, attempts: 1 });
      // An editor corrects the caption while it renders: the run is superseded, its result refused.
      await store.media.requeue(p2.id, new Date('2026-01-10T00:02:00Z'));
      assert.equal(await store.media.finishJob(j2, [rendition(p2.id)]), false);
      await store.media.failJob(j2, 'too late');
      assert.equal((await store.media.getAsset(p2.id))!.state, 'queued', 'a superseded run records no failure either');
      const j3 = (await store.media.claimJob(t))!;
      assert.deepEqual(j3, { assetId: p3.id, attempts: 1 }, 'p2 queued again went behind p3');
      await store.media.failJob(j3, 'renditions could not be made: broken file', new Date('2026-01-10T00:03:00Z'));
      const failed = (await store.media.getAsset(p3.id))!;
      assert.equal(failed.state, 'failed');
      assert.equal(failed.error, 'renditions could not be made: broken file');
      await store.media.requeue(p3.id, new Date('2026-01-11T00:00:00Z'));
      assert.equal((await store.media.getAsset(p3.id))!.error, null, 'queued again, the error is cleared');
      assert.deepEqual(await store.media.claimJob(t), { assetId: p2.id, attempts: 2 });
      assert.deepEqual(await store.media.claimJob(t), { assetId: p3.id, attempts: 2 });
      assert.equal(await store.media.claimJob(t), null);
    });

    it('queues the jobs of a process that died mid-render again; its stale run cannot finish', async () => {
      const db = await fresh();
      const a = photo('crash');
      await db.store.media.createAsset(a, new Date('2026-01-01T00:00:00Z'));
      const stale = (await db.store.media.claimJob())!;
      assert.equal((await db.store.media.getAsset(a.id))!.state, 'running');
      // The process is gone; the next one starts on the same database.
      await db.crash();
      const next = await db.reopen();
      opened.push(next);
      assert.equal(await next.media.requeueRunning(), 1);
      assert.equal(await next.media.requeueRunning(), 0);
      assert.equal((await next.media.getAsset(a.id))!.state, 'queued');
      const job = (await next.media.claimJob())!;
      assert.deepEqual(job, { assetId: a.id, attempts: 2 });
      assert.equal(await db.store.media.finishJob(stale, [rendition(a.id)]), false, 'the dead run’s attempt is not the current one');
      assert.equal(await next.media.finishJob(job, [rendition(a.id)]), true);
      assert.equal((await next.media.getAsset(a.id))!.state, 'done');
    });

    it('finds the stories whose latest version shows an asset', async () => {
      const db = await fresh();
      const a = photo('used');
      await db.store.media.createAsset(a);
      const withPhoto = (mediaId: string, headline: string) =>
        sampleContent({ headline, photos: [{ url: `/v1/media/${mediaId}/original`, mediaId, caption: 'c' }] });
      await logVersion(db, { id: '01media000000000000000000a', version: 1, at: '2026-01-01T00:00:00Z', content: withPhoto(a.id, 'one') });
      await logVersion(db, { id: '01media000000000000000000b', version: 1, at: '2026-01-01T00:00:00Z', content: withPhoto(a.id, 'two') });
      await logVersion(db, { id: '01media000000000000000000b', version: 2, at: '2026-01-02T00:00:00Z', content: withPhoto(a.id, 'two'), killed: true });
      // The photo was taken out of c's latest version; d never showed it; e is a draft.
      await logVersion(db, { id: '01media000000000000000000c', version: 1, at: '2026-01-01T00:00:00Z', content: withPhoto(a.id, 'three') });
      await logVersion(db, { id: '01media000000000000000000c', version: 2, at: '2026-01-02T00:00:00Z', content: sampleContent({ photos: [] }) });
      await logVersion(db, { id: '01media000000000000000000d', version: 1, at: '2026-01-01T00:00:00Z', content: withPhoto(photo('other').id, 'four') });
      await logDraft(db, '01media000000000000000000e', withPhoto(a.id, 'draft'));
      const uses = (await db.store.media.usesOf(a.id)).sort((x, y) => x.storyId.localeCompare(y.storyId));
      assert.deepEqual(uses, [
        { storyId: '01media000000000000000000a', status: 'published', latestVersion: 1 },
        { storyId: '01media000000000000000000b', status: 'killed', latestVersion: 2 },
      ]);
      assert.deepEqual(await db.store.media.usesOf(photo('nowhere').id), []);
    });
  });
}

function sha(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function photo(key: string, over: Partial<MediaAsset> = {}): Omit<MediaAsset, 'createdAt' | 'updatedAt'> {
  const sha256 = sha(key);
  return {
    id: assetIdOf(sha256),
    sha256,
    kind: 'photo',
    contentType: 'image/jpeg',
    sizeInBytes: 1234,
    filename: `${key}.jpg`,
    metadata: { caption: `Caption ${key}`, credit: 'Newsflow' },
    renditions: [],
    state: 'queued',
    error: null,
    ...over,
  };
}

function rendition(assetId: string) {
  return { name: 'thumbnail-webp', href: `/v1/media/${assetId}/thumbnail-webp`, width: 320, height: 240, contentType: 'image/webp', sizeInBytes: 999 };
}

describe('several PostgreSQL nodes', () => {
  it('two nodes take media jobs at the same moment and never take one job twice', async () => {
    const url = await freshDatabase();
    const nodes = await Promise.all([PostgresStore.open(url, { poolSize: 4 }), PostgresStore.open(url, { poolSize: 4 })]);
    try {
      const n = 40;
      for (let i = 0; i < n; i++) await nodes[0].media.createAsset(photo(`job-${i}`), new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      // Four workers per node, each taking jobs until the queue is empty.
      const taken: { node: number; assetId: string; attempts: number }[] = [];
      await Promise.all(
        nodes.flatMap((node, k) =>
          [0, 1, 2, 3].map(async () => {
            for (let job = await node.media.claimJob(); job; job = await node.media.claimJob()) taken.push({ node: k, ...job });
          }),
        ),
      );
      assert.equal(taken.length, n, 'every job taken exactly once');
      assert.equal(new Set(taken.map((t) => t.assetId)).size, n);
      assert.ok(
        taken.every((t) => t.attempts === 1),
        'no job was run twice',
      );
      assert.ok(new Set(taken.map((t) => t.node)).size === 2, 'both nodes worked');
      const states = await nodes[1].pool.query(`SELECT state, count(*)::int AS n FROM media_assets GROUP BY state`);
      assert.deepEqual(states.rows, [{ state: 'running', n }]);
    } finally {
      await Promise.all(nodes.map((s) => s.close()));
    }
  });

  it('a node that starts requeues only the jobs of nodes that are gone, never one another node is rendering', async () => {
    const url = await freshDatabase();
    // Named sessions, so the test can end node a's alone (the URL's application_name wins over the pool's).
    const a = await PostgresStore.open(`${url}?application_name=node-a`);
    const b = await PostgresStore.open(url);
    try {
      for (const k of ['live-1', 'live-2', 'live-3']) await a.media.createAsset(photo(k));
      const j1 = (await a.media.claimJob())!;
      const j2 = (await a.media.claimJob())!;
      assert.equal(await b.media.requeueRunning(), 0, 'node a is alive and rendering both');
      assert.equal((await b.media.getAsset(j1.assetId))!.state, 'running');
      assert.equal(await a.media.finishJob(j1, [rendition(j1.assetId)]), true, 'a finishes its job undisturbed');
      const j3 = (await b.media.claimJob())!;
      // Node a dies with j2 in hand; b (alive, rendering j3) starts another process: only j2 comes back.
      const ended = await b.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'node-a'`);
      assert.ok(ended.rowCount! > 0);
      await new Promise((r) => setTimeout(r, 100));
      const c = await PostgresStore.open(url);
      try {
        assert.equal(await c.media.requeueRunning(), 1);
        assert.equal((await c.media.getAsset(j2.assetId))!.state, 'queued');
        assert.equal((await c.media.getAsset(j3.assetId))!.state, 'running', 'b still renders its own');
        assert.equal(await b.media.finishJob(j3, [rendition(j3.assetId)]), true);
        assert.deepEqual(await c.media.claimJob(), { assetId: j2.assetId, attempts: 2 });
      } finally {
        await c.close();
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('two nodes catch the site up at the same moment and agree on one read model', async () => {
    const url = await freshDatabase();
    const nodes = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
    try {
      const db: Opened = {
        store: nodes[0],
        reopen: () => PostgresStore.open(url),
        crash: () => endSessions(url),
        sql: pgSql(nodes[0]),
      };
      const want: string[] = [];
      for (let i = 0; i < 30; i++) {
        const id = `01many${String(i).padStart(20, '0')}`;
        await logVersion(db, { id, version: 1, at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), content: sampleContent({ headline: `خبر ${i}` }) });
        want.unshift(id);
      }
      const [x, y, z] = await Promise.all([
        nodes[0].site.latest({ language: 'ar', limit: 50 }),
        nodes[1].site.latest({ language: 'ar', limit: 50 }),
        nodes[1].site.countPublic(),
      ]);
      assert.deepEqual(ids(x), want);
      assert.deepEqual(ids(y), want);
      assert.equal(z, 30);
      assert.equal(await nodes[1].site.position(), 30);

      // An import of 1,100 stories at once: caught up in several batches, quotes and backslashes intact.
      const n = 1100;
      const content = sampleContent({ headline: 'قال "المتحدث" \\ اليوم', categories: ['اقتصاد'] });
      const bulk = (g: string) => `'01bulk' || lpad(${g}::text, 20, '0')`;
      const at = (g: string) => `to_char(timestamp '2026-02-01' + ${g} * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`;
      await nodes[0].pool.query(
        `INSERT INTO stories (id, status, revision, latest_version, translation_group, language, headline, created_at, updated_at, first_published_at)
         SELECT ${bulk('g')}, 'published', 1, 1, ${bulk('g')}, 'ar', 'h', ${at('g')}, ${at('g')}, ${at('g')} FROM generate_series(1, $1::int) g`,
        [n],
      );
      await nodes[0].pool.query(
        `INSERT INTO versions (story_id, version, revision_id, kind, pub_status, content, translation_group, first_published_at, version_created_at)
         SELECT ${bulk('g')}, 1, ${bulk('g')} || '-r1', 'published', 'usable', $2, ${bulk('g')}, ${at('g')}, ${at('g')} FROM generate_series(1, $1::int) g`,
        [n, JSON.stringify(content)],
      );
      await nodes[0].pool.query(
        `INSERT INTO events (seq, kind, story_id, version, at, language, categories, urgency, media_type)
         SELECT 30 + g, 'published', ${bulk('g')}, 1, ${at('g')}, 'ar', '["اقتصاد"]', 4, 'text' FROM generate_series(1, $1::int) g`,
        [n],
      );
      const [p, q] = await Promise.all([nodes[0].site.countPublic(), nodes[1].site.countPublic()]);
      assert.deepEqual([p, q], [n + 30, n + 30]);
      const [newest] = await nodes[1].site.latest({ language: 'ar', limit: 1 });
      assert.equal(newest.id, `01bulk${String(n).padStart(20, '0')}`);
      assert.equal(newest.headline, content.headline);
      assert.equal(newest.publishedAt, new Date(Date.UTC(2026, 1, 1, 0, 0, n)).toISOString());
      const cats = await nodes[0].site.categories('ar');
      assert.deepEqual(cats[0], { slug: cats[0].slug, name: 'اقتصاد', count: n });
      assert.deepEqual(
        cats
          .slice(1)
          .map((c) => [c.name, c.count])
          .sort(),
        sampleContent()
          .categories.map((c) => [c, 30])
          .sort(),
      );
      assert.equal(await nodes[0].site.position(), n + 30);
    } finally {
      await Promise.all(nodes.map((s) => s.close()));
    }
  });

  it('orders pages, slugs and leads as SQLite does in a database whose own collation is not bytewise (ICU)', async () => {
    const cluster = testCluster();
    const name = `nf_icu_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und' LOCALE 'C.UTF-8'`);
    const u = new URL(cluster.url);
    u.pathname = `/${name}`;
    const store = await PostgresStore.open(u.toString());
    try {
      // Under ICU's root collation '~' sorts before digits and letters: the leads' '~' bound would list nothing.
      const l1 = await store.site.insertLead(
        { name: 'One', email: 'one@example.com', organisation: null, message: null, language: 'en' },
        new Date('2026-01-01T00:00:00Z'),
      );
      const l2 = await store.site.insertLead(
        { name: 'Two', email: 'two@example.com', organisation: null, message: null, language: 'en' },
        new Date('2026-01-02T00:00:00Z'),
      );
      assert.deepEqual(await store.site.listLeads(10), [l2, l1]);
      // Slugs of equal counts in code point order: 'dünya' before 'çay' bytewise, after it in ICU.
      const db: Opened = {
        store,
        reopen: () => PostgresStore.open(u.toString()),
        crash: () => endSessions(u.toString()),
        sql: pgSql(store),
      };
      await logVersion(db, {
        id: '01icu00000000000000000000a',
        version: 1,
        at: '2026-01-01T00:00:00Z',
        content: sampleContent({ language: 'tr', headline: 'Haber', categories: ['Çay', 'Dünya'] }),
      });
      const slugs = (await store.site.categories('tr')).map((c) => c.slug);
      assert.deepEqual(slugs, ['dünya', 'çay']);
      const sqlite = new SqliteStore(tempDbFile());
      try {
        const s: Opened = { store: sqlite, reopen: async () => sqlite, crash: async () => {}, sql: sqliteSql(sqlite) };
        await logVersion(s, {
          id: '01icu00000000000000000000a',
          version: 1,
          at: '2026-01-01T00:00:00Z',
          content: sampleContent({ language: 'tr', headline: 'Haber', categories: ['Çay', 'Dünya'] }),
        });
        assert.deepEqual(
          slugs,
          (await sqlite.site.categories('tr')).map((c) => c.slug),
        );
      } finally {
        await sqlite.close();
      }
    } finally {
      await store.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
