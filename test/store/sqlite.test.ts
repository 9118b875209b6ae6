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
