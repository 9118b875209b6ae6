// Errors the store raises, each saying what was being done; the HTTP layer maps them to status codes.

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Someone else changed the thing first (optimistic concurrency), or it is in a state that forbids the act. */
export class ConflictError extends Error {
  constructor(message: string, public readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Wraps a driver error with what the store was doing when it failed. */
export class StoreError extends Error {
  constructor(doing: string, cause: unknown) {
    super(`${doing}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreError';
  }
}
