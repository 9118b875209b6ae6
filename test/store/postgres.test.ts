// The store contract on PostgreSQL (the same suite as SQLite's, test/store/contract.ts), plus what only
// the PostgreSQL store has.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { migrationFiles } from '../../src/store/postgres/database.ts';
import { freshDatabase } from '../postgres.ts';
import { storeContract } from './contract.ts';

// The database is made at the file's top level: freshDatabase() called inside the suite's `before` hook
// would register its drop on that hook, which drops it as soon as the hook ends.
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
