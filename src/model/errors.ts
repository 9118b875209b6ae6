// Domain errors: what went wrong in the newsroom's terms, whichever store or layer noticed it. The
// HTTP layer maps them to status codes (404, 409); the CLI prints their message.

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Someone else changed the thing first (optimistic concurrency), or it is in a state that forbids the act. */
export class ConflictError extends Error {
  constructor(
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
