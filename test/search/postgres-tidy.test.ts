// GIN's pending list on PostgreSQL: a publish adds its index entries there, every search scans the list
// whole until it is merged, so the server merges it every second (StoreSearch.tidy) and a rebuild ends
// merged. Real PostgreSQL (the shared cluster).
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { startMaintenance } from '../../src/flow/maintenance.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { freshDatabase } from '../postgres.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

const urls = [await freshDatabase(), await freshDatabase()];
const runtimes: Runtime[] = [];
after(async () => {
  for (const rt of runtimes) await rt.close();
});

async function publishSome(rt: Runtime, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const d = await rt.newsroom.createDraft(sampleContent({ headline: `Harbour cranes stand idle ${i}` }), SYSTEM_ACTOR);
    await rt.newsroom.publish(d.id, SYSTEM_ACTOR);
  }
}

it('postgres search: publishes wait in the pending list until tidy merges it, and a rebuild ends merged', async () => {
  const rt = await openRuntime(urls[0]);
  runtimes.push(rt);
  await publishSome(rt, 3);
  const found = async () => (await rt.store.search.query('harbour cranes', {})).total;
  assert.equal(await found(), 3, 'searchable before the merge (the pending list is searched too)');
  assert.ok((await rt.store.search.tidy()) > 0, 'the publishes left pages in the pending list');
  assert.equal(await rt.store.search.tidy(), 0, 'merged: nothing left');
  assert.equal(await found(), 3, 'and as searchable after it');
  await publishSome(rt, 2);
  await rt.store.search.reindex();
  assert.equal(await rt.store.search.tidy(), 0, 'a rebuild leaves nothing pending');
  assert.equal(await found(), 5);
  const sqlite = new SqliteStore(tempDbFile());
  assert.equal(await sqlite.search.tidy(), 0, 'SQLite has nothing to merge (FTS5 merges as it writes)');
  await sqlite.close();
});

it("the server's maintenance merges the pending list every second", async () => {
  const rt = await openRuntime(urls[1]);
  runtimes.push(rt);
  const stop = startMaintenance(rt, { embargoEveryMs: 100 });
  try {
    await publishSome(rt, 3);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await rt.store.search.tidy(), 0, 'maintenance already merged what the publishes left');
  } finally {
    stop();
  }
});

it('a role that does not own the index is refused the merge once, then leaves it to autovacuum', async () => {
  const { default: pg } = await import('pg');
  const { openPool } = await import('../../src/store/postgres/database.ts');
  const { pgSearch } = await import('../../src/store/postgres/search.ts');
  const url = await freshDatabase();
  const role = `nf_tidy_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // The migrations ran as the owner (PostgresStore.open); the other role may read and write, not own.
  const owner = await openRuntime(url);
  await owner.close();
  await admin.query(`CREATE ROLE ${role} LOGIN`);
  await admin.query(
    `GRANT ALL ON SCHEMA public TO ${role}; GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  );
  const asRole = new URL(url);
  asRole.username = role;
  const pool = await openPool(asRole.toString());
  try {
    // A rebuild under that role stands (its closing merge is left to autovacuum).
    assert.deepEqual((await pgSearch(pool).reindex()).indexed, 0);
    const search = pgSearch(pool);
    await assert.rejects(search.tidy(), (e: Error & { cause?: { code?: string } }) => e.cause?.code === '42501' && /merging the search index/.test(e.message));
    assert.equal(await search.tidy(), 0, 'said once: the next calls leave it to autovacuum');
  } finally {
    await pool.end();
    await admin.query(`REASSIGN OWNED BY ${role} TO CURRENT_USER; DROP OWNED BY ${role}; DROP ROLE ${role}`);
    await admin.end();
  }
});
