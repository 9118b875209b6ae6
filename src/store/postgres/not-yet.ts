// A part of the PostgreSQL store still being written: every call says so plainly instead of failing
// somewhere later. Parts replace their not-yet factory with the real store as they land.
import { StoreError } from '../errors.ts';

/** An object whose every method rejects with "not implemented on PostgreSQL yet"; `quiet` methods resolve. */
export function notYet<T extends object>(part: string, quiet: string[] = []): T {
  return new Proxy({} as T, {
    get(_t, name) {
      if (name === 'then') return undefined;
      if (quiet.includes(String(name))) return async () => {};
      return async () => {
        throw new StoreError(`${part}.${String(name)}`, new Error('not implemented on PostgreSQL yet'));
      };
    },
  });
}
