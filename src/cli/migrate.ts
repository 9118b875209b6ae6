// `newsflow migrate`: brings the configured store's schema up to date and says what it did. Every node
// also migrates when it starts; an operator runs this first to upgrade a PostgreSQL database once,
// before rolling the new version out to the nodes, and to see the database is reachable.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { processConfig } from '../server/config.ts';
import { redactedUrl } from '../server/runtime.ts';
import { migrationFiles } from '../store/sqlite/database.ts';
import { SqliteStore } from '../store/sqlite/index.ts';
import { fail } from './output.ts';

export async function migrateCommand(): Promise<void> {
  const config = processConfig();
  let target: string;
  let applied: string[];
  if (config.databaseUrl) {
    target = `PostgreSQL ${redactedUrl(config.databaseUrl)}`;
    // Loaded only for PostgreSQL, as the runtime does.
    const { migrateDatabase } = await import('../store/postgres/database.ts');
    try {
      applied = await migrateDatabase(config.databaseUrl);
    } catch (e) {
      return fail(`cannot migrate ${target}: ${firstLine(e)}`);
    }
  } else {
    target = `SQLite ${config.dataFile}`;
    try {
      const before = existsSync(config.dataFile) ? sqliteVersion(config.dataFile) : 0;
      await new SqliteStore(config.dataFile).close();
      const after = sqliteVersion(config.dataFile);
      applied = migrationFiles().filter((f) => Number(f.slice(0, 3)) > before && Number(f.slice(0, 3)) <= after);
    } catch (e) {
      return fail(`cannot migrate ${target}: ${firstLine(e)}`);
    }
  }
  if (applied.length === 0) process.stdout.write(`${target}: the schema is up to date\n`);
  else process.stdout.write(`${target}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}\n${applied.map((f) => `  ${f}\n`).join('')}`);
}

/** The SQLite schema version (the last migration applied). */
function sqliteVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

function firstLine(e: unknown): string {
  const err = e as Error & { cause?: Error };
  const cause = err.cause?.message;
  return (cause && !err.message.includes(cause) ? `${err.message}: ${cause}` : (err.message ?? String(e))).split('\n')[0];
}
