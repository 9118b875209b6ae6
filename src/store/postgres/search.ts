import type { SearchDocMeta, SearchFilters, SearchHit, SearchIndexStatus, SearchResult, StoreSearch } from '../../model/search.ts';
import type { StoryVersion } from '../../model/story.ts';
import { bodyText } from '../../model/story.ts';
import { compileQuery } from '../../search/compile.ts';
import { instant, intersect, maxDefined, minDefined, queryLanguage } from '../../search/filters.ts';
import { headAndBody, type IndexedDocument, indexedDocument } from '../../search/document.ts';
import { loadLexicon } from '../../search/lexicon.ts';
import { parseQuery, type ParsedQuery } from '../../search/query.ts';
import { HeadlineRanker, RANK_WEIGHTS } from '../../search/rank.ts';
import { ANALYZER_VERSION, COLUMNS, DEFAULT_WEIGHTS } from '../../search/schema.ts';
import { bodySpansOf, markHtml, matchSpans, snippetHtml, type MatchSet } from '../../search/snippet.ts';
import { facetCounts } from '../../search/facets.ts';
import {
  acceptedWordSpans,
  analyze,
  DEFAULT_SYNONYMS,
  forgetCachedWords,
  type FullAnalyzeOptions,
  type ProtectedNames,
  SynonymTable,
  type Vocabulary,
} from '../../text/index.ts';
import type pg from 'pg';
import { readWith, type Sql, writeWith } from './database.ts';
import { type VersionRow, toVersion } from '../rows/versions.ts';

/** Rows and tokens written in a transaction, added to BM25's totals once at its end. */
interface Totals {
  rows: number;
  tokens: number;
}

export interface PgSearch extends StoreSearch {
  /** Indexes a published version (replacing the story's earlier one), inside the caller's transaction. */
  indexVersion(sql: Sql, v: StoryVersion): Promise<void>;
  /**
   * Indexes versions in their order (a kill or cancel takes its story out), inside the caller's
   * transaction: the same result as indexVersion on each, in two statements however many there are.
   */
  indexVersions(sql: Sql, versions: readonly StoryVersion[]): Promise<void>;
  /** Takes a story out of search (kills), inside the caller's transaction. */
  removeStory(sql: Sql, storyId: string): Promise<void>;
  /** Resolves once the vocabulary is in memory (analyse needs it); also starts a due background refresh. */
  whenReady(): Promise<void>;
  /** How often a folded surface form occurs in the archive, as this process's vocabulary has it. */
  frequency(term: string): number;
  /** True when `analyse` may run now. */
  readonly readyNow: boolean;
  /**
   * Analyses a version to be published (the CPU part of indexing), adding its words to the vocabulary:
   * before any lock, so the analysis of the next publishes overlaps the SQL of the batch in flight.
   * Analyses must be made in the order their versions are committed; `rewind` takes back one refused.
   */
  analyse(v: Pick<StoryVersion, 'content' | 'kind' | 'pubStatus'>): Analysis;
  /** Takes back `undone` (in the order made): the vocabulary is as if they had never been analysed. */
  rewind(undone: Analysis[]): void;
  /**
   * The CTEs (comma-separated, to follow `WITH`) that write a group commit's analysed versions to the
   * index: the same rows as indexVersions would write. `param` numbers the statement's parameters.
   */
  writeCtes(param: (v: unknown) => string, entries: { version: StoryVersion; analysis: Analysis }[]): string;
}

/** The state of the vocabulary before an analysis (PgVocabulary.mark). */
interface VocabularyMark {
  epoch: number;
  total: number;
  sinceDrop: number;
  memo: Map<string, string>;
  memoSize: number;
}

/** A version analysed for the index, ready to write; `doc` is null for a kill (the story leaves search). */
export interface Analysis {
  readonly epoch: number;
  readonly counts: Map<string, number>;
  readonly doc: PreparedDoc | null;
  readonly mark: VocabularyMark;
}

/** An index entry with its per-column tokens and tsvector literals (all JS work done before the write). */
interface PreparedDoc {
  d: IndexedDocument;
  tokens: number;
  terms: string;
  tsv: string[];
}

function preparedDoc(d: IndexedDocument): PreparedDoc {
  const cols = d.columns.map(ftsTokens);
  return {
    d,
    tokens: cols.reduce((n, col) => n + col.length, 0),
    terms: arrayLiteral(cols.map((col) => col.join(' '))),
    tsv: cols.map(tsvector),
  };
}

export interface PgSearchOptions {
  /** How old this process's copy of the vocabulary may grow before it is read again (default 5 minutes). */
  vocabularyRefreshMs?: number;
}

export function pgSearch(pool: pg.Pool, lexiconFile?: string | null, opts: PgSearchOptions = {}): PostgresSearch {
  return new PostgresSearch(pool, lexiconFile, opts);
}

/** Stories written to the index per transaction during a rebuild (as on SQLite). */
const CHUNK = 500;
/** Share of new word occurrences after which memoized stems are recomputed (src/search/vocabulary.ts). */
const STEM_MEMO_DRIFT = 0.01;
/** FTS5's BM25 constants. */
const K1 = 1.2;
const B = 0.75;
/** tsvector limits: positions above 16383 are stored as 16383; a lexeme is at most 2047 bytes. */
const MAX_POSITION = 16383;
const MAX_LEXEME_BYTES = 2046;

// ---------- the vocabulary ----------

/**
 * The archive's surface-form counts in memory (loaded once from search_vocabulary), as ArchiveVocabulary
 * keeps them for SQLite: the analyzer asks `frequency` synchronously, term by term.
 */
class PgVocabulary implements Vocabulary {
  readonly synonyms: SynonymTable;
  private vocab = new Map<string, number>();
  private total = 0;
  private sinceDrop = 0;
  private stemCache = new Map<string, string>();
  /** Bumped whenever the counts are replaced wholesale (load, restart): marks from before no longer apply. */
  private epoch = 0;

  constructor(
    readonly names: ProtectedNames | undefined,
    synonyms: readonly (readonly string[])[] | undefined,
  ) {
    this.synonyms = new SynonymTable(synonyms ?? DEFAULT_SYNONYMS, (form) => analyze(form, 'ar', { protectedNames: this.names }).map((t) => t.stem));
  }

  frequency(term: string): number {
    return this.vocab.get(term) ?? 0;
  }

  analyzeOptions(): FullAnalyzeOptions {
    return { vocabulary: this, protectedNames: this.names, stemCache: this.stemCache };
  }

  async load(sql: Sql): Promise<void> {
    const rows = (await sql.query<{ term: string; freq: number }>('SELECT term, freq FROM search_vocabulary')).rows;
    this.restart();
    for (const r of rows) this.add(r.term, r.freq);
  }

  restart(): void {
    this.epoch++;
    this.vocab = new Map();
    this.total = this.sinceDrop = 0;
    this.stemCache = new Map();
  }

  /** A version's surface forms and their counts (what is added to the vocabulary). */
  surfaceCounts(v: StoryVersion): Map<string, number> {
    const counts = new Map<string, number>();
    for (const text of [v.content.headline, v.content.deck ?? '', bodyText(v.content.body)])
      for (const t of analyze(text, v.content.language, { stems: false, protectedNames: this.names })) counts.set(t.term, (counts.get(t.term) ?? 0) + 1);
    return counts;
  }

  /** Adds counts; the stem memo is dropped once 1 % new text has arrived (see vocabulary.ts for why). */
  addAll(counts: Map<string, number>): void {
    let added = 0;
    for (const [term, n] of counts) {
      this.vocab.set(term, (this.vocab.get(term) ?? 0) + n);
      added += n;
    }
    this.total += added;
    this.sinceDrop += added;
    if (this.sinceDrop > STEM_MEMO_DRIFT * this.total) {
      this.stemCache = new Map();
      this.sinceDrop = 0;
    }
  }

  /** The state before an analysis: what `rewind` restores (the stem memo only grows between drops). */
  mark(): VocabularyMark {
    return { epoch: this.epoch, total: this.total, sinceDrop: this.sinceDrop, memo: this.stemCache, memoSize: this.stemCache.size };
  }

  /**
   * Undoes analyses: `undone` are every analysis made since `to` was taken, `to`'s own first. Their
   * counts are subtracted, and the totals and the stem memo are put back as they were at `to`, so what
   * is analysed next is stemmed exactly as if they had never been (the SQLite twin never analyses a
   * refused publish). After a reload (another epoch) only the counts added since are taken back.
   */
  rewind(to: VocabularyMark, undone: { epoch: number; counts: Map<string, number> }[]): void {
    for (const u of undone) {
      if (u.epoch !== this.epoch) continue;
      for (const [term, n] of u.counts) {
        const left = (this.vocab.get(term) ?? 0) - n;
        if (left > 0) this.vocab.set(term, left);
        else this.vocab.delete(term);
      }
    }
    if (to.epoch !== this.epoch) return;
    this.total = to.total;
    this.sinceDrop = to.sinceDrop;
    // Map keeps insertion order: the stems memoized since the mark are the ones after memoSize.
    const memo = to.memo;
    // The snippets' word cache holds stems made with this memo: it goes with the stems taken back.
    forgetCachedWords(memo);
    if (memo.size < to.memoSize) memo.clear();
    else {
      let i = 0;
      for (const k of memo.keys()) if (i++ >= to.memoSize) memo.delete(k);
    }
    this.stemCache = memo;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  private add(term: string, n: number): void {
    this.vocab.set(term, n);
    this.total += n;
  }

  entries(): [string, number][] {
    return [...this.vocab];
  }
}

// ---------- the compiled query, read back ----------

/** A MATCH string of compileQuery as a tree: phrases with their columns, AND, OR, NOT. */
type MatchNode =
  | { kind: 'phrase'; id: number; tokens: string[]; columns: number[] }
  | { kind: 'and' | 'or'; children: MatchNode[] }
  | { kind: 'not'; left: MatchNode; right: MatchNode };

/**
 * How FTS5's `ascii` tokenizer splits and folds what the index stores and a quoted phrase: ASCII
 * letters lowercased, every other ASCII character a separator, every non-ASCII character part of a word.
 */
function ftsTokens(s: string): string[] {
  // On every publish's path. ASCII capitals are never separators, so folding the whole text before the
  // split gives what folding each token would; a run of separators is one split, so only the ends can
  // leave an empty token.
  const parts = (/[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s).split(FTS_SEPARATORS);
  if (parts[parts.length - 1] === '') parts.pop();
  if (parts[0] === '') parts.shift();
  return parts;
}

/** What FTS5's unicode61 tokenizer (as configured) splits on: ASCII other than letters and digits. */
const FTS_SEPARATORS = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/;

/**
 * Parses compileQuery's output (precedence NOT > AND > OR, as FTS5's). The compiler only emits quoted
 * analyzed terms, our column names, parentheses and the three operators.
 */
function parseMatch(match: string): { root: MatchNode; phrases: Extract<MatchNode, { kind: 'phrase' }>[] } {
  const lexed = match.match(/"[^"]*"|\{[^}]*\}|\(|\)|:|AND|OR|NOT/g) ?? [];
  const phrases: Extract<MatchNode, { kind: 'phrase' }>[] = [];
  let i = 0;
  const bug = () => new Error(`search failed for an internally built query: cannot read ${JSON.stringify(match)}`);
  const primary = (): MatchNode => {
    const t = lexed[i++];
    if (t === '(') {
      const n = or();
      if (lexed[i++] !== ')') throw bug();
      return n;
    }
    let columns = COLUMNS.map((_, c) => c);
    let quoted = t;
    if (t?.startsWith('{')) {
      const names = t.slice(1, -1).trim().split(/\s+/);
      columns = names.map((n) => COLUMNS.indexOf(n as (typeof COLUMNS)[number]));
      if (columns.some((c) => c < 0) || lexed[i++] !== ':') throw bug();
      quoted = lexed[i++];
    }
    if (!quoted?.startsWith('"')) throw bug();
    const node = { kind: 'phrase' as const, id: phrases.length, tokens: ftsTokens(quoted.slice(1, -1)), columns };
    if (!node.tokens.length) throw bug();
    phrases.push(node);
    return node;
  };
  const not = (): MatchNode => {
    let left = primary();
    while (lexed[i] === 'NOT') {
      i++;
      left = { kind: 'not', left, right: primary() };
    }
    return left;
  };
  const chain = (kind: 'and' | 'or', next: () => MatchNode): MatchNode => {
    const children = [next()];
    while (lexed[i] === kind.toUpperCase()) {
      i++;
      children.push(next());
    }
    return children.length === 1 ? children[0] : { kind, children };
  };
  const and = () => chain('and', not);
  const or = (): MatchNode => chain('or', and);
  const root = or();
  if (i !== lexed.length) throw bug();
  return { root, phrases };
}

/** A tsquery literal for a phrase: its lexemes quoted, adjacent (<->). */
function tsquery(tokens: string[]): string {
  return tokens.map((t) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' <-> ');
}

/**
 * SQL that is true for rows the tree matches, over the per-column tsvectors (the GIN index). `long`:
 * the index holds a story longer than a tsvector numbers (PostgresSearch.longStories).
 */
function matchSql(node: MatchNode, param: (v: unknown) => string, long: boolean): string {
  switch (node.kind) {
    case 'phrase': {
      const q = `${param(tsquery(node.tokens))}::tsquery`;
      const strict = node.columns.map((c) => `${COLUMNS[c]} @@ ${q}`);
      if (node.tokens.length === 1 || !long) return `(${strict.join(' OR ')})`;
      // A tsvector numbers positions up to 16,383 only: past that point of a longer column `<->` sees no
      // phrase, so there the words are found through the index and the phrase in the column's full token
      // list (FTS5 finds it anywhere). The cheap length test comes first in the recheck.
      const all = `${param(node.tokens.map((t) => tsquery([t])).join(' & '))}::tsquery`;
      const spaced = param(` ${node.tokens.join(' ')} `);
      const beyond = node.columns.map((c) => `(${COLUMNS[c]} @@ ${all} AND tokens > ${MAX_POSITION} AND strpos(' ' || terms[${c + 1}] || ' ', ${spaced}) > 0)`);
      return `(${[...strict, ...beyond].join(' OR ')})`;
    }
    case 'and':
    case 'or':
      return `(${node.children.map((c) => matchSql(c, param, long)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(${matchSql(node.left, param, long)} AND NOT ${matchSql(node.right, param, long)})`;
  }
}

/** How often a phrase occurs in a column of the row at hand (every start position counts, as FTS5's). */
type PhraseCounter = (column: number, tokens: string[]) => number;

/** Counting in the columns' full token lists (`terms`). */
function termsCounter(terms: string[]): PhraseCounter {
  const cols = terms.map((t) => (t ? t.split(' ') : []));
  return (c, tokens) => {
    const col = cols[c];
    let n = 0;
    outer: for (let p = 0; p + tokens.length <= col.length; p++) {
      for (let k = 0; k < tokens.length; k++) if (col[p + k] !== tokens[k]) continue outer;
      n++;
    }
    return n;
  };
}

/**
 * Counting from the positions the tsvectors hold for the query's lexemes only (each column's tsvector
 * cut down to them, as text: `'lexeme':1A,5A …`): a few bytes a row instead of its whole text. Null
 * when the tsvector cannot be trusted to be exact (a position at the 16383 ceiling, or 256 positions,
 * the most a lexeme keeps): the caller then counts in `terms`.
 */
function positionsCounter(columns: string[]): PhraseCounter | null {
  const maps: Map<string, number[]>[] = [];
  for (const text of columns) {
    const m = new Map<string, number[]>();
    // Our lexemes hold no quote, backslash or space (ftsTokens splits on every ASCII non-alphanumeric).
    for (const [, lexeme, list] of text.matchAll(/'([^']+)':([0-9A-D,]+)/g)) {
      const ps = list.split(',').map((p) => Number.parseInt(p, 10));
      if (ps.length >= 256 || ps[ps.length - 1] >= MAX_POSITION) return null;
      m.set(lexeme, ps);
    }
    maps.push(m);
  }
  return (c, tokens) => {
    const m = maps[c];
    const first = m.get(tokens[0]);
    if (!first) return 0;
    if (tokens.length === 1) return first.length;
    const rest = tokens.slice(1).map((t) => new Set(m.get(t) ?? []));
    return first.filter((p) => rest.every((set, k) => set.has(p + k + 1))).length;
  };
}

/**
 * FTS5's verdict on one row, and each phrase's weighted frequency as its bm25() sees it: only phrases
 * of sub-expressions that match the row count (FTS5 clears the others' position lists).
 */
function evaluate(root: MatchNode, count: PhraseCounter, weights: number[], freq: number[]): boolean {
  const found = new Map<number, number>();
  const weighted = (p: Extract<MatchNode, { kind: 'phrase' }>) => {
    let w = found.get(p.id);
    if (w === undefined) {
      w = 0;
      for (const c of p.columns) w += count(c, p.tokens) * weights[c];
      found.set(p.id, w);
    }
    return w;
  };
  const matches = (n: MatchNode): boolean => {
    switch (n.kind) {
      case 'phrase':
        return weighted(n) > 0;
      case 'and':
        return n.children.every(matches);
      case 'or':
        return n.children.some(matches);
      case 'not':
        return matches(n.left) && !matches(n.right);
    }
  };
  const credit = (n: MatchNode) => {
    switch (n.kind) {
      case 'phrase':
        freq[n.id] += weighted(n);
        return;
      case 'and':
        n.children.forEach(credit);
        return;
      case 'or':
        for (const c of n.children) if (matches(c)) credit(c);
        return;
      case 'not':
        credit(n.left);
        return;
    }
  };
  if (!matches(root)) return false;
  credit(root);
  return true;
}

// ---------- rows ----------

interface Row {
  doc_id: number;
  story_id: string;
  version: number;
  language: string;
  urgency: number;
  media_type: string;
  published_at: string;
  categories: string[];
  score: number;
}

const META = 'd.doc_id, d.story_id, d.version, d.language, d.urgency, d.media_type, d.published_at, d.categories';

const meta = (r: Row): SearchDocMeta => ({
  storyId: r.story_id,
  version: r.version,
  language: r.language,
  categories: r.categories,
  urgency: r.urgency,
  mediaType: r.media_type,
  publishedAt: r.published_at,
});

const byRecency = (a: Row, b: Row) => (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : b.doc_id - a.doc_id);

/** One tsvector literal from a column's tokens (positions from 1, as PostgreSQL counts them). */
function tsvector(tokens: string[]): string {
  // On every publish's path, so each lexeme's positions are kept as the text they are written as. A
  // UTF-16 unit is at most 3 UTF-8 bytes, so most tokens need no byte count; positions only repeat once
  // clamped at MAX_POSITION; PostgreSQL keeps at most 256 positions a lexeme.
  const positions = new Map<string, string>();
  const counts = new Map<string, number>();
  const clamped = `${MAX_POSITION}`;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.length * 3 > MAX_LEXEME_BYTES && Buffer.byteLength(t) > MAX_LEXEME_BYTES) continue;
    const p = i < MAX_POSITION ? `${i + 1}` : clamped;
    const list = positions.get(t);
    if (list === undefined) {
      positions.set(t, p);
      counts.set(t, 1);
      continue;
    }
    const n = counts.get(t)!;
    if (n >= 256 || (p === clamped && (list === clamped || list.endsWith(`,${clamped}`)))) continue;
    positions.set(t, `${list},${p}`);
    counts.set(t, n + 1);
  }
  let out = '';
  for (const [t, ps] of positions) {
    const q = t.includes("'") || t.includes('\\') ? t.replace(/\\/g, '\\\\').replace(/'/g, "''") : t;
    out += out ? ` '${q}':${ps}` : `'${q}':${ps}`;
  }
  return out;
}

/** A PostgreSQL array literal of texts (each element quoted), for a text[] column filled through unnest. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((t) => `"${t.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

// ---------- the store's search ----------

export class PostgresSearch implements PgSearch {
  private readonly vocabulary: PgVocabulary;
  private readonly weights = COLUMNS.map((c) => DEFAULT_WEIGHTS[c]);
  private readonly rankWeights = RANK_WEIGHTS;
  /** The headline re-ranking, with the headlines it analyzed (valid while the stem memo is). */
  private readonly ranker = new HeadlineRanker(RANK_WEIGHTS);
  private readonly snippetLength = 200;
  private loaded: Promise<void> | null = null;
  private loadedAt = 0;
  private refreshing: Promise<void> | null = null;
  private rebuilding = false;
  /** Rows and tokens of the whole index (BM25's N and average length), kept a moment between queries. */
  private stats: { at: number; rows: number; tokens: number } | null = null;
  /** The database said this role may not merge the index (tidy). */
  private tidyRefused = false;
  /** Whether the index holds a story longer than a tsvector numbers, read at most every 2 s (matchSql). */
  private long: { at: number; any: boolean } | null = null;

  constructor(
    private readonly pool: pg.Pool,
    lexiconFile?: string | null,
    private readonly opts: PgSearchOptions = {},
  ) {
    const lexicon = loadLexicon(lexiconFile);
    this.vocabulary = new PgVocabulary(lexicon.protectedNames, lexicon.synonyms);
  }

  /** How often a folded surface form occurs in the indexed archive (as this process last read it). */
  frequency(term: string): number {
    return this.vocabulary.frequency(term);
  }

  /**
   * The vocabulary is read before the first analysis needs it, then again in the background once it is
   * older than vocabularyRefreshMs: other nodes publish too, and their words count for the stems here.
   */
  private ready(): Promise<void> {
    this.loaded ??= writeWith(this.pool, 'loading the search vocabulary', async (sql) => {
      // As SQLite's schema does on open: an empty index is of the current analyzer (else the first
      // publishes would leave it unstamped and looking outdated, and a catch-up would rebuild it all).
      await sql.query(
        `INSERT INTO search_meta (key, value) SELECT 'analyzer_version', $1 WHERE NOT EXISTS (SELECT 1 FROM search_doc) ON CONFLICT (key) DO NOTHING`,
        [String(ANALYZER_VERSION)],
      );
      await this.vocabulary.load(sql);
    })
      .then(() => {
        this.loadedAt = Date.now();
      })
      .catch((e) => {
        this.loaded = null;
        throw e;
      });
    const stale = this.loadedAt > 0 && Date.now() - this.loadedAt > (this.opts.vocabularyRefreshMs ?? 300_000);
    if (stale && !this.refreshing && !this.rebuilding) {
      // The swap is one synchronous step after the read (PgVocabulary.load): no analysis sees half of it.
      this.refreshing = this.vocabulary
        .load(this.pool)
        .then(() => {
          this.loadedAt = Date.now();
        })
        .catch(() => {
          // Kept as it was; the next query tries again.
        })
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.loaded;
  }

  // ----- writing -----

  async indexVersion(sql: Sql, v: StoryVersion): Promise<void> {
    await this.indexVersions(sql, [v]);
  }

  whenReady(): Promise<void> {
    return this.ready();
  }

  get readyNow(): boolean {
    return this.loadedAt > 0;
  }

  analyse(v: Pick<StoryVersion, 'content' | 'kind' | 'pubStatus'>): Analysis {
    const mark = this.vocabulary.mark();
    if (v.pubStatus === 'canceled' || v.kind === 'killed') return { epoch: mark.epoch, counts: new Map(), doc: null, mark };
    // publishedAt is the story's (known under the log lock); writeCtes fills it in.
    const version = { ...(v as StoryVersion), firstPublishedAt: '', versionCreatedAt: '' };
    const lang = v.content.language;
    if (lang) {
      // Each text tokenized once: its surface forms counted (the headline, deck and body's words, as
      // surfaceCounts counts them), then the same tokens stemmed against the counts with them added.
      const texts = headAndBody(version);
      const tokens = { head: analyze(texts.head, lang, { stems: false }), main: analyze(texts.main, lang, { stems: false }) };
      const counts = new Map<string, number>();
      for (const t of [...tokens.head, ...tokens.main]) counts.set(t.term, (counts.get(t.term) ?? 0) + 1);
      this.vocabulary.addAll(counts);
      return { epoch: mark.epoch, counts, doc: preparedDoc(indexedDocument(version, this.vocabulary.analyzeOptions(), tokens)), mark };
    }
    const counts = this.vocabulary.surfaceCounts(version);
    this.vocabulary.addAll(counts);
    const d = indexedDocument(version, this.vocabulary.analyzeOptions());
    return { epoch: mark.epoch, counts, doc: preparedDoc(d), mark };
  }

  rewind(undone: Analysis[]): void {
    if (undone.length) this.vocabulary.rewind(undone[0].mark, undone);
  }

  /**
   * Versions in their order, analysed one after the other (each adding its words to the vocabulary
   * before it is stemmed, exactly as one indexVersion after another did), then written by one
   * statement (writeCtes). A story indexed twice keeps its last version, its entry numbered where that
   * version stands (doc_id breaks ties in recency order).
   */
  async indexVersions(sql: Sql, versions: readonly StoryVersion[]): Promise<void> {
    if (!versions.length) return;
    await this.ready();
    const entries = versions.map((version) => ({ version, analysis: this.analyse(version) }));
    const args: unknown[] = [];
    const ctes = this.writeCtes((v) => `$${args.push(v)}`, entries);
    try {
      await sql.query(`WITH ${ctes} SELECT 1`, args);
    } catch (e) {
      // Not written: the words are not the archive's either.
      this.rewind(entries.map((e) => e.analysis));
      throw e;
    }
  }

  writeCtes(param: (v: unknown) => string, entries: { version: StoryVersion; analysis: Analysis }[]): string {
    const added = new Map<string, number>();
    const last = new Map<string, { version: StoryVersion; doc: PreparedDoc | null }>();
    const totals: Totals = { rows: 0, tokens: 0 };
    for (const { version, analysis } of entries) {
      for (const [term, n] of analysis.counts) added.set(term, (added.get(term) ?? 0) + n);
      const doc = analysis.doc && { ...analysis.doc, d: { ...analysis.doc.d, publishedAt: version.firstPublishedAt || version.versionCreatedAt } };
      last.delete(version.storyId);
      last.set(version.storyId, { version, doc });
      // SQLite writes each version in turn: each insert counts in FTS5's totals, even one replaced in this batch.
      if (doc) {
        totals.rows++;
        totals.tokens += doc.tokens;
      }
    }
    const docs = [...last.values()].flatMap(({ version, doc }) => (doc ? [{ storyId: version.storyId, version: version.version, doc }] : []));
    const gone = [...last.values()].flatMap(({ version, doc }) => (doc ? [] : [version.storyId]));
    // Sorted, so two publishes bumping the same words lock them in the same order (no deadlock).
    const terms = [...added.keys()].sort();
    return this.docCtes(
      param,
      docs,
      gone,
      terms,
      terms.map((t) => added.get(t)!),
      totals,
    );
  }

  /** Writes index entries by one statement (a rebuild's chunk). */
  private async writeDocs(sql: Sql, docs: { storyId: string; version: number; doc: PreparedDoc }[]): Promise<void> {
    if (!docs.length) return;
    const args: unknown[] = [];
    await sql.query(`WITH ${this.docCtes((v) => `$${args.push(v)}`, docs)} SELECT 1`, args);
  }

  /**
   * The CTEs of one statement, every row through unnest: takes the `gone` stories out, adds vocabulary
   * counts and writes the entries (each replacing its story's entry, numbered anew in the order given,
   * its text replaced with it). Part of a group commit's one statement, in the log lock's shadow.
   */
  private docCtes(
    param: (v: unknown) => string,
    docs: { storyId: string; version: number; doc: PreparedDoc }[],
    gone: string[] = [],
    terms: string[] = [],
    freqs: number[] = [],
    totals?: Totals,
  ): string {
    // Rows and tokens inserted, for BM25's totals (by default the entries written here).
    const added = totals ?? { rows: docs.length, tokens: docs.reduce((n, x) => n + x.doc.tokens, 0) };
    if (docs.length || gone.length) this.stats = null;
    if (docs.some((x) => x.doc.tokens > MAX_POSITION)) this.long = { at: Date.now(), any: true };
    const ids = param(docs.map((x) => x.storyId));
    const rows = param(String(added.rows));
    const tsv = COLUMNS.map((_, i) => param(docs.map((x) => x.doc.tsv[i])));
    return `search_gone AS (
         DELETE FROM search_doc WHERE story_id = ANY(${param(gone)}::text[])
       ), search_replaced AS (
         -- The statement's snapshot: the texts of the entries about to be renumbered (the foreign key is
         -- checked at the statement's end, when they are gone).
         DELETE FROM search_text WHERE doc_id IN (SELECT doc_id FROM search_doc WHERE story_id = ANY(${ids}::text[]))
       ), search_totals AS (
         -- FTS5's totals (migration 009), in this statement: a publish stays one round trip.
         INSERT INTO search_meta (key, value) SELECT * FROM (VALUES ('bm25_rows', ${rows}::text), ('bm25_tokens', ${param(String(added.tokens))}::text)) t
          WHERE ${rows}::bigint > 0
         ON CONFLICT (key) DO UPDATE SET value = (search_meta.value::bigint + excluded.value::bigint)::text
       ), search_vocabulary_added AS (
         INSERT INTO search_vocabulary (term, freq) SELECT * FROM unnest(${param(terms)}::text[], ${param(freqs)}::bigint[])
         ON CONFLICT (term) DO UPDATE SET freq = search_vocabulary.freq + excluded.freq
       ), search_docs AS (
         INSERT INTO search_doc (story_id, version, language, urgency, media_type, published_at, categories, tokens, terms,
                                 h, hs, b, bs, byline, dateline, category, keyword)
         SELECT story_id, version, language, urgency, media_type, published_at, categories::text[], tokens, terms::text[],
                h::tsvector, hs::tsvector, b::tsvector, bs::tsvector, byline::tsvector, dateline::tsvector, category::tsvector, keyword::tsvector
         FROM unnest(${ids}::text[], ${param(docs.map((x) => x.version))}::bigint[], ${param(docs.map((x) => x.doc.d.language))}::text[],
                     ${param(docs.map((x) => x.doc.d.urgency))}::bigint[], ${param(docs.map((x) => x.doc.d.mediaType))}::text[],
                     ${param(docs.map((x) => x.doc.d.publishedAt))}::text[], ${param(docs.map((x) => arrayLiteral(x.doc.d.categories)))}::text[],
                     ${param(docs.map((x) => x.doc.tokens))}::bigint[], ${param(docs.map((x) => x.doc.terms))}::text[],
                     ${tsv.map((t) => `${t}::text[]`).join(', ')})
              WITH ORDINALITY AS u(story_id, version, language, urgency, media_type, published_at, categories, tokens, terms,
                                   h, hs, b, bs, byline, dateline, category, keyword, n)
         ORDER BY n
         ON CONFLICT (story_id) DO UPDATE SET
           doc_id = excluded.doc_id, version = excluded.version, language = excluded.language, urgency = excluded.urgency,
           media_type = excluded.media_type, published_at = excluded.published_at, categories = excluded.categories,
           tokens = excluded.tokens, terms = excluded.terms, h = excluded.h, hs = excluded.hs, b = excluded.b, bs = excluded.bs,
           byline = excluded.byline, dateline = excluded.dateline, category = excluded.category, keyword = excluded.keyword
         RETURNING doc_id, story_id
       ), search_texts AS (
         INSERT INTO search_text (doc_id, headline, body)
         SELECT search_docs.doc_id, t.headline, t.body FROM search_docs
           JOIN unnest(${ids}::text[], ${param(docs.map((x) => x.doc.d.headline))}::text[], ${param(docs.map((x) => x.doc.d.body))}::text[])
             AS t(story_id, headline, body) USING (story_id)
       )`;
  }

  async removeStory(sql: Sql, storyId: string): Promise<void> {
    // search_text goes with it (ON DELETE CASCADE).
    const r = await sql.query('DELETE FROM search_doc WHERE story_id = $1', [storyId]);
    if (r.rowCount) this.stats = null;
  }

  /**
   * Rebuilds the index from `versions` (a function returning a fresh iterable: it is read twice). The
   * vocabulary is counted over everything first, as on SQLite, so every story is stemmed under the
   * same counts. `stillCurrent` filters each chunk inside its transaction (a version superseded or
   * killed meanwhile is not written back).
   */
  async rebuild(
    versions: () => AsyncIterable<StoryVersion> | Iterable<StoryVersion>,
    stillCurrent?: (sql: Sql, chunk: StoryVersion[]) => Promise<Set<string>>,
    onProgress?: (done: number, phase: 'vocabulary' | 'index') => void,
  ): Promise<number> {
    await this.ready();
    // A background refresh must not replace the counts being made (nor land in the middle of them).
    await this.refreshing;
    this.rebuilding = true;
    try {
      return await this.rebuildCounted(versions, stillCurrent, onProgress);
    } finally {
      this.rebuilding = false;
    }
  }

  private async rebuildCounted(
    versions: () => AsyncIterable<StoryVersion> | Iterable<StoryVersion>,
    stillCurrent?: (sql: Sql, chunk: StoryVersion[]) => Promise<Set<string>>,
    onProgress?: (done: number, phase: 'vocabulary' | 'index') => void,
  ): Promise<number> {
    this.vocabulary.restart();
    let n = 0;
    for await (const v of versions()) {
      if (v.pubStatus !== 'canceled' && v.kind !== 'killed') this.vocabulary.addAll(this.vocabulary.surfaceCounts(v));
      if (++n % 500 === 0) onProgress?.(n, 'vocabulary');
    }
    const vocab = this.vocabulary.entries();
    await writeWith(this.pool, 'starting a search index rebuild', async (sql) => {
      // As FTS5's 'delete-all': the BM25 totals start again.
      await sql.query(`DELETE FROM search_doc; DELETE FROM search_vocabulary; DELETE FROM search_meta WHERE key IN ('bm25_rows', 'bm25_tokens')`);
      for (let i = 0; i < vocab.length; i += 5000) {
        const part = vocab.slice(i, i + 5000);
        await sql.query('INSERT INTO search_vocabulary (term, freq) SELECT * FROM unnest($1::text[], $2::bigint[])', [
          part.map((e) => e[0]),
          part.map((e) => e[1]),
        ]);
      }
    });
    let indexed = 0;
    let chunk: StoryVersion[] = [];
    const flush = async () => {
      const list = chunk.filter((v) => v.pubStatus !== 'canceled' && v.kind !== 'killed');
      chunk = [];
      if (!list.length) return;
      indexed += await writeWith(this.pool, 'rebuilding the search index', async (sql) => {
        const current = stillCurrent ? await stillCurrent(sql, list) : null;
        const kept = current ? list.filter((v) => current.has(v.storyId)) : list;
        const opts = this.vocabulary.analyzeOptions();
        const last = new Map(kept.map((v) => [v.storyId, v]));
        await this.writeDocs(
          sql,
          [...last.values()].map((v) => ({ storyId: v.storyId, version: v.version, doc: preparedDoc(indexedDocument(v, opts)) })),
        );
        return kept.length;
      });
      onProgress?.(indexed, 'index');
    };
    for await (const v of versions()) {
      chunk.push(v);
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    await writeWith(this.pool, 'finishing a search index rebuild', (sql) =>
      sql.query(`INSERT INTO search_meta (key, value) VALUES ('analyzer_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [
        String(ANALYZER_VERSION),
      ]),
    );
    // Searches right after a rebuild as fast as later ones: the pending list merged, the planner's
    // statistics those of the new index (autovacuum would come to both, minutes later).
    // A role that may not merge (not the index's owner) leaves that to autovacuum: the rebuild stands.
    await this.tidy().catch(() => 0);
    await readWith('analysing the rebuilt search index', () => this.pool.query('ANALYZE search_doc, search_text'));
    this.stats = null;
    return indexed;
  }

  async reindex(onProgress?: (done: number, total: number, phase: 'vocabulary' | 'index') => void) {
    const t0 = performance.now();
    const total = await readWith('counting published stories', async () =>
      Number((await this.pool.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM stories WHERE status = 'published'`)).rows[0].n),
    );
    const indexed = await this.rebuild(
      () => liveVersions(this.pool),
      (sql, chunk) => currentIn(sql, chunk),
      (done, phase) => onProgress?.(done, total, phase),
    );
    onProgress?.(indexed, total, 'index');
    return { indexed, ms: performance.now() - t0 };
  }

  async needsReindex(): Promise<boolean> {
    return readWith('reading the search index version', async () => {
      const { rows } = await this.pool.query<{ value: string | null; docs: number }>(
        `SELECT (SELECT value FROM search_meta WHERE key = 'analyzer_version') AS value,
                (SELECT count(*)::bigint FROM (SELECT 1 FROM search_doc LIMIT 1) x) AS docs`,
      );
      const r = rows[0];
      return r.docs > 0 && (r.value === null || Number(r.value) !== ANALYZER_VERSION);
    });
  }

  private running: Promise<{ indexed: number; rebuilt: boolean }> | null = null;

  catchUp(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number; rebuilt: boolean }> {
    this.running ??= this.runCatchUp(onProgress).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runCatchUp(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number; rebuilt: boolean }> {
    if (await this.needsReindex()) {
      const r = await this.reindex((done, total, phase) => {
        if (phase === 'index') onProgress?.(done, total);
      });
      return { indexed: r.indexed, rebuilt: true };
    }
    await this.ready();
    const total = await this.missingCount();
    let indexed = 0;
    let after = '';
    while (total) {
      const chunk = await readWith('reading stories missing from search', () => missingVersions(this.pool, after, CHUNK));
      if (!chunk.length) break;
      after = chunk[chunk.length - 1].storyId;
      // Written as a publish writes them (vocabulary counted as it goes), one short transaction a chunk.
      indexed += await writeWith(this.pool, 'catching up the search index', async (sql) => {
        const current = await currentIn(sql, chunk);
        const kept = chunk.filter((v) => current.has(v.storyId));
        await this.indexVersions(sql, kept);
        return kept.length;
      });
      onProgress?.(indexed, total);
    }
    this.counted = null;
    return { indexed, rebuilt: false };
  }

  private async missingCount(): Promise<number> {
    return readWith('counting stories missing from search', async () =>
      Number(
        (
          await this.pool.query<{ n: number }>(
            `SELECT count(*)::bigint AS n FROM stories s LEFT JOIN search_doc d ON d.story_id = s.id
             WHERE s.status = 'published' AND (d.version IS NULL OR d.version <> s.latest_version)`,
          )
        ).rows[0].n,
      ),
    );
  }

  // A health check polls this every second: the join is counted at most every 2 s (60 s once complete).
  private counted: { at: number; missing: number } | null = null;

  async status(): Promise<SearchIndexStatus> {
    const analyzerOutdated = await this.needsReindex();
    const ttl = this.counted?.missing === 0 && !this.running ? 60_000 : 2000;
    if (!this.counted || Date.now() - this.counted.at > ttl || this.running) this.counted = { at: Date.now(), missing: await this.missingCount() };
    const missing = this.counted.missing;
    return { complete: !analyzerOutdated && missing === 0, catchingUp: this.running !== null, missing, analyzerOutdated };
  }

  async count(): Promise<number> {
    return readWith('counting searchable stories', async () =>
      Number((await this.pool.query<{ n: number }>('SELECT count(*)::bigint AS n FROM search_doc')).rows[0].n),
    );
  }

  /**
   * Whether some story in the index has a column past the 16,383 positions a tsvector numbers (a partial
   * index answers at once). Phrase matching then takes a slower path for such stories only; an archive
   * without any keeps the plain one. Known to this process the moment it indexes one, to the others
   * within 2 s (as BM25's totals).
   */
  private async longStories(): Promise<boolean> {
    if (this.long && (this.long.any || Date.now() - this.long.at < 2000)) return this.long.any;
    const { rows } = await readWith('searching', () =>
      this.pool.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM search_doc WHERE tokens > ${MAX_POSITION}) AS any`),
    );
    this.long = { at: Date.now(), any: rows[0].any };
    return this.long.any;
  }

  /**
   * Merges GIN's pending list into the index. With `fastupdate` a publish adds its entries to that list
   * (cheap to write), but every search scans the list whole until it is merged, which PostgreSQL does only
   * when it reaches 4 MB or at autovacuum: on the held-out corpus, 2 MB pending made searches p50 23 ms
   * instead of 7. Called every second by the server, the list stays a second's publishes long.
   */
  async tidy(): Promise<number> {
    if (this.tidyRefused) return 0;
    try {
      return await readWith('merging the search index pending list', async () =>
        Number((await this.pool.query<{ pages: string }>(`SELECT gin_clean_pending_list('search_doc_terms'::regclass) AS pages`)).rows[0].pages),
      );
    } catch (e) {
      // Only the index's owner may merge it: a role that did not run the migrations leaves it to
      // autovacuum (said once, not every second).
      if ((e as { cause?: { code?: string } }).cause?.code === '42501') this.tidyRefused = true;
      throw e;
    }
  }

  async embargoedStoryIds(now: Date): Promise<Set<string>> {
    return readWith('reading embargoed stories', async () => {
      const { rows } = await this.pool.query<{ story_id: string }>(
        `SELECT v.story_id FROM versions v JOIN stories s ON s.id = v.story_id AND s.latest_version = v.version
         WHERE v.embargo_until IS NOT NULL AND v.embargo_lifted_at IS NULL AND v.embargo_until > $1`,
        [now.toISOString()],
      );
      return new Set(rows.map((r) => r.story_id));
    });
  }

  // ----- reading -----

  async query(q: string | ParsedQuery, filters: SearchFilters = {}): Promise<SearchResult> {
    await this.ready();
    const parsed = typeof q === 'string' ? parseQuery(q) : q;
    const pf = parsed.filters;
    const qlang = filters.lang ?? (pf.languages?.length === 1 ? pf.languages[0] : undefined) ?? queryLanguage(parsed.text);
    const compiled = compileQuery(parsed.root, qlang, true, this.vocabulary);
    const tree = compiled.match ? parseMatch(compiled.match) : null;

    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    const long = tree ? await this.longStories() : false;
    if (tree) where.push(compiled.negated ? `NOT ${matchSql(tree.root, param, long)}` : matchSql(tree.root, param, long));
    const langs = intersect(filters.lang ? [filters.lang] : undefined, intersect(filters.languages, pf.languages));
    if (langs) where.push(`d.language = ANY(${param(langs.map((l) => l.toLowerCase()))}::text[])`);
    if (filters.categories) where.push(`d.categories && ${param(filters.categories)}::text[]`);
    if (filters.storyIds) where.push(`d.story_id = ANY(${param(filters.storyIds)}::text[])`);
    const from = maxDefined(instant(filters.from, 'from'), pf.from);
    const to = minDefined(instant(filters.to, 'to'), pf.to);
    if (from) where.push(`d.published_at >= ${param(from)}`);
    if (to) where.push(`d.published_at < ${param(to)}`);
    const umin = Math.max(filters.urgencyMin ?? 1, pf.urgencyMin ?? 1);
    const umax = Math.min(filters.urgencyMax ?? 9, pf.urgencyMax ?? 9);
    if (umin > 1) where.push(`d.urgency >= ${param(umin)}`);
    if (umax < 9) where.push(`d.urgency <= ${param(umax)}`);
    const cond = where.length ? ` WHERE ${where.join(' AND ')}` : '';

    const relevance = !!tree && !compiled.negated;
    const sort = filters.sort ?? (relevance ? 'relevance' : 'recency');
    const offset = Math.max(0, Math.floor(filters.offset ?? 0));
    const limit = Math.min(200, Math.max(0, Math.floor(filters.limit ?? 20)));
    const depth = this.rankWeights.depth;
    const fieldAware = sort === 'relevance' && relevance && compiled.words.length > 0 && offset < depth;

    return readWith('searching', async () => {
      let total: number;
      let facets: SearchResult['facets'];
      let page: Row[];
      if (relevance) {
        // Candidates from the GIN index, with the positions of the query's lexemes in each column they
        // search; the verdict and BM25 as FTS5 gives them, computed here.
        const phrases = tree!.phrases;
        const lexemes = [...new Set(phrases.flatMap((p) => p.tokens))];
        const searched = new Set(phrases.flatMap((p) => p.columns));
        const lx = param(lexemes);
        // setweight marks the query's lexemes, ts_filter keeps only them: both in C, one pass a column
        // (unnest() and a sub-select per row were seven times slower).
        const positions = COLUMNS.map((c, i) => (searched.has(i) ? `ts_filter(setweight(d.${c}, 'A', ${lx}::text[]), '{a}')::text AS p${i}` : `'' AS p${i}`));
        const { rows, idf, avgdl } = await this.indexScan(async (sql) => {
          const { idf, avgdl } = await this.bm25Inputs(sql, phrases, long);
          const { rows } = await sql.query<Row & { tokens: number } & Record<`p${number}`, string>>(
            `SELECT ${META}, d.tokens, ${positions.join(', ')} FROM search_doc d${cond}`,
            params,
          );
          return { rows, idf, avgdl };
        });
        // A lexeme too long for a tsvector is in `terms` only: count there for every row then.
        const tooLong = lexemes.some((t) => Buffer.byteLength(t) > MAX_LEXEME_BYTES);
        const counters = rows.map((r) => (tooLong ? null : positionsCounter(COLUMNS.map((_, i) => r[`p${i}`]))));
        const inexact = rows.filter((_, i) => !counters[i]).map((r) => r.doc_id);
        const terms = new Map<number, string[]>();
        if (inexact.length) {
          const t = await this.pool.query<{ doc_id: number; terms: string[] }>('SELECT doc_id, terms FROM search_doc WHERE doc_id = ANY($1::bigint[])', [
            inexact,
          ]);
          for (const r of t.rows) terms.set(r.doc_id, r.terms);
        }
        let scored: Row[] = [];
        const freq = new Array<number>(idf.length);
        rows.forEach((r, i) => {
          freq.fill(0);
          const count = counters[i] ?? termsCounter(terms.get(r.doc_id) ?? []);
          if (!evaluate(tree!.root, count, this.weights, freq)) return;
          let score = 0;
          for (let k = 0; k < idf.length; k++) score += (idf[k] * (freq[k] * (K1 + 1))) / (freq[k] + K1 * (1 - B + (B * r.tokens) / avgdl));
          scored.push({
            doc_id: r.doc_id,
            story_id: r.story_id,
            version: r.version,
            language: r.language,
            urgency: r.urgency,
            media_type: r.media_type,
            published_at: r.published_at,
            categories: r.categories,
            score,
          });
        });
        if (filters.allowed) {
          const allowed = filters.allowed;
          scored = scored.filter((r) => allowed(meta(r)));
        }
        scored.sort(sort === 'recency' ? byRecency : (a, b) => b.score - a.score || byRecency(a, b));
        if (fieldAware) scored = [...(await this.rank(scored.slice(0, depth), compiled.words)), ...scored.slice(depth)];
        total = scored.length;
        facets = facetCounts(scored, (r) => r.categories);
        page = scored.slice(offset, offset + limit);
      } else if (filters.allowed) {
        // A JS predicate has to see every candidate.
        const allowed = filters.allowed;
        const rows = (await this.pool.query<Row>(`SELECT ${META}, 0::float8 AS score FROM search_doc d${cond}`, params)).rows.filter((r) => allowed(meta(r)));
        rows.sort(byRecency);
        total = rows.length;
        facets = facetCounts(rows, (r) => r.categories);
        page = rows.slice(offset, offset + limit);
      } else {
        // A browse: PostgreSQL sorts and cuts the page, and counts facets in one grouped pass.
        page = (
          await this.pool.query<Row>(
            `SELECT ${META}, 0::float8 AS score FROM search_doc d${cond} ORDER BY d.published_at DESC, d.doc_id DESC LIMIT ${limit} OFFSET ${offset}`,
            params,
          )
        ).rows;
        const groups = (
          await this.pool.query<Row & { n: number }>(
            `SELECT d.language, d.urgency, substr(d.published_at, 1, 7) AS published_at, d.categories, count(*)::bigint AS n
             FROM search_doc d${cond} GROUP BY 1, 2, 3, 4`,
            params,
          )
        ).rows;
        total = groups.reduce((n, g) => n + g.n, 0);
        facets = facetCounts(groups, (r) => r.categories);
      }
      const hits = await this.hits(page, compiled.highlight);
      return { total, hits, facets, query: parsed };
    });
  }

  /**
   * Runs `fn` on one connection in a read-only transaction where the planner may not scan search_doc
   * whole. Its cost model prices `tsvector @@ tsquery` as one cheap operator, so on a small table it
   * picks a sequential scan, which then de-TOASTs every row's body tsvectors (hundreds of ms for a
   * common word); the GIN bitmap reads only the matching rows (a few ms). Measured with EXPLAIN
   * ANALYZE on the held-out corpus: 216 ms → 4 ms for a one-word count.
   */
  private async indexScan<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY; SET LOCAL enable_seqscan = off');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  /** Each phrase's IDF over the whole index (as FTS5: rows holding it in its columns) and the average length. */
  private async bm25Inputs(sql: Sql, phrases: Extract<MatchNode, { kind: 'phrase' }>[], long: boolean): Promise<{ idf: number[]; avgdl: number }> {
    if (!this.stats || Date.now() - this.stats.at > 2000) {
      // FTS5's totals, not the live rows' (see migration 009).
      const r = (
        await sql.query<{ rows: number; tokens: number }>(
          `SELECT coalesce((SELECT value FROM search_meta WHERE key = 'bm25_rows'), '0')::bigint AS rows,
                  coalesce((SELECT value FROM search_meta WHERE key = 'bm25_tokens'), '0')::bigint AS tokens`,
        )
      ).rows[0];
      this.stats = { at: Date.now(), rows: r.rows, tokens: r.tokens };
    }
    const { rows: n, tokens } = this.stats;
    // The same phrase often stands several times in a query (surface form = stem): counted once. All
    // counts in one statement: one round trip, however many phrases.
    const slot = new Map<string, number>();
    const counts: string[] = [];
    const args: unknown[] = [];
    const param = (v: unknown) => `$${args.push(v)}`;
    const at = phrases.map((p) => {
      const key = p.columns.join(',') + '\u0000' + p.tokens.join(' ');
      let i = slot.get(key);
      if (i === undefined) {
        slot.set(key, (i = counts.length));
        counts.push(`(SELECT count(*) FROM search_doc WHERE ${matchSql(p, param, long)})::bigint AS n${i}`);
      }
      return i;
    });
    const counted = counts.length ? (await sql.query<Record<string, number>>(`SELECT ${counts.join(', ')}`, args)).rows[0] : {};
    const hits = at.map((i) => counted[`n${i}`]);
    const idf = hits.map((h) => {
      const x = Math.log((n - h + 0.5) / (h + 0.5));
      return x <= 0 ? 1e-6 : x;
    });
    return { idf, avgdl: n ? tokens / n : 1 };
  }

  /** BM25's best rows re-scored by their headlines (rank.ts); ties keep BM25's order. As searcher.ts. */
  private async rank(rows: Row[], words: MatchSet[]): Promise<Row[]> {
    const heads = await this.texts(rows.map((r) => r.doc_id));
    return this.ranker.rank(rows, words, (r) => heads.get(r.doc_id)?.headline ?? '', this.vocabulary.analyzeOptions());
  }

  private async texts(docIds: number[]): Promise<Map<number, { headline: string; body: string }>> {
    if (!docIds.length) return new Map();
    const { rows } = await this.pool.query<{ doc_id: number; headline: string; body: string }>(
      'SELECT doc_id, headline, body FROM search_text WHERE doc_id = ANY($1::bigint[])',
      [docIds],
    );
    return new Map(rows.map((r) => [r.doc_id, r]));
  }

  /** The page's hits with highlighted headlines and snippets, as searcher.ts builds them. */
  private async hits(page: Row[], highlight: MatchSet): Promise<SearchHit[]> {
    const texts = await this.texts(page.map((r) => r.doc_id));
    const memos = new Map<string, Map<string, boolean>>();
    const accepts = (term: string, stem: string) => highlight.terms.has(term) || highlight.stems.has(stem);
    const spansOf = (text: string, lang: string, opts: FullAnalyzeOptions) => {
      let memo = memos.get(lang);
      if (!memo) memos.set(lang, (memo = new Map()));
      return acceptedWordSpans(text, lang, opts, accepts, memo);
    };
    const opts = this.vocabulary.analyzeOptions();
    return page.map((r) => {
      const t = texts.get(r.doc_id) ?? { headline: '', body: '' };
      const ranked = this.ranker.tokensOf(r.language, t.headline, opts);
      const headSpans = ranked ? matchSpans(ranked, highlight) : spansOf(t.headline, r.language, opts);
      const bodySpans = bodySpansOf(t.body, r.language, highlight, opts, spansOf, this.snippetLength);
      return {
        ...meta(r),
        score: r.score,
        headline: t.headline,
        headlineHtml: markHtml(t.headline, headSpans),
        snippetHtml: snippetHtml(t.body, bodySpans, this.snippetLength),
      };
    });
  }
}

// ---------- versions from the store ----------

/** The latest version of every published story, a page at a time. */
async function* liveVersions(pool: pg.Pool): AsyncIterable<StoryVersion> {
  let after = '';
  for (;;) {
    const { rows } = await readWith('reading published versions', () =>
      pool.query<VersionRow>(
        `SELECT v.* FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version
         WHERE s.status = 'published' AND s.id > $1 COLLATE "C" ORDER BY s.id COLLATE "C" LIMIT 1000`,
        [after],
      ),
    );
    if (!rows.length) return;
    yield* rows.map(toVersion);
    after = rows[rows.length - 1].story_id;
  }
}

/** Up to `limit` latest versions of published stories after story `after` that the index lacks. */
async function missingVersions(pool: pg.Pool, after: string, limit: number): Promise<StoryVersion[]> {
  const { rows } = await pool.query<VersionRow>(
    `SELECT v.* FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version
     LEFT JOIN search_doc d ON d.story_id = s.id
     WHERE s.status = 'published' AND s.id > $1 COLLATE "C" AND (d.version IS NULL OR d.version <> s.latest_version)
     ORDER BY s.id COLLATE "C" LIMIT $2`,
    [after, limit],
  );
  return rows.map(toVersion);
}

/**
 * Story ids of `chunk` whose version is still the story's latest and the story live, read in the writing
 * transaction. The rows are share-locked (in id order) until it ends: a publish of one of them waits, or
 * has committed and is seen here, so two writers never insert the same story's entry at once.
 */
async function currentIn(sql: Sql, chunk: StoryVersion[]): Promise<Set<string>> {
  const { rows } = await sql.query<{ id: string; latest_version: number }>(
    `SELECT id, latest_version FROM stories WHERE id = ANY($1::text[]) AND status = 'published' ORDER BY id COLLATE "C" FOR SHARE`,
    [chunk.map((v) => v.storyId)],
  );
  const latest = new Map(rows.map((r) => [r.id, r.latest_version]));
  return new Set(chunk.filter((v) => latest.get(v.storyId) === v.version).map((v) => v.storyId));
}
