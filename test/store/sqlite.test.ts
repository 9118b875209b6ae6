import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { storeContract } from './contract.ts';
import { tempDbFile } from '../helpers.ts';

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
