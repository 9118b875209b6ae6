// The small rules both search engines apply to a query's filters the same way (SQLite's searcher.ts and
// the PostgreSQL store's search): which language a query is in, how two category lists combine, and how
// a filter date reads.
import { detectLanguage } from '../text/index.ts';
import { QuerySyntaxError } from './query.ts';

export function queryLanguage(text: string): string {
  const l = detectLanguage(text);
  return l === 'und' ? 'ar' : l;
}

export function intersect(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  const lb = new Set(b.map((x) => x.toLowerCase()));
  return a.filter((x) => lb.has(x.toLowerCase()));
}

/** A filter date as an ISO instant: a bare `to` date includes that whole day. */
export function instant(s: string | undefined, side: 'from' | 'to'): string | undefined {
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = new Date(s + 'T00:00:00Z');
    if (Number.isNaN(d.getTime())) throw new QuerySyntaxError(`${side} must be a date such as 2026-01-31.`);
    if (side === 'to') d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  }
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new QuerySyntaxError(`${side} must be a date such as 2026-01-31.`);
  return d.toISOString();
}

export function maxDefined(a?: string, b?: string): string | undefined {
  return a && b ? (a > b ? a : b) : (a ?? b);
}

export function minDefined(a?: string, b?: string): string | undefined {
  return a && b ? (a < b ? a : b) : (a ?? b);
}
