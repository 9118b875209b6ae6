// Sources that give only a date (the public-page layout, the SaudiNewsNet archive, some feeds) are
// stored as midnight of that date, written without a fraction of a second (`2026-01-30T00:00:00+03:00`,
// `2015-08-01T00:00:00Z`). Acts in the newsroom are always stamped with milliseconds
// (`…T00:00:00.000Z`), so this written form tells a bare date apart from a real midnight, and readers
// are shown the date alone instead of an invented "12:00 AM".
const BARE_MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00(?::00)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** `YYYY-MM-DD` when `at` is a date its source gave without a time, else null. */
export function sourceDateOnly(at: string): string | null {
  return BARE_MIDNIGHT.exec(at.trim())?.[1] ?? null;
}
