// Opening the SQLite file: WAL, full fsync on commit, and the versioned migrations in ./migrations.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../errors.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Extra schema owned by another module (the search index), applied after the numbered migrations. */
export interface SchemaPart {
  name: string;
  sql: string;
}

/** Opens (creating if needed) the database file and brings its schema up to date. */
export function openDatabase(file: string, parts: SchemaPart[] = []): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (e) {
    throw new StoreError(`opening the database ${file}`, e);
  }
  db.pragma('journal_mode = WAL');
  // FULL: a commit returns only after the WAL is fsynced, so an acknowledged publish survives a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Another process (a CLI import while the server runs) may hold the write lock for a moment.
  db.pragma('busy_timeout = 10000');
  migrate(db);
  for (const part of parts) {
    try {
      db.exec(part.sql);
    } catch (e) {
      throw new StoreError(`applying the ${part.name} schema`, e);
    }
  }
  return db;
}

/** The numbered migration files, oldest first (`newsflow migrate` names those it applied). */
export function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort();
}

/** Applies every numbered migration newer than the database's user_version, each in its own transaction. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const file of migrationFiles()) {
    const number = Number(file.slice(0, 3));
    if (number <= current) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    try {
      db.transaction(() => {
        db.exec(sql);
        db.pragma(`user_version = ${number}`);
      }).immediate();
    } catch (e) {
      throw new StoreError(`applying migration ${file}`, e);
    }
  }
}
