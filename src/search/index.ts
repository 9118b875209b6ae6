// Full-text search over published versions: SQLite FTS5 over pre-analyzed terms, on the store's own
// better-sqlite3 handle and synchronous, so the store can index inside its publish transaction and a
// version is searchable the moment it is acknowledged.
//
// The work is split by job: schema.ts (tables and weights), writer.ts (indexing and rebuilds),
// searcher.ts (queries, snippets, facets), compile.ts (query tree → FTS5 MATCH), vocabulary.ts (the
// archive's word counts both sides share). SearchIndex is the one object callers hold.
import type Database from 'better-sqlite3';
import type { StoryVersion } from '../model/story.ts';
import type { Vocabulary } from '../text/index.ts';
import type { ParsedQuery } from './query.ts';
import { RANK_WEIGHTS } from './rank.ts';
import { COLUMNS, DEFAULT_WEIGHTS, migrateSearchSchema, searchSchemaSql } from './schema.ts';
import { Searcher } from './searcher.ts';
import type { SearchFilters, SearchIndexOptions, SearchResult } from './types.ts';
import { ArchiveVocabulary } from './vocabulary.ts';
import { SearchWriter } from './writer.ts';

// One import for callers (store, HTTP, CLI): the parser and its error come with the index.
export { parseQuery, QuerySyntaxError, MAX_QUERY_LENGTH, type ParsedQuery, type QueryNode, type QueryFilters, type SearchField } from './query.ts';
export { ANALYZER_VERSION, DEFAULT_WEIGHTS } from './schema.ts';
export { RANK_WEIGHTS, type RankWeights } from './rank.ts';
export type { SearchIndexOptions, SearchDocMeta, SearchFilters, SearchHit, FacetCount, SearchResult } from './types.ts';

export class SearchIndex implements Vocabulary {
  private readonly vocabulary: ArchiveVocabulary;
  private readonly writer: SearchWriter;
  private readonly searcher: Searcher;

  constructor(db: Database.Database, opts: SearchIndexOptions = {}) {
    if (opts.migrate !== false) migrateSearchSchema(db);
    const w = { ...DEFAULT_WEIGHTS, ...opts.weights };
    this.vocabulary = new ArchiveVocabulary(db, opts.protectedNames, opts.synonyms);
    this.writer = new SearchWriter(db, this.vocabulary);
    this.searcher = new Searcher(
      db,
      this.vocabulary,
      COLUMNS.map((c) => w[c]),
      opts.snippetLength ?? 200,
      { ...RANK_WEIGHTS, ...opts.rank },
    );
  }

  static migrationSql(): string {
    return searchSchemaSql();
  }

  /** How often a folded surface form occurs in the indexed archive. */
  frequency(term: string): number {
    return this.vocabulary.frequency(term);
  }

  /** See SearchWriter.indexVersion: call inside the publish transaction. */
  indexVersion(v: StoryVersion): void {
    this.writer.indexVersion(v);
  }

  /** Take a story out of search for everyone (kills). Idempotent. */
  removeStory(storyId: string): void {
    this.writer.removeStory(storyId);
  }

  reindex(
    versions: StoryVersion[] | (() => Iterable<StoryVersion>),
    onProgress?: (done: number, total: number, phase: 'vocabulary' | 'index') => void,
  ): { indexed: number; ms: number } {
    return this.writer.reindex(versions, onProgress);
  }

  startRebuild(versions: Iterable<StoryVersion>, onCount?: (n: number) => void): void {
    this.writer.startRebuild(versions, onCount);
  }

  writeMany(versions: StoryVersion[], stillCurrent?: (v: StoryVersion) => boolean): number {
    return this.writer.writeMany(versions, stillCurrent);
  }

  finishRebuild(): void {
    this.writer.finishRebuild();
  }

  needsReindex(): boolean {
    return this.writer.needsReindex();
  }

  count(): number {
    return this.writer.count();
  }

  /** Run a query (text in the query language, or already parsed). Throws QuerySyntaxError on bad input. */
  search(q: string | ParsedQuery, filters: SearchFilters = {}): SearchResult {
    return this.searcher.search(q, filters);
  }
}
