// The store's own failure: a driver error, with what the store was doing when it failed. Domain errors
// (NotFoundError, ConflictError) are in src/model/errors.ts.

/** Wraps a driver error with what the store was doing when it failed. */
export class StoreError extends Error {
  constructor(doing: string, cause: unknown) {
    super(`${doing}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreError';
  }
}
