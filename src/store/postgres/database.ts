// Opening PostgreSQL: one connection pool per process, the numbered migrations in ./migrations applied
// once under an advisory lock (several nodes may start at the same moment), and how every store method
// runs: reads on the pool, writes in a transaction on one client, driver errors wrapped with what the
// store was doing. The same shape as ../sqlite/database.ts and ../sqlite/guard.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { StoreError } from '../errors.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Sql = Pick<pg.Pool | pg.PoolClient, 'query'>;

// BIGINT (int8) columns come back as numbers: sequence numbers and counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// NUMERIC as numbers too (sums and averages in reports).
pg.types.setTypeParser(1700, (v) => Number(v));

/** A key for pg_advisory_lock that no other part of newsflow uses: migrations run one node at a time. */
const MIGRATION_LOCK = 7_301_000_001;

export interface PgOptions {
  /** Connections in this process's pool (default 10). */
  poolSize?: number;
}

/** Opens a pool on `url` and brings the schema up to date. */
export async function openPool(url: string, opts: PgOptions = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, application_name: 'newsflow' });
  // An idle client whose server went away (a restart) emits 'error'; the pool drops it and the next
  // query opens a new connection. Without a listener Node would treat it as an uncaught error.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end().catch(() => {});
    throw e instanceof StoreError ? e : new StoreError('opening the PostgreSQL database', e);
  }
  return pool;
}

/**
 * Brings the schema of the database at `url` up to date on one short-lived connection (`newsflow
 * migrate`); returns the migration files applied, none when it already was.
 */
export async function migrateDatabase(url: string): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1, application_name: 'newsflow migrate' });
  pool.on('error', () => {});
  try {
    return await migrate(pool);
  } catch (e) {
    throw e instanceof StoreError ? e : new StoreError('opening the PostgreSQL database', e);
  } finally {
    await pool.end().catch(() => {});
  }
}

/** The numbered migration files, oldest first. */
export function migrationFiles(): { number: number; file: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((file) => ({ number: Number(file.slice(0, 3)), file }));
}

/** Applies every numbered migration not yet applied, each in its own transaction; returns those applied. */
export async function migrate(pool: pg.Pool): Promise<string[]> {
  const client = await checkOut(pool);
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const { number, file } of migrationFiles()) {
      if (done.has(number)) continue;
      const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [number, file]);
        await client.query('COMMIT');
        applied.push(file);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw new StoreError(`applying migration ${file}`, e);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}

/**
 * A client of the pool for a transaction. The pool listens for errors of its idle clients only: a client
 * in use whose server goes away (a restart, a terminated backend) emits 'error', and without a listener
 * Node ends the process. The query in flight fails with the same error, which is what the caller sees;
 * the listener is removed when a sound client goes back, and the pool discards a client that is broken.
 */
export async function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  const release = client.release;
  client.release = (err?: Error | boolean) => {
    // A broken client may still report its socket's end after going back: it keeps the listener.
    if (!err && (client as unknown as { _queryable?: boolean })._queryable !== false) client.off('error', ignore);
    return release(err);
  };
  return client;
}

/** A failure of the database or the connection (not a domain error such as NotFoundError). */
export const isDriverError = (e: unknown) =>
  e instanceof pg.DatabaseError ||
  (e instanceof Error && (/^E[A-Z]+$/.test(String((e as { code?: unknown }).code)) || /Connection terminated|connect/i.test(e.message)));

/** Runs a read on the pool, a driver error wrapped with what was being done. */
export async function readWith<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw isDriverError(e) && !(e instanceof StoreError) ? new StoreError(doing, e) : e;
  }
}

/** Runs `fn` in one transaction on one client of the pool (READ COMMITTED unless `level` says). */
export async function writeWith<T>(
  pool: pg.Pool,
  doing: string,
  fn: (sql: pg.PoolClient) => Promise<T>,
  // 'begun': `fn` sends BEGIN itself, with its first statements in one round trip (the group commit).
  level?: 'SERIALIZABLE' | 'REPEATABLE READ' | 'begun',
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await checkOut(pool);
  } catch (e) {
    throw new StoreError(doing, e);
  }
  try {
    if (level !== 'begun') await client.query(level ? `BEGIN ISOLATION LEVEL ${level}` : 'BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw isDriverError(e) && !(e instanceof StoreError) ? new StoreError(doing, e) : e;
  } finally {
    client.release();
  }
}
