// The search side of the store: the full-text index kept in the same transaction as each publish
// (see src/search), and what the API and CLI ask of it.
import type { SearchFilters, SearchResult } from '../search/index.ts';

export interface SearchIndexStatus {
  /** Every published story's latest version is searchable, by the current analyzer. */
  complete: boolean;
  /** A catch-up is running now. */
  catchingUp: boolean;
  /** Published stories not (or not in their latest version) in the index. */
  missing: number;
  /** The index was built by an older analyzer and is being (or must be) rebuilt. */
  analyzerOutdated: boolean;
}

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
  /**
   * Completes the index: rebuilds it when the analyzer changed, else indexes the published stories whose
   * latest version it lacks (an import killed before or during its indexing pass), in the rebuild's short
   * transactions. Safe to call any time and from several places; one run at a time per store.
   */
  catchUp(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number; rebuilt: boolean }>;
  /** Whether the index holds every published story (what /healthz and the metrics report). */
  status(): SearchIndexStatus;
  /** Stories under an embargo that has not been lifted, which only embargo-entitled readers may find. */
  embargoedStoryIds(now: Date): Set<string>;
  /** Number of searchable stories. */
  count(): number;
}
