// Facet counts of a search: the same tally for both stores, from the rows each reads its own way.
import type { SearchResult } from './types.ts';

/** What a facet counts of a row; `n` is its multiplicity (a GROUP BY count), 1 when absent. */
export interface FacetRow {
  language: string;
  urgency: number;
  published_at: string;
  n?: number;
}

/** Facet counts (category, language, urgency, month) of `rows`, each row's categories read by `categoriesOf`. */
export function facetCounts<R extends FacetRow>(rows: readonly R[], categoriesOf: (r: R) => Iterable<string>): SearchResult['facets'] {
  const category = new Map<string, number>();
  const language = new Map<string, number>();
  const urgency = new Map<string, number>();
  const month = new Map<string, number>();
  for (const r of rows) {
    const n = r.n ?? 1;
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + n);
    for (const c of categoriesOf(r)) bump(category, c);
    bump(language, r.language);
    bump(urgency, String(r.urgency));
    bump(month, r.published_at.slice(0, 7));
  }
  const list = (m: Map<string, number>, byValue = false) =>
    [...m]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => (byValue ? (a.value < b.value ? 1 : -1) : b.count - a.count || (a.value < b.value ? -1 : 1)));
  return { category: list(category), language: list(language), urgency: list(urgency).sort((a, b) => +a.value - +b.value), month: list(month, true) };
}
