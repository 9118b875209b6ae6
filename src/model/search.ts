// Search as the rest of the system sees it: the parsed query language, filters, results, and the
// search side of the store (the full-text index kept in the same transaction as each publish).
// src/search implements the index and the parser; these are the shapes they trade in.

export type SearchField = 'headline' | 'body' | 'byline' | 'dateline' | 'category' | 'keyword';

export type QueryNode =
  | { kind: 'term'; text: string; field?: SearchField }
  | { kind: 'phrase'; text: string; field?: SearchField }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

/** Filters that apply to the whole query, not to words. Dates are ISO instants, `to` exclusive. */
export interface QueryFilters {
  languages?: string[];
  from?: string;
  to?: string;
  urgencyMin?: number;
  urgencyMax?: number;
}

export interface ParsedQuery {
  /** The query as typed (after control characters were dropped). */
  text: string;
  /** Null when the query holds only filters (or nothing): a browse by recency. */
  root: QueryNode | null;
  filters: QueryFilters;
}

/** What an entitlement check sees of a story, without loading it. */
export interface SearchDocMeta {
  storyId: string;
  version: number;
  language: string;
  categories: string[];
  urgency: number;
  /** text, photo, … (product filters by media type need it). */
  mediaType: string;
  publishedAt: string;
}

export interface SearchFilters {
  /** Language of the query's words; also restricts results to that language. */
  lang?: string;
  /** Restrict to these languages (entitlement or UI filter). */
  languages?: string[];
  categories?: string[];
  /** ISO date or instant, inclusive. */
  from?: string;
  /** ISO date (whole day included) or instant (exclusive). */
  to?: string;
  urgencyMin?: number;
  /** Highest urgency number allowed (1 = flash is the lowest number). */
  urgencyMax?: number;
  /** Only these stories (e.g. a subscriber's package). */
  storyIds?: string[];
  /** Final say per story, for entitlements SQL cannot express. Facets and totals respect it. */
  allowed?: (doc: SearchDocMeta) => boolean;
  sort?: 'relevance' | 'recency';
  limit?: number;
  offset?: number;
}

export interface SearchHit extends SearchDocMeta {
  /** BM25 (higher is better); 0 for browse queries. */
  score: number;
  headline: string;
  headlineHtml: string;
  snippetHtml: string;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: { category: FacetCount[]; language: FacetCount[]; urgency: FacetCount[]; month: FacetCount[] };
  /** The parsed query, for "did you mean" or echoing filters back. */
  query: ParsedQuery;
}

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
  query(q: string, filters: SearchFilters): Promise<SearchResult>;
  /**
   * Rebuilds the index from the latest live version of every story, in short transactions so that
   * other writers (a server publishing while a CLI import indexes) are never locked out for long.
   */
  reindex(onProgress?: (done: number, total: number, phase: 'vocabulary' | 'index') => void): Promise<{ indexed: number; ms: number }>;
  /** True when the index was built by an older analyzer. */
  needsReindex(): Promise<boolean>;
  /**
   * Completes the index: rebuilds it when the analyzer changed, else indexes the published stories whose
   * latest version it lacks (an import killed before or during its indexing pass), in the rebuild's short
   * transactions. Safe to call any time and from several places; one run at a time per store.
   */
  catchUp(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number; rebuilt: boolean }>;
  /** Whether the index holds every published story (what /healthz and the metrics report). */
  status(): Promise<SearchIndexStatus>;
  /** Stories under an embargo that has not been lifted, which only embargo-entitled readers may find. */
  embargoedStoryIds(now: Date): Promise<Set<string>>;
  /** Number of searchable stories. */
  count(): Promise<number>;
  /**
   * Merges into the index what it collected since the last call, so searches do not scan it; returns how
   * much was merged (PostgreSQL: pages of GIN's pending list; 0 where the engine merges as it writes).
   * The server calls it every second.
   */
  tidy(): Promise<number>;
}
