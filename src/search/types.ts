// Shapes callers of the search index see: options, filters, hits and results.
import type { ProtectedNames } from '../text/index.ts';
import type { RankWeights } from './rank.ts';
import type { DEFAULT_WEIGHTS } from './schema.ts';

export interface SearchIndexOptions {
  /** Spelling-variant groups (default: DEFAULT_SYNONYMS). */
  synonyms?: readonly (readonly string[])[];
  protectedNames?: ProtectedNames;
  weights?: Partial<typeof DEFAULT_WEIGHTS>;
  /** Field-aware re-ranking of BM25's best (default RANK_WEIGHTS; headline 0 and together 0 turn it off). */
  rank?: Partial<RankWeights>;
  /** Approximate snippet length in characters. */
  snippetLength?: number;
  /** Create tables on construction (default true). */
  migrate?: boolean;
}

export type { SearchDocMeta, SearchFilters, SearchHit, FacetCount, SearchResult } from '../model/search.ts';
