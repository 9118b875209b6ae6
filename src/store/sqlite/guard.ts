// How every SQLite store method runs: reads outside a write transaction, writes in an IMMEDIATE one,
// and driver errors wrapped with what was being done (store errors pass through as they are).
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';

const isDriverError = (e: unknown) => e instanceof Error && e.name === 'SqliteError';

/** Runs a read outside any write transaction, so readers never wait for a writer's lock. */
export function readWith<T>(doing: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw isDriverError(e) ? new StoreError(doing, e) : e;
  }
}

/** Runs `fn` in an IMMEDIATE transaction. */
export function writeWith<T>(db: Database.Database, doing: string, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (e) {
    throw isDriverError(e) ? new StoreError(doing, e) : e;
  }
}
