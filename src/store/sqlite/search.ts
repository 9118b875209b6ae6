import type Database from 'better-sqlite3';
import { SearchIndex, type SearchFilters, type SearchResult } from '../../search/index.ts';
import type { StoryVersion } from '../../model/story.ts';
import type { SearchIndexStatus, StoreSearch } from '../../model/search.ts';
import { loadLexicon } from '../../search/lexicon.ts';
import { stmt } from './statements.ts';
import { type VersionRow, toVersion } from '../rows/versions.ts';

/** Stories written to the index per transaction during a rebuild. */
const CHUNK = 500;

export class SqliteSearch implements StoreSearch {
  readonly index: SearchIndex;

  constructor(
    private readonly db: Database.Database,
    lexiconFile?: string | null,
  ) {
    const lexicon = loadLexicon(lexiconFile);
    this.index = new SearchIndex(db, { synonyms: lexicon.synonyms, protectedNames: lexicon.protectedNames });
  }

  /** True while `v` is still its story's latest version and the story is live. */
  private readonly stillCurrent = (v: StoryVersion): boolean =>
    !!stmt(this.db, `SELECT 1 FROM stories WHERE id = ? AND latest_version = ? AND status = 'published'`).get(v.storyId, v.version);

  async query(q: string, filters: SearchFilters): Promise<SearchResult> {
    return this.index.search(q, filters);
  }

  async reindex(onProgress?: (done: number, total: number, phase: 'vocabulary' | 'index') => void) {
    const t0 = performance.now();
    const total = (stmt(this.db, `SELECT count(*) AS n FROM stories WHERE status = 'published'`).get() as { n: number }).n;
    this.index.startRebuild(liveVersions(this.db), (n) => onProgress?.(n, total, 'vocabulary'));
    let indexed = 0;
    let chunk: StoryVersion[] = [];
    for (const v of liveVersions(this.db)) {
      chunk.push(v);
      if (chunk.length < CHUNK) continue;
      indexed += this.index.writeMany(chunk, this.stillCurrent);
      chunk = [];
      onProgress?.(indexed, total, 'index');
      // Between chunks the write lock is free: give another process's waiting writer a moment to take it.
      await new Promise((r) => setTimeout(r, 2));
    }
    indexed += this.index.writeMany(chunk, this.stillCurrent);
    this.index.finishRebuild();
    onProgress?.(indexed, total, 'index');
    return { indexed, ms: performance.now() - t0 };
  }

  async needsReindex(): Promise<boolean> {
    return this.index.needsReindex();
  }

  private running: Promise<{ indexed: number; rebuilt: boolean }> | null = null;

  catchUp(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number; rebuilt: boolean }> {
    this.running ??= this.runCatchUp(onProgress).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runCatchUp(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number; rebuilt: boolean }> {
    if (this.index.needsReindex()) {
      // Old analyzer: every entry is suspect, so the whole index is rebuilt (vocabulary first).
      const r = await this.reindex((done, total, phase) => {
        if (phase === 'index') onProgress?.(done, total);
      });
      return { indexed: r.indexed, rebuilt: true };
    }
    const total = this.missingCount();
    let indexed = 0;
    let after = '';
    while (total && this.db.open) {
      const chunk = missingVersions(this.db, after, CHUNK);
      if (!chunk.length) break;
      after = chunk[chunk.length - 1].storyId;
      // Written as a publish writes them (vocabulary counted as it goes), one short IMMEDIATE transaction
      // a chunk; a version superseded or killed meanwhile is left to the writer that superseded it.
      this.db
        .transaction(() => {
          for (const v of chunk) {
            if (!this.stillCurrent(v)) continue;
            this.index.indexVersion(v);
            indexed++;
          }
        })
        .immediate();
      onProgress?.(indexed, total);
      await new Promise((r) => setTimeout(r, 2));
    }
    this.counted = null;
    return { indexed, rebuilt: false };
  }

  /** Published stories whose latest version is not what the index holds. */
  private missingCount(): number {
    return (
      stmt(
        this.db,
        `SELECT count(*) AS n FROM stories s LEFT JOIN search_doc d ON d.story_id = s.id
                           WHERE s.status = 'published' AND (d.version IS NULL OR d.version <> s.latest_version)`,
      ).get() as { n: number }
    ).n;
  }

  // The count joins every story: a health check polled every second must not pay it each time. Once
  // complete, the index stays so (publishes index in their own transaction; imports catch up at their
  // end), so a minute between counts is enough; while it is short, every two seconds.
  private counted: { at: number; missing: number } | null = null;

  async status(): Promise<SearchIndexStatus> {
    const analyzerOutdated = this.index.needsReindex();
    const ttl = this.counted?.missing === 0 && !this.running ? 60_000 : 2000;
    if (!this.counted || Date.now() - this.counted.at > ttl || this.running) this.counted = { at: Date.now(), missing: this.missingCount() };
    const missing = this.counted.missing;
    return { complete: !analyzerOutdated && missing === 0, catchingUp: this.running !== null, missing, analyzerOutdated };
  }

  async count(): Promise<number> {
    return this.index.count();
  }

  /** Nothing to do: FTS5 merges its segments as it writes (automerge). */
  async tidy(): Promise<number> {
    return 0;
  }

  /** Story ids whose latest version is under an embargo not yet lifted. */
  async embargoedStoryIds(now: Date): Promise<Set<string>> {
    const rows = stmt(
      this.db,
      `SELECT v.story_id FROM versions v JOIN stories s ON s.id = v.story_id AND s.latest_version = v.version
                                WHERE v.embargo_until IS NOT NULL AND v.embargo_lifted_at IS NULL AND v.embargo_until > ?`,
    ).all(now.toISOString()) as { story_id: string }[];
    return new Set(rows.map((r) => r.story_id));
  }
}

/** The latest version of every published story, read a page at a time (the index writes between pages). */
function* liveVersions(db: Database.Database): Iterable<StoryVersion> {
  let after = '';
  for (;;) {
    const rows = stmt(
      db,
      `SELECT v.* FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version
                           WHERE s.status = 'published' AND s.id > ? ORDER BY s.id LIMIT 1000`,
    ).all(after) as VersionRow[];
    if (!rows.length) return;
    yield* rows.map(toVersion);
    after = rows[rows.length - 1].story_id;
  }
}

/** Up to `limit` latest versions of published stories after story `after` that the index lacks. */
function missingVersions(db: Database.Database, after: string, limit: number): StoryVersion[] {
  const rows = stmt(
    db,
    `SELECT v.* FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version
                         LEFT JOIN search_doc d ON d.story_id = s.id
                         WHERE s.status = 'published' AND s.id > ? AND (d.version IS NULL OR d.version <> s.latest_version)
                         ORDER BY s.id LIMIT ?`,
  ).all(after, limit) as VersionRow[];
  return rows.map(toVersion);
}
