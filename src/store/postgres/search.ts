// Search on PostgreSQL (the SQLite twin: ../sqlite/search.ts): the same analyzer's terms, the same query
// language. The publish transaction calls indexVersion/removeStory on its own client.
import type pg from 'pg';
import type { StoreSearch } from '../../model/search.ts';
import type { StoryVersion } from '../../model/story.ts';
import type { Sql } from './database.ts';
import { notYet } from './not-yet.ts';

export interface PgSearch extends StoreSearch {
  /** Indexes a published version (replacing the story's earlier one), inside the caller's transaction. */
  indexVersion(sql: Sql, v: StoryVersion): Promise<void>;
  /** Takes a story out of search (kills), inside the caller's transaction. */
  removeStory(sql: Sql, storyId: string): Promise<void>;
}

export function pgSearch(_pool: pg.Pool, _lexiconFile?: string | null): PgSearch {
  return notYet<PgSearch>('search', ['indexVersion', 'removeStory', 'status']);
}
