import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { versionActsSql } from '../../src/store/sqlite/versions.ts';
import { storeContract } from './contract.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import type { StoryListStatus } from '../../src/model/story.ts';

storeContract('sqlite', async () => new SqliteStore(tempDbFile()));

it('sqlite: runs in WAL mode with full fsync on commit', async () => {
  const store = new SqliteStore(tempDbFile());
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.db.pragma('synchronous', { simple: true }), 2);
  await store.close();
});

it('sqlite: reopening a database keeps its data and applies no migration twice', async () => {
  const file = tempDbFile();
  const a = new SqliteStore(file);
  const v = a.db.pragma('user_version', { simple: true });
  await a.close();
  const b = new SqliteStore(file);
  assert.equal(b.db.pragma('user_version', { simple: true }), v);
  await b.close();
});

it('sqlite: migration 010 brings an older store onto the desk lists (actors, list status, event categories)', async () => {
  const file = tempDbFile();
  // The store as it was before migration 010: every earlier migration, and a published story, an
  // embargoed one and a draft written by the code of that time.
  const old = new Database(file);
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../src/store/sqlite/migrations');
  for (const f of readdirSync(dir).sort()) {
    const n = Number(f.slice(0, 3));
    if (n >= 10) continue;
    old.exec(readFileSync(join(dir, f), 'utf8'));
    old.pragma(`user_version = ${n}`);
  }
  const future = new Date(Date.now() + 3_600_000).toISOString();
  const rows = [
    { id: '01old00000000000000000000a', status: 'published', content: sampleContent({ categories: ['economy'], urgency: 2 }), embargo: null },
    { id: '01old00000000000000000000b', status: 'published', content: sampleContent({ categories: ['sport'], embargoUntil: future }), embargo: future },
  ];
  rows.forEach((r, i) => {
    const at = `2025-01-0${i + 1}T10:00:00.000Z`;
    old
      .prepare(
        `INSERT INTO stories (id, status, revision, draft, latest_version, translation_group, language, headline, created_at, updated_at, first_published_at)
         VALUES (?, 'published', 1, NULL, 1, ?, 'ar', ?, ?, ?, ?)`,
      )
      .run(r.id, r.id, r.content.headline, at, at, at);
    old
      .prepare(
        `INSERT INTO versions (story_id, version, revision_id, kind, pub_status, content, translation_group, first_published_at, version_created_at, embargo_until)
         VALUES (?, 1, ?, 'published', 'usable', ?, ?, ?, ?, ?)`,
      )
      .run(r.id, `rev-${i}`, JSON.stringify(r.content), r.id, at, at, r.embargo);
    old
      .prepare(
        `INSERT INTO events (kind, story_id, version, at, language, categories, urgency, media_type, embargo_until) VALUES ('published', ?, 1, ?, 'ar', ?, ?, 'text', ?)`,
      )
      .run(r.id, at, JSON.stringify(r.content.categories), r.content.urgency, r.embargo);
  });
  old
    .prepare(
      `INSERT INTO stories (id, status, revision, draft, latest_version, translation_group, language, headline, created_at, updated_at)
       VALUES ('01old00000000000000000000c', 'draft', 1, ?, 0, '01old00000000000000000000c', 'ar', 'مسودة', '2025-01-03T10:00:00.000Z', '2025-01-03T10:00:00.000Z')`,
    )
    .run(JSON.stringify(sampleContent({ headline: 'مسودة', urgency: 3 })));
  old.close();

  const store = new SqliteStore(file);
  const ids = async (status: StoryListStatus) => (await store.storyList({ status })).stories.map((s) => s.id);
  assert.deepEqual(await ids('published'), ['01old00000000000000000000a']);
  assert.deepEqual(await ids('embargoed'), ['01old00000000000000000000b']);
  assert.deepEqual(await ids('draft'), ['01old00000000000000000000c']);
  const draft = (await store.storyList({ status: 'draft' })).stories[0];
  assert.equal(draft.urgency, 3, 'list columns are filled from the draft');
  assert.deepEqual(draft.createdBy, SYSTEM_ACTOR, 'nobody recorded who made old rows: they read as newsflow');
  assert.deepEqual((await store.getVersion('01old00000000000000000000a', 1))!.by, SYSTEM_ACTOR);
  assert.deepEqual(
    (await store.wire({ category: 'economy' })).entries.map((e) => [e.event.storyId, e.event.by.id, e.headline]),
    [['01old00000000000000000000a', 'system', rows[0].content.headline]],
  );
  assert.deepEqual(
    (await store.wire({ embargoed: true })).entries.map((e) => e.event.storyId),
    ['01old00000000000000000000b'],
  );
  await store.close();
});

it('sqlite: migration 011 gives the products and subscribers of an older store their first history entry', async () => {
  const { default: Database } = await import('better-sqlite3');
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../src/store/sqlite/migrations/', import.meta.url);
  const file = tempDbFile();
  const old = new Database(file);
  for (const f of readdirSync(dir)
    .filter((f) => /^\d{3}_/.test(f) && Number(f.slice(0, 3)) < 11)
    .sort()) {
    old.exec(readFileSync(new URL(f, dir), 'utf8'));
    old.pragma(`user_version = ${Number(f.slice(0, 3))}`);
  }
  const at = '2026-01-02T03:04:05.000Z';
  old
    .prepare(
      `INSERT INTO products (id, name, languages, categories, max_urgency, media_types, embargo_rights, delay_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run('01jp0000000000000000000000', 'Old Arabic', '["ar"]', '["sport"]', 3, '["text"]', 1, 60, at);
  old
    .prepare(`INSERT INTO subscribers (id, name, rate_limit, default_format, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run('01js0000000000000000000000', 'Old', null, 'ninjs', at);
  old.prepare(`INSERT INTO subscriber_products (subscriber_id, product_id) VALUES (?, ?)`).run('01js0000000000000000000000', '01jp0000000000000000000000');
  old.close();
  const store = new SqliteStore(file);
  const s = (await store.subscribers.getSubscriber('01js0000000000000000000000'))!;
  assert.equal(s.seatLimit, null);
  assert.equal(s.entitlements.length, 1);
  assert.equal(s.entitlements[0].from, -Infinity);
  assert.deepEqual(s.entitlements[0].products, s.products, 'the seeded version is the product as it stands');
  assert.deepEqual(s.products[0], {
    id: '01jp0000000000000000000000',
    name: 'Old Arabic',
    languages: ['ar'],
    categories: ['sport'],
    maxUrgency: 3,
    mediaTypes: ['text'],
    embargoRights: true,
    delaySeconds: 60,
    createdAt: at,
    updatedAt: at,
  });
  await store.close();
});

it('sqlite: the audit page lists versions by one index range, never a scan sorted in a temporary b-tree', async () => {
  const store = new SqliteStore(tempDbFile());
  try {
    for (const [q, index] of [
      [{ limit: 50 }, /versions_created/],
      [{ actorId: 'u1', limit: 50 }, /versions_by_actor/],
      [{ actorId: 'u1', limit: 50, before: { at: '2026-01-01T00:00:00Z', storyId: 's', version: 1 } }, /versions_by_actor/],
      [{ storyId: 's', limit: 50 }, /PRIMARY KEY|sqlite_autoindex/],
    ] as const) {
      const { sql, args } = versionActsSql(q);
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
      assert.match(plan[0], index, plan.join('; '));
      if (!('storyId' in q)) assert.ok(!plan.some((l) => /TEMP B-TREE/.test(l)), plan.join('; '));
    }
  } finally {
    await store.close();
  }
});
