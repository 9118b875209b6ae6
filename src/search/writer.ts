// Writing the index: one version at a time inside the publish transaction, or a whole rebuild.
import type Database from 'better-sqlite3';
import type { StoryVersion } from '../model/story.ts';
import { indexedDocument } from './document.ts';
import { ANALYZER_VERSION, COLUMNS } from './schema.ts';
import type { ArchiveVocabulary } from './vocabulary.ts';

export class SearchWriter {
  private readonly st: ReturnType<SearchWriter['prepare']>;

  constructor(
    private readonly db: Database.Database,
    private readonly vocabulary: ArchiveVocabulary,
  ) {
    this.st = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      findDoc: db.prepare<[string], { doc_id: number }>('SELECT doc_id FROM search_doc WHERE story_id = ?'),
      deleteFts: db.prepare('DELETE FROM search_fts WHERE rowid = ?'),
      deleteDoc: db.prepare('DELETE FROM search_doc WHERE doc_id = ?'),
      deleteText: db.prepare('DELETE FROM search_text WHERE doc_id = ?'),
      insertText: db.prepare('INSERT INTO search_text (doc_id, headline, body) VALUES (?, ?, ?)'),
      deleteCats: db.prepare('DELETE FROM search_doc_category WHERE doc_id = ?'),
      insertDoc: db.prepare('INSERT INTO search_doc (story_id, version, language, urgency, media_type, published_at, categories) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertCat: db.prepare('INSERT OR IGNORE INTO search_doc_category (category, doc_id) VALUES (?, ?)'),
      insertFts: db.prepare(`INSERT INTO search_fts (rowid, ${COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  /**
   * Make this version the story's searchable entry (replacing any earlier version). Killed/canceled
   * versions remove the story instead. Call inside the publish transaction.
   */
  indexVersion(v: StoryVersion): void {
    if (v.pubStatus === 'canceled' || v.kind === 'killed') {
      this.removeStory(v.storyId);
      return;
    }
    this.vocabulary.countSurface(v, true);
    this.write(v);
  }

  private write(v: StoryVersion): void {
    this.removeStory(v.storyId);
    // What is indexed is defined once, in document.ts (PostgreSQL's search writes the same columns).
    const d = indexedDocument(v, this.vocabulary.analyzeOptions());
    const info = this.st.insertDoc.run(v.storyId, v.version, d.language, d.urgency, d.mediaType, d.publishedAt, d.categories.join('\n'));
    const docId = Number(info.lastInsertRowid);
    this.st.insertText.run(docId, d.headline, d.body);
    for (const cat of d.categories) this.st.insertCat.run(cat, docId);
    this.st.insertFts.run(docId, ...d.columns);
  }

  /** Take a story out of search for everyone (kills). Idempotent. */
  removeStory(storyId: string): void {
    const row = this.st.findDoc.get(storyId);
    if (!row) return;
    this.st.deleteFts.run(row.doc_id);
    this.st.deleteCats.run(row.doc_id);
    this.st.deleteText.run(row.doc_id);
    this.st.deleteDoc.run(row.doc_id);
  }

  /**
   * Rebuild everything from the given versions (one per story: the latest usable one). Two passes:
   * the vocabulary is counted over the whole archive first, so the proclitic rule decides the same
   * way for the first story as for the last. Pass an array or a function returning a fresh iterable.
   * One transaction: for a store other processes write to, use the chunked steps below instead.
   */
  reindex(
    versions: StoryVersion[] | (() => Iterable<StoryVersion>),
    onProgress?: (done: number, total: number, phase: 'vocabulary' | 'index') => void,
  ): { indexed: number; ms: number } {
    const t0 = performance.now();
    const list = typeof versions === 'function' ? () => versions() : () => versions;
    const total = Array.isArray(versions) ? versions.length : 0;
    let indexed = 0;
    this.db.transaction(() => {
      this.startRebuild(list(), (n) => onProgress?.(n, total, 'vocabulary'));
      for (const v of list()) {
        indexed += this.writeMany([v]);
        if (indexed % 500 === 0) onProgress?.(indexed, total || indexed, 'index');
      }
      this.finishRebuild();
    })();
    onProgress?.(indexed, total || indexed, 'index');
    return { indexed, ms: performance.now() - t0 };
  }

  /**
   * First step of a chunked rebuild: counts the vocabulary of `versions` (reading only), then empties
   * the index and stores the new vocabulary in one short transaction.
   */
  startRebuild(versions: Iterable<StoryVersion>, onCount?: (n: number) => void): void {
    const vocab = this.vocabulary.restart();
    let n = 0;
    for (const v of versions) {
      if (v.pubStatus !== 'canceled' && v.kind !== 'killed') this.vocabulary.countSurface(v, false);
      if (++n % 500 === 0) onCount?.(n);
    }
    this.db.transaction(() => {
      this.db.exec(`INSERT INTO search_fts(search_fts) VALUES('delete-all');
        DELETE FROM search_doc; DELETE FROM search_text; DELETE FROM search_doc_category; DELETE FROM search_vocabulary;`);
      const put = this.db.prepare('INSERT INTO search_vocabulary (term, freq) VALUES (?, ?)');
      for (const [term, freq] of vocab) put.run(term, freq);
    })();
  }

  /**
   * Writes versions into the index without counting them again (after startRebuild); one IMMEDIATE
   * transaction. `stillCurrent` is asked inside it: a version superseded or killed by another writer
   * since it was read must not be written back (a killed story would become findable again).
   */
  writeMany(versions: StoryVersion[], stillCurrent?: (v: StoryVersion) => boolean): number {
    let written = 0;
    this.db
      .transaction(() => {
        for (const v of versions) {
          if (v.pubStatus === 'canceled' || v.kind === 'killed') continue;
          if (stillCurrent && !stillCurrent(v)) continue;
          this.write(v);
          written++;
        }
      })
      .immediate();
    return written;
  }

  /** Last step of a rebuild: records which analyzer built the index. */
  finishRebuild(): void {
    this.db
      .prepare("INSERT INTO search_meta (key, value) VALUES ('analyzer_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(String(ANALYZER_VERSION));
  }

  /** True when the stored index was built by an older analyzer and wants `reindex`. */
  needsReindex(): boolean {
    const row = this.db.prepare<[], { value: string }>("SELECT value FROM search_meta WHERE key = 'analyzer_version'").get();
    const docs = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM search_doc').get()!.n;
    return docs > 0 && (!row || Number(row.value) !== ANALYZER_VERSION);
  }

  /** Number of searchable stories. */
  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM search_doc').get()!.n;
  }
}
