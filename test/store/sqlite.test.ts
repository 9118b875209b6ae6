import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
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
