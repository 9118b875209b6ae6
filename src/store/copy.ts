// Moving a store (`newsflow store copy`): every table of the mirrored schema
// (postgres/migrations/001_schema.sql mirrors SQLite's table for table, column for column) copied row by
// row as it is, in foreign-key order (the order the schema creates them), in batches, in one
// transaction on the target. The log keeps its positions (events.seq), so every subscriber's cursor
// stays valid on the new store; identity counters are carried so new rows never reuse an id. The copy
// refuses a target that already holds anything, and the target's search index is rebuilt afterwards
// through the Store interface (the search tables are each engine's own, so they are not copied).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { Store } from '../model/store.ts';
import { SqliteStore } from './sqlite/index.ts';

/** A store target: a postgres:// URL or a SQLite file path. */
export const isPostgresTarget = (target: string) => /^postgres(ql)?:\/\//i.test(target);

/** A target that already holds rows: nothing was written. */
export class TargetNotEmptyError extends Error {
  constructor(
    readonly table: string,
    rows: number,
  ) {
    super(`the target is not empty: table ${table} holds ${rows} row${rows === 1 ? '' : 's'}; copy only into a new, empty store`);
    this.name = 'TargetNotEmptyError';
  }
}

/**
 * Tables a new store fills by itself (SQLite's site_cursor starts at 0): not counted as content, and
 * replaced by the source's rows.
 */
const SEEDED = new Set(['site_cursor']);

/** Filled from events by a trigger on both engines: the copy of its rows meets those already made. */
const TRIGGER_FILLED = new Set(['event_categories']);

/** The mirrored tables in the order the schema creates them, which is foreign-key order. */
export function mirroredTables(): string[] {
  const schema = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'postgres', 'migrations', '001_schema.sql'), 'utf8');
  return [...schema.matchAll(/^CREATE TABLE (\w+)/gm)].map((m) => m[1]);
}

export interface CopyProgress {
  table: string;
  rows: number;
}

export interface CopyReport {
  tables: CopyProgress[];
  /** Null when the target's search index was rebuilt; else why it was not (the rows are copied regardless). */
  reindexError: string | null;
}

/** One side of a copy, the same few operations on both engines. */
interface Side {
  columns(table: string): Promise<string[]>;
  count(table: string): Promise<number>;
  /** Starts one read snapshot on the source: every table is read as of the same moment. */
  snapshot(): Promise<void>;
  /** Rows in batches, each row its values in `columns` order (inside the snapshot). */
  batches(table: string, columns: string[], size: number): AsyncIterable<unknown[][]>;
  /** Identity counters: the next id a table would hand out is above this value. */
  counters(): Promise<Map<string, { column: string; value: number }>>;
  begin(): Promise<void>;
  clear(table: string): Promise<void>;
  insert(table: string, columns: string[], rows: unknown[][]): Promise<void>;
  setCounter(table: string, column: string, atLeast: number): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function sqliteSide(file: string): Side {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  // Rows go in in foreign-key order; checks stay on so a damaged source fails the copy, not the target.
  db.pragma('foreign_keys = ON');
  return {
    async columns(table) {
      return (db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string }[]).map((c) => c.name);
    },
    async count(table) {
      return (db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n;
    },
    async snapshot() {
      // Under WAL a read transaction sees the file as of its first read, whatever a server writes meanwhile.
      db.exec('BEGIN');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    },
    async *batches(table, columns, size) {
      const pk = (db.prepare(`PRAGMA table_info(${q(table)})`).all() as { pk: number }[]).some((c) => c.pk > 0);
      const withoutRowid = /WITHOUT ROWID/i.test(
        (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string }).sql,
      );
      if (withoutRowid && !pk) throw new Error(`table ${table} has neither rowid nor primary key`);
      const stmt = db.prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)}${withoutRowid ? '' : ' ORDER BY rowid'}`).raw(true);
      let batch: unknown[][] = [];
      for (const row of stmt.iterate() as Iterable<unknown[]>) {
        batch.push(row);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
    async counters() {
      const out = new Map<string, { column: string; value: number }>();
      const hasSeq = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get();
      if (!hasSeq) return out;
      for (const r of db.prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: number }[]) {
        const col = (db.prepare(`PRAGMA table_info(${q(r.name)})`).all() as { name: string; pk: number }[]).find((c) => c.pk === 1);
        if (col) out.set(r.name, { column: col.name, value: Number(r.seq) });
      }
      return out;
    },
    async begin() {
      db.exec('BEGIN IMMEDIATE');
    },
    async clear(table) {
      db.prepare(`DELETE FROM ${q(table)}`).run();
    },
    async insert(table, columns, rows) {
      const or = TRIGGER_FILLED.has(table) ? ' OR IGNORE' : '';
      const stmt = db.prepare(`INSERT${or} INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const row of rows) stmt.run(row.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
    },
    async setCounter(table, _column, atLeast) {
      // Only AUTOINCREMENT tables keep a counter; SQLite raised it already to the highest id inserted.
      const auto = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? AND sql LIKE '%AUTOINCREMENT%'`).get(table);
      if (!auto) return;
      const cur = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined;
      if (!cur) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table, atLeast);
      else if (cur.seq < atLeast) db.prepare('UPDATE sqlite_sequence SET seq = ? WHERE name = ?').run(atLeast, table);
    },
    async commit() {
      db.exec('COMMIT');
    },
    async rollback() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    async close() {
      db.close();
    },
  };
}

async function postgresSide(url: string): Promise<Side> {
  // The driver and its number parsing (BIGINT as numbers) come with the PostgreSQL store's database module.
  await import('./postgres/database.ts');
  const { default: pgLib } = await import('pg');
  const c: pg.Client = new pgLib.Client({ connectionString: url, application_name: 'newsflow-store-copy' });
  c.on('error', () => {});
  await c.connect();
  let cursorNo = 0;
  return {
    async columns(table) {
      const { rows } = await c.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      return rows.map((r) => r.column_name);
    },
    async count(table) {
      return Number((await c.query(`SELECT count(*)::bigint AS n FROM ${q(table)}`)).rows[0].n);
    },
    async snapshot() {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    },
    async *batches(table, columns, size) {
      // A cursor inside the snapshot: a big table is never held in memory at once.
      const name = `newsflow_copy_${++cursorNo}`;
      await c.query(`DECLARE ${name} NO SCROLL CURSOR FOR SELECT ${columns.map(q).join(', ')} FROM ${q(table)}`);
      for (;;) {
        const { rows } = await c.query({ text: `FETCH ${size} FROM ${name}`, rowMode: 'array' });
        if (!rows.length) break;
        yield rows as unknown[][];
      }
      await c.query(`CLOSE ${name}`);
    },
    async counters() {
      const { rows } = await c.query<{ table_name: string; column_name: string; value: number | null }>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`,
      );
      const out = new Map<string, { column: string; value: number }>();
      for (const r of rows) {
        const seq = (await c.query<{ s: string | null }>('SELECT pg_get_serial_sequence($1, $2) AS s', [r.table_name, r.column_name])).rows[0].s;
        if (!seq) continue;
        const v = (await c.query<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM ${seq}`)).rows[0];
        out.set(r.table_name, { column: r.column_name, value: v.is_called ? Number(v.last_value) : 0 });
      }
      return out;
    },
    async begin() {
      await c.query('BEGIN');
    },
    async clear(table) {
      await c.query(`DELETE FROM ${q(table)}`);
    },
    async insert(table, columns, rows) {
      const values: unknown[] = [];
      const tuples = rows.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(', ')})`);
      const conflict = TRIGGER_FILLED.has(table) ? ' ON CONFLICT DO NOTHING' : '';
      await c.query(`INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${tuples.join(', ')}${conflict}`, values);
    },
    async setCounter(table, column, atLeast) {
      const seq = (await c.query<{ s: string | null }>('SELECT pg_get_serial_sequence($1, $2) AS s', [table, column])).rows[0].s;
      if (!seq) return;
      // The next id is above both the highest copied and the source's own counter.
      await c.query(
        `SELECT setval($1::regclass, GREATEST(coalesce((SELECT max(${q(column)}) FROM ${q(table)}), 0), $2::bigint, 1),
                GREATEST(coalesce((SELECT max(${q(column)}) FROM ${q(table)}), 0), $2::bigint) > 0)`,
        [seq, atLeast],
      );
    },
    async commit() {
      await c.query('COMMIT');
    },
    async rollback() {
      await c.query('ROLLBACK').catch(() => {});
    },
    async close() {
      await c.end().catch(() => {});
    },
  };
}

/** Opens the store at `target` (creating or migrating its schema) the way the server would. */
async function openStore(target: string): Promise<Store> {
  if (isPostgresTarget(target)) return (await import('./postgres/index.ts')).PostgresStore.open(target);
  return new SqliteStore(target);
}

const sideOf = (target: string) => (isPostgresTarget(target) ? postgresSide(target) : Promise.resolve(sqliteSide(target)));

/**
 * Copies every mirrored table from `from` into the empty store `to` (a postgres:// URL or a SQLite path
 * each), then rebuilds the target's search index. Throws TargetNotEmptyError before writing anything
 * when the target holds rows.
 */
export async function copyStore(from: string, to: string, opts: { batch?: number; onTable?: (p: CopyProgress) => void } = {}): Promise<CopyReport> {
  const batch = opts.batch ?? 500;
  // Both schemas brought up to date first, by the stores themselves.
  await (await openStore(from)).close();
  await (await openStore(to)).close();
  const source = await sideOf(from);
  let target: Side | null = null;
  const tables: CopyProgress[] = [];
  try {
    target = await sideOf(to);
    const names = mirroredTables();
    for (const table of names) {
      if (SEEDED.has(table)) continue;
      const n = await target.count(table);
      if (n > 0) throw new TargetNotEmptyError(table, n);
    }
    const counters = await source.counters();
    await source.snapshot();
    await target.begin();
    try {
      for (const table of names) {
        const targetColumns = new Set(await target.columns(table));
        // Columns both sides have: a column one engine's later migration added carries its default.
        const columns = (await source.columns(table)).filter((c) => targetColumns.has(c));
        if (!columns.length) throw new Error(`table ${table} is missing on one side of the copy`);
        if (SEEDED.has(table)) await target.clear(table);
        // Rows per INSERT stay under PostgreSQL's 65535 parameters.
        const size = Math.max(1, Math.min(batch, Math.floor(60_000 / columns.length)));
        let rows = 0;
        for await (const chunk of source.batches(table, columns, size)) {
          await target.insert(table, columns, chunk);
          rows += chunk.length;
        }
        tables.push({ table, rows });
        opts.onTable?.({ table, rows });
      }
      for (const table of names) {
        const cols = await target.columns(table);
        const counter = counters.get(table);
        const idColumn = counter?.column ?? (cols.includes('id') ? 'id' : cols.includes('seq') ? 'seq' : null);
        if (idColumn) await target.setCounter(table, idColumn, counter?.value ?? 0);
      }
      await target.commit();
    } catch (e) {
      await target.rollback();
      throw e;
    }
  } finally {
    await source.close();
    await target?.close();
  }
  let reindexError: string | null = null;
  const store = await openStore(to);
  try {
    await store.search.reindex();
  } catch (e) {
    reindexError = e instanceof Error ? e.message : String(e);
  } finally {
    await store.close();
  }
  return { tables, reindexError };
}
