// Shapes callers of the search index see: options, filters, hits and results.
import type { ProtectedNames } from '../text/index.ts';
import type { ParsedQuery } from './query.ts';
import type { DEFAULT_WEIGHTS } from './schema.ts';

export interface SearchIndexOptions {
  /** Spelling-variant groups (default: DEFAULT_SYNONYMS). */
  synonyms?: readonly (readonly string[])[];
  protectedNames?: ProtectedNames;
  weights?: Partial<typeof DEFAULT_WEIGHTS>;
  /** Approximate snippet length in characters. */
  snippetLength?: number;
  /** Create tables on construction (default true). */
  migrate?: boolean;
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
