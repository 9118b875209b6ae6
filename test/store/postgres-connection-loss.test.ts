// A PostgreSQL connection lost in the middle of a transaction (the server restarted, the backend was
// terminated) fails that one store call with a StoreError; it never ends the process. pg reports the
// loss as an 'error' event on the client as well, and a client checked out of the pool has no listener
// of the pool's: without one of ours Node would treat it as an uncaught error and the node would die
// (found by test/server/pg-restart.test.ts: both nodes died on `pg_ctl restart -m fast`).
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { StoreError } from '../../src/store/errors.ts';
import { migrate, writeWith } from '../../src/store/postgres/database.ts';
import pg from 'pg';
import { freshDatabase } from '../postgres.ts';

it('a transaction whose connection is killed fails with a StoreError, the process lives on, and the next write works', async () => {
  const pool = new pg.Pool({ connectionString: await freshDatabase(), max: 2 });
  pool.on('error', () => {});
  after(() => pool.end());
  await migrate(pool);
  const uncaught: unknown[] = [];
  const note = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', note);
  after(() => process.off('uncaughtException', note));

  for (let i = 0; i < 3; i++) {
    await assert.rejects(
      writeWith(pool, 'writing while the connection dies', async (sql) => {
        await sql.query('SELECT 1');
        await sql.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }),
      (e) => e instanceof StoreError && /writing while the connection dies/.test(e.message),
    );
  }
  // Let the sockets' 'end' events come: a second 'error' of a broken client must not escape either.
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(uncaught, [], 'no uncaught error');
  assert.equal(await writeWith(pool, 'writing again', async (sql) => (await sql.query<{ n: number }>('SELECT 1 AS n')).rows[0].n), 1);
  // Sound clients go back without the listener: nothing accumulates over many transactions.
  for (let i = 0; i < 20; i++) await writeWith(pool, 'a sound write', (sql) => sql.query('SELECT 1'));
  const client = await pool.connect();
  try {
    assert.equal(client.listenerCount('error'), 0, 'a client checked out again carries no listener of an earlier transaction');
  } finally {
    client.release();
  }
});
