// The store contract on PostgreSQL (the same suite as SQLite's, test/store/contract.ts), plus what only
// the PostgreSQL store has.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { migrationFiles } from '../../src/store/postgres/database.ts';
import { freshDatabase } from '../postgres.ts';
import { storeContract } from './contract.ts';
import { sampleContent } from '../helpers.ts';
import { ConflictError, NotFoundError } from '../../src/model/errors.ts';

const contractDatabase = await freshDatabase();
storeContract('postgres', async () => PostgresStore.open(contractDatabase));

it('postgres: migrations are applied once, however many nodes open the database at the same moment', async () => {
  const url = await freshDatabase();
  const stores = await Promise.all([1, 2, 3, 4].map(() => PostgresStore.open(url)));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const rows = (await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
  await c.end();
  assert.deepEqual(
    rows.map((r) => r.version),
    migrationFiles().map((m) => m.number),
  );
  await Promise.all(stores.map((s) => s.close()));
});

it('postgres: story reads of the same moment go to the database as one statement, each caller its own story', async () => {
  const store = await PostgresStore.open(await freshDatabase());
  const by = { type: 'user' as const, id: 'u-reads', name: 'Reads' };
  const stories = [];
  for (let i = 0; i < 5; i++) stories.push(await store.createStory(sampleContent({ headline: `story ${i}` }), by));
  await store.appendVersion({ storyId: stories[0].id, kind: 'published', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['draft'], by });
  const alone = await Promise.all(stories.map((s) => store.getStory(s.id)));
  const statements: string[] = [];
  const query = store.pool.query.bind(store.pool);
  store.pool.query = ((...args: Parameters<typeof query>) => {
    statements.push(String((args[0] as { name?: string }).name ?? args[0]));
    return query(...args);
  }) as typeof store.pool.query;
  const ids = [...stories.map((s) => s.id), 'nosuchstory', stories[1].id];
  const together = await Promise.all(ids.map((id) => store.getStory(id)));
  assert.deepEqual(statements, ['newsflow_stories'], 'one statement for seven reads');
  assert.deepEqual(together.slice(0, 5), alone, 'the same stories as read one by one (the published one with its version)');
  assert.equal(together[5], null, 'an unknown id reads as null');
  assert.deepEqual(together[6], together[1]);
  assert.notEqual(together[6], together[1], 'two callers of the same id do not share an object');
  assert.notEqual(together[6]!.draft, together[1]!.draft);
  statements.length = 0;
  assert.equal((await store.getStory(stories[2].id))!.id, stories[2].id);
  assert.deepEqual(statements, ['newsflow_story'], 'a lone read keeps the one-story statement');
  // A failed statement fails every read that shared it, as the store's error.
  store.pool.query = (() => Promise.reject(Object.assign(new Error('terminating connection'), { code: '57P01' }))) as unknown as typeof store.pool.query;
  const failed = await Promise.allSettled([store.getStory(stories[0].id), store.getStory(stories[1].id)]);
  assert.deepEqual(
    failed.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  for (const r of failed) assert.match(String((r as PromiseRejectedResult).reason), /reading story/);
  store.pool.query = query as typeof store.pool.query;
  await store.close();
});

it('postgres: one group commit publishes, updates and kills the same story in order, and refuses a stale publish alone', async () => {
  const store = await PostgresStore.open(await freshDatabase());
  const by = { type: 'user' as const, id: 'u-batch', name: 'Batch' };
  const a = await store.createStory(sampleContent(), by);
  const b = await store.createStory(sampleContent(), by);
  const content = sampleContent({ headline: 'second' });
  // Issued together, these land in one batch (one transaction).
  const results = await Promise.allSettled([
    store.appendVersion({ storyId: a.id, kind: 'published', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['draft'], by }),
    store.appendVersion({ storyId: a.id, kind: 'updated', content, expectLatestVersion: 1, allowedStatuses: ['published'], by }),
    store.appendVersion({ storyId: a.id, kind: 'updated', content, expectLatestVersion: 1, allowedStatuses: ['published'], by }),
    store.appendVersion({ storyId: b.id, kind: 'published', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['draft'], by }),
    store.appendVersion({ storyId: a.id, kind: 'killed', content, expectLatestVersion: 2, allowedStatuses: ['published'], by, killReason: 'legal' }),
    store.appendVersion({ storyId: 'nosuchstory', kind: 'published', content, expectLatestVersion: 0, allowedStatuses: ['draft'], by }),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected'],
  );
  assert.ok((results[2] as PromiseRejectedResult).reason instanceof ConflictError);
  assert.ok((results[5] as PromiseRejectedResult).reason instanceof NotFoundError);
  assert.deepEqual(
    results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.event.seq] : [])),
    [1, 2, 3, 4],
  );
  const story = (await store.getStory(a.id))!;
  assert.equal(story.status, 'killed');
  assert.equal(story.latestVersion, 3);
  assert.equal(story.revision, 4, 'each publish of the batch counts a revision');
  assert.equal(story.firstPublishedAt, (await store.getVersion(a.id, 1))!.versionCreatedAt);
  assert.deepEqual(
    (await store.readLog({ after: 0, limit: 10 })).map((i) => [i.event.kind, i.event.storyId]),
    [
      ['published', a.id],
      ['updated', a.id],
      ['published', b.id],
      ['killed', a.id],
    ],
  );
  assert.equal(await store.headSeq(), 4);
  await store.close();
});

it('postgres: a publish the database refuses fails alone; the others of its group commit are kept', async () => {
  const store = await PostgresStore.open(await freshDatabase());
  const by = { type: 'user' as const, id: 'u-batch', name: 'Batch' };
  const ids = await Promise.all([1, 2, 3].map(async () => (await store.createStory(sampleContent(), by)).id));
  // PostgreSQL's JSON functions refuse \u0000, so the events trigger refuses this category.
  const bad = sampleContent({ categories: ['bad\u0000'] });
  const results = await Promise.allSettled(
    ids.map((id, i) =>
      store.appendVersion({ storyId: id, kind: 'published', content: i === 1 ? bad : sampleContent(), expectLatestVersion: 0, allowedStatuses: ['draft'], by }),
    ),
  );
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.match(String((results[1] as PromiseRejectedResult).reason), /StoreError: appending a published version to story/);
  assert.deepEqual(
    (await store.readLog({ after: 0, limit: 10 })).map((i) => [i.event.seq, i.event.storyId]),
    [
      [1, ids[0]],
      [2, ids[2]],
    ],
  );
  assert.equal((await store.getStory(ids[1]))!.status, 'draft');
  await store.close();
});
