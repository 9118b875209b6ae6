// The search side of the store: the full-text index kept in the same transaction as each publish
// (see src/search), and what the API and CLI ask of it.
import type { SearchFilters, SearchResult } from '../search/index.ts';

export interface StoreSearch {
  /** Runs a query in the query language; throws QuerySyntaxError on bad input. */
  query(q: string, filters: SearchFilters): SearchResult;
  /**
   * Rebuilds the index from the latest live version of every story, in short transactions so that
   * other writers (a server publishing while a CLI import indexes) are never locked out for long.
   */
  reindex(onProgress?: (done: number, total: number, phase: 'vocabulary' | 'index') => void): Promise<{ indexed: number; ms: number }>;
  /** True when the index was built by an older analyzer. */
  needsReindex(): boolean;
  /** Stories under an embargo that has not been lifted, which only embargo-entitled readers may find. */
  embargoedStoryIds(now: Date): Set<string>;
  /** Number of searchable stories. */
  count(): number;
}
