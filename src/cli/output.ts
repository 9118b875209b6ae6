// Small helpers for command output.

/** Prints an error to stderr and exits with status 1. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`newsflow: ${message}\n`);
  process.exit(code);
}
