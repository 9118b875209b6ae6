// The archive's vocabulary and the analysis settings that go with it, shared by the writer (which
// counts surface forms) and the searcher (whose stems depend on those counts).
import type Database from 'better-sqlite3';
import type { StoryVersion } from '../model/story.ts';
import { bodyText } from '../model/story.ts';
import { analyze, DEFAULT_SYNONYMS, type ProtectedNames, SynonymTable, type FullAnalyzeOptions, type Vocabulary } from '../text/index.ts';

/** Share of new word occurrences after which memoized stems are recomputed. */
const STEM_MEMO_DRIFT = 0.01;

export class ArchiveVocabulary implements Vocabulary {
  readonly synonyms: SynonymTable;
  private vocab: Map<string, number> | null = null;
  /** Word occurrences counted in the vocabulary, and those added since the stem memo was last dropped. */
  private total = 0;
  private sinceDrop = 0;
  /** Stems computed under the current vocabulary; dropped when the vocabulary has moved enough (below). */
  private stemCache = new Map<string, string>();
  private readonly bump: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly names: ProtectedNames | undefined,
    synonyms: readonly (readonly string[])[] | undefined,
  ) {
    this.synonyms = new SynonymTable(synonyms ?? DEFAULT_SYNONYMS, (form) => analyze(form, 'ar', { protectedNames: this.names }).map((t) => t.stem));
    this.bump = db.prepare('INSERT INTO search_vocabulary (term, freq) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET freq = freq + excluded.freq');
  }

  /** How often a folded surface form occurs in the indexed archive. */
  frequency(term: string): number {
    return this.counts().get(term) ?? 0;
  }

  /** Analysis options under the current vocabulary (its stem memo included). */
  analyzeOptions(): FullAnalyzeOptions {
    return { vocabulary: this, protectedNames: this.names, stemCache: this.stemCache };
  }

  private counts(): Map<string, number> {
    if (!this.vocab) {
      this.vocab = new Map();
      for (const r of this.db.prepare<[], { term: string; freq: number }>('SELECT term, freq FROM search_vocabulary').iterate()) {
        this.vocab.set(r.term, r.freq);
        this.total += r.freq;
      }
    }
    return this.vocab;
  }

  /** Starts counting afresh in memory (a rebuild); returns the new counts for storing. */
  restart(): Map<string, number> {
    const vocab = new Map<string, number>();
    this.vocab = vocab;
    this.total = this.sinceDrop = 0;
    this.stemCache = new Map();
    return vocab;
  }

  /** Add a text's surface forms to the vocabulary (and to the stored counts when `persist`). */
  countSurface(v: StoryVersion, persist: boolean): void {
    const counts = new Map<string, number>();
    for (const text of [v.content.headline, v.content.deck ?? '', bodyText(v.content.body)])
      for (const t of analyze(text, v.content.language, { stems: false, protectedNames: this.names })) counts.set(t.term, (counts.get(t.term) ?? 0) + 1);
    const vocab = this.counts();
    let added = 0;
    for (const [term, n] of counts) {
      vocab.set(term, (vocab.get(term) ?? 0) + n);
      added += n;
      if (persist) this.bump.run(term, n);
    }
    // The proclitic rule compares counts as ratios, so a stem can only change once the counts have
    // moved by a real share. Dropping the memo on every publish made each search after it
    // re-stem its query, headlines and snippets from scratch (issue 16: search latency while
    // publishing); dropping it once 1 % new text has arrived keeps stems as current as the index
    // itself, whose older entries were stemmed under older counts anyway. Small archives move by
    // more than 1 % with every story, so they still re-stem every time.
    this.total += added;
    this.sinceDrop += added;
    if (this.sinceDrop > STEM_MEMO_DRIFT * this.total) {
      this.stemCache = new Map();
      this.sinceDrop = 0;
    }
  }
}
