// Full-text search over published versions: SQLite FTS5 over pre-analyzed terms, on the store's own
// better-sqlite3 handle and synchronous, so the store can index inside its publish transaction and a
// version is searchable the moment it is acknowledged.
//
// Layout. `search_fts` is contentless (we only ever need rowids and bm25 back): each text field is
// indexed twice, as folded surface forms (h, b) and as stems (hs, bs), word-aligned so phrases work on
// either. Small fields keep surface forms then stems in one column. The FTS tokenizer is `ascii`:
// our analyzer already split and folded, and `ascii` keeps every non-ASCII letter as part of a term,
// so what we wrote is exactly what is indexed. `search_doc` holds filter/facet columns and the
// original text for snippets. `search_vocabulary` counts surface forms for the proclitic rule.
import type Database from 'better-sqlite3';
import type { StoryVersion } from '../model/story.ts';
import { bodyText } from '../model/story.ts';
import {
  analyze, detectLanguage, DEFAULT_SYNONYMS, ProtectedNames, SynonymTable, type FullAnalyzeOptions, type Token, type Vocabulary,
} from '../text/index.ts';
import { parseQuery, QuerySyntaxError, type ParsedQuery, type QueryNode, type SearchField } from './query.ts';
import { matchSpans, markHtml, snippetHtml, type MatchSet } from './snippet.ts';

// One import for callers (store, HTTP, CLI): the parser and its error come with the index.
export { parseQuery, QuerySyntaxError, MAX_QUERY_LENGTH, type ParsedQuery, type QueryNode, type QueryFilters, type SearchField } from './query.ts';

/** Bumped whenever analysis changes in a way that needs a reindex. */
export const ANALYZER_VERSION = 1;

const COLUMNS = ['h', 'hs', 'b', 'bs', 'byline', 'dateline', 'category', 'keyword'] as const;
/** BM25 column weights: a headline outweighs the body, an exact form outweighs a stem. */
export const DEFAULT_WEIGHTS: Record<(typeof COLUMNS)[number], number> = {
  h: 3.5, hs: 3, b: 1.2, bs: 1, byline: 2, dateline: 1.5, category: 1, keyword: 2,
};

/**
 * Columns a field searches: [surface columns, stem columns]. An unfielded word carries no column
 * filter at all: FTS5 then skips a per-hit column check (half the cost of ranking a common word), and
 * surface forms and stems rarely collide as strings; when they do it is the same word anyway.
 */
const FIELD_COLUMNS: Record<SearchField | 'any', [string[], string[]]> = {
  any: [[], []],
  headline: [['h'], ['hs']],
  body: [['b'], ['bs']],
  byline: [['byline'], ['byline']],
  dateline: [['dateline'], ['dateline']],
  category: [['category'], ['category']],
  keyword: [['keyword'], ['keyword']],
};

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

interface Row {
  doc_id: number;
  story_id: string;
  version: number;
  language: string;
  urgency: number;
  media_type: string;
  published_at: string;
  categories: string;
  score: number;
}

interface Compiled {
  match: string | null;
  /** True when the root is pure exclusion (`-sport`): rows NOT matching `match`. */
  negated: boolean;
  highlight: MatchSet;
}

export class SearchIndex implements Vocabulary {
  private readonly db: Database.Database;
  private readonly names: ProtectedNames | undefined;
  private readonly synonyms: SynonymTable;
  private readonly weights: number[];
  private readonly snippetLength: number;
  private vocab: Map<string, number> | null = null;
  /** Stems computed under the current vocabulary; dropped whenever the vocabulary moves. */
  private stemCache = new Map<string, string>();
  private readonly st: ReturnType<SearchIndex['prepare']>;

  constructor(db: Database.Database, opts: SearchIndexOptions = {}) {
    this.db = db;
    if (opts.migrate !== false) {
      db.exec(SearchIndex.migrationSql());
      // A fresh index is built by this analyzer from its first story on.
      db.prepare(
        "INSERT OR IGNORE INTO search_meta (key, value) SELECT 'analyzer_version', ? WHERE NOT EXISTS (SELECT 1 FROM search_doc)",
      ).run(String(ANALYZER_VERSION));
    }
    this.names = opts.protectedNames;
    const w = { ...DEFAULT_WEIGHTS, ...opts.weights };
    this.weights = COLUMNS.map((c) => w[c]);
    this.snippetLength = opts.snippetLength ?? 200;
    this.synonyms = new SynonymTable(opts.synonyms ?? DEFAULT_SYNONYMS, (form) =>
      analyze(form, 'ar', { protectedNames: this.names }).map((t) => t.stem),
    );
    this.st = this.prepare();
  }

  static migrationSql(): string {
    return `
CREATE TABLE IF NOT EXISTS search_doc (
  doc_id INTEGER PRIMARY KEY,
  story_id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  language TEXT NOT NULL,
  urgency INTEGER NOT NULL,
  media_type TEXT NOT NULL DEFAULT 'text',
  published_at TEXT NOT NULL,
  categories TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_doc_published ON search_doc(published_at);
-- Texts live apart so search_doc stays a few dozen bytes a row: ranking and facets touch every
-- matching row's metadata, and only the page's ten rows need text.
CREATE TABLE IF NOT EXISTS search_text (
  doc_id INTEGER PRIMARY KEY,
  headline TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_doc_category (
  category TEXT NOT NULL,
  doc_id INTEGER NOT NULL,
  PRIMARY KEY (category, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_doc_category_doc ON search_doc_category(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
  ${COLUMNS.join(', ')}, content='', contentless_delete=1, tokenize='ascii'
);
CREATE TABLE IF NOT EXISTS search_vocabulary (
  term TEXT PRIMARY KEY,
  freq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
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
      insertDoc: db.prepare(
        'INSERT INTO search_doc (story_id, version, language, urgency, media_type, published_at, categories) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertCat: db.prepare('INSERT OR IGNORE INTO search_doc_category (category, doc_id) VALUES (?, ?)'),
      insertFts: db.prepare(`INSERT INTO search_fts (rowid, ${COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      bumpVocab: db.prepare(
        'INSERT INTO search_vocabulary (term, freq) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET freq = freq + excluded.freq',
      ),
      texts: db.prepare<[number], { headline: string; body: string }>('SELECT headline, body FROM search_text WHERE doc_id = ?'),
    };
  }

  // ---- vocabulary (the proclitic rule's memory) -------------------------------------------------

  /** How often a folded surface form occurs in the indexed archive. */
  frequency(term: string): number {
    return this.vocabulary().get(term) ?? 0;
  }

  private vocabulary(): Map<string, number> {
    if (!this.vocab) {
      this.vocab = new Map();
      for (const r of this.db.prepare<[], { term: string; freq: number }>('SELECT term, freq FROM search_vocabulary').iterate())
        this.vocab.set(r.term, r.freq);
    }
    return this.vocab;
  }

  /** Add a text's surface forms to the vocabulary; returns the per-term counts it added. */
  private countSurface(v: StoryVersion, persist: boolean): void {
    const counts = new Map<string, number>();
    for (const text of [v.content.headline, v.content.deck ?? '', bodyText(v.content.body)])
      for (const t of analyze(text, v.content.language, { stems: false, protectedNames: this.names }))
        counts.set(t.term, (counts.get(t.term) ?? 0) + 1);
    const vocab = this.vocabulary();
    this.stemCache = new Map();
    for (const [term, n] of counts) {
      vocab.set(term, (vocab.get(term) ?? 0) + n);
      if (persist) this.st.bumpVocab.run(term, n);
    }
  }

  // ---- writing ------------------------------------------------------------------------------------

  /**
   * Make this version the story's searchable entry (replacing any earlier version). Killed/canceled
   * versions remove the story instead. Call inside the publish transaction.
   */
  indexVersion(v: StoryVersion): void {
    if (v.pubStatus === 'canceled' || v.kind === 'killed') {
      this.removeStory(v.storyId);
      return;
    }
    this.countSurface(v, true);
    this.write(v);
  }

  private write(v: StoryVersion): void {
    this.removeStory(v.storyId);
    const c = v.content;
    const lang = c.language || 'und';
    const opts = { vocabulary: this, protectedNames: this.names, stemCache: this.stemCache };
    const body = [c.deck ?? '', bodyText(c.body)].filter(Boolean).join('\n\n');
    const head = analyze(c.headline, lang, opts);
    const main = analyze(body, lang, opts);
    // Small fields mix scripts (a Turkish place name on an Arabic story): each text keeps its own language.
    const small = (texts: [string, string][]) => {
      const toks = texts.flatMap(([t, l]) => analyze(t, l, opts));
      return [...toks.map((t) => t.term), ...toks.filter((t) => t.stem !== t.term).map((t) => t.stem)].join(' ');
    };
    const own = (t: string | undefined): [string, string][] => (t ? [[t, lang]] : []);
    const other = (m: Record<string, string> | undefined): [string, string][] => Object.entries(m ?? {}).map(([l, t]) => [t, l]);
    const byline = c.byline.flatMap((p) => [...own(p.name), ...other(p.names)]);
    const dl = c.dateline;
    const dateline = dl ? [...own(dl.place), ...other(dl.placeNames), ...own(dl.reporter), ...own(dl.agency)] : [];
    const cats = [...new Set(c.categories)];
    const publishedAt = v.firstPublishedAt || v.versionCreatedAt;
    const info = this.st.insertDoc.run(v.storyId, v.version, lang.toLowerCase(), c.urgency, c.mediaType ?? 'text', publishedAt, cats.join('\n'));
    const docId = Number(info.lastInsertRowid);
    this.st.insertText.run(docId, c.headline, body);
    for (const cat of cats) this.st.insertCat.run(cat, docId);
    this.st.insertFts.run(
      docId,
      head.map((t) => t.term).join(' '),
      head.map((t) => t.stem).join(' '),
      main.map((t) => t.term).join(' '),
      main.map((t) => t.stem).join(' '),
      small(byline),
      small(dateline),
      small(cats.map((t) => [t, lang])),
      small([...c.keywords, ...c.hashtags].map((t) => [t, lang])),
    );
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
    const vocab = new Map<string, number>();
    this.vocab = vocab;
    let n = 0;
    for (const v of versions) {
      if (v.pubStatus !== 'canceled' && v.kind !== 'killed') this.countSurface(v, false);
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
    this.db.transaction(() => {
      for (const v of versions) {
        if (v.pubStatus === 'canceled' || v.kind === 'killed') continue;
        if (stillCurrent && !stillCurrent(v)) continue;
        this.write(v);
        written++;
      }
    }).immediate();
    return written;
  }

  /** Last step of a rebuild: records which analyzer built the index. */
  finishRebuild(): void {
    this.db.prepare("INSERT INTO search_meta (key, value) VALUES ('analyzer_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(ANALYZER_VERSION));
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

  // ---- reading ------------------------------------------------------------------------------------

  /** Run a query (text in the query language, or already parsed). Throws QuerySyntaxError on bad input. */
  search(q: string | ParsedQuery, filters: SearchFilters = {}): SearchResult {
    const parsed = typeof q === 'string' ? parseQuery(q) : q;
    const pf = parsed.filters;
    const qlang =
      filters.lang ?? (pf.languages?.length === 1 ? pf.languages[0] : undefined) ?? queryLanguage(parsed.text);
    const compiled = this.compile(parsed.root, qlang, true);
    // Counting and facets need the match set only; without the phrase boosts it is the same set, cheaper.
    const setMatch = compiled.match && !compiled.negated ? this.compile(parsed.root, qlang, false).match : null;

    const where: string[] = [];
    const params: unknown[] = [];
    const langs = intersect(filters.lang ? [filters.lang] : undefined, intersect(filters.languages, pf.languages));
    if (langs) {
      where.push(`d.language IN (${langs.map(() => '?').join(',')})`);
      params.push(...langs.map((l) => l.toLowerCase()));
    }
    if (filters.categories) {
      where.push(`d.doc_id IN (SELECT doc_id FROM search_doc_category WHERE category IN (${filters.categories.map(() => '?').join(',')}))`);
      params.push(...filters.categories);
    }
    if (filters.storyIds) {
      where.push(`d.story_id IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(filters.storyIds));
    }
    const from = maxDefined(instant(filters.from, 'from'), pf.from);
    const to = minDefined(instant(filters.to, 'to'), pf.to);
    if (from) { where.push('d.published_at >= ?'); params.push(from); }
    if (to) { where.push('d.published_at < ?'); params.push(to); }
    const umin = Math.max(filters.urgencyMin ?? 1, pf.urgencyMin ?? 1);
    const umax = Math.min(filters.urgencyMax ?? 9, pf.urgencyMax ?? 9);
    if (umin > 1) { where.push('d.urgency >= ?'); params.push(umin); }
    if (umax < 9) { where.push('d.urgency <= ?'); params.push(umax); }

    const cols = 'd.doc_id, d.story_id, d.version, d.language, d.urgency, d.media_type, d.published_at, d.categories';
    let sql: string;
    if (compiled.match && !compiled.negated) {
      sql = `SELECT ${cols}, -bm25(search_fts, ${this.weights.join(', ')}) AS score
        FROM search_fts JOIN search_doc d ON d.doc_id = search_fts.rowid
        WHERE search_fts MATCH ?${where.length ? ' AND ' + where.join(' AND ') : ''}`;
      params.unshift(compiled.match);
    } else {
      if (compiled.match) {
        where.unshift('d.doc_id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)');
        params.unshift(compiled.match);
      }
      sql = `SELECT ${cols}, 0 AS score FROM search_doc d${where.length ? ' WHERE ' + where.join(' AND ') : ''}`;
    }

    const run = <T>(sqlText: string, args: unknown[]): T[] => {
      try {
        return this.db.prepare<unknown[], T>(sqlText).all(...args);
      } catch (e) {
        // The compiler only emits quoted, analyzed terms; reaching here is our bug, not the user's.
        // Never leak FTS5's message to the caller.
        throw new Error(`search failed for an internally built query: ${(e as Error).message}`);
      }
    };
    const meta = (r: Row): SearchDocMeta => ({
      storyId: r.story_id, version: r.version, language: r.language,
      categories: r.categories ? r.categories.split('\n') : [], urgency: r.urgency, mediaType: r.media_type, publishedAt: r.published_at,
    });
    const relevance = !!compiled.match && !compiled.negated;
    const sort = filters.sort ?? (relevance ? 'relevance' : 'recency');
    const offset = Math.max(0, Math.floor(filters.offset ?? 0));
    const limit = Math.min(200, Math.max(0, Math.floor(filters.limit ?? 20)));
    const byRecency = (a: Row, b: Row) => (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : b.doc_id - a.doc_id);

    let total: number;
    let facets: SearchResult['facets'];
    let page: Row[];
    if (filters.allowed) {
      // A JS predicate has to see every candidate: fetch them all, then count and sort here.
      const allowed = filters.allowed;
      const rows = run<Row>(sql, params).filter((r) => allowed(meta(r)));
      rows.sort(sort === 'recency' ? byRecency : (a, b) => b.score - a.score || byRecency(a, b));
      total = rows.length;
      facets = facetCounts(rows.map((r) => ({ ...r, n: 1 })));
      page = rows.slice(offset, offset + limit);
    } else {
      // Let SQLite rank and cut the page, and count facets in one grouped pass: wide queries
      // (قال matches a quarter of the archive) must not materialize thousands of rows in JS.
      const order = sort === 'recency' ? 'published_at DESC, doc_id DESC' : 'score DESC, published_at DESC, doc_id DESC';
      page = run<Row>(`SELECT * FROM (${sql}) ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, limit, offset]);
      const setParams = setMatch ? [setMatch, ...params.slice(1)] : params;
      const groups = run<Row & { n: number }>(
        `SELECT language, urgency, substr(published_at, 1, 7) AS published_at, categories, count(*) AS n FROM (${sql.replace(/-bm25\([^)]*\)/, '0')}) GROUP BY 1, 2, 3, 4`,
        setParams,
      );
      total = groups.reduce((n, g) => n + g.n, 0);
      facets = facetCounts(groups);
    }
    const hits = page.map((r) => this.hit(r, meta(r), compiled.highlight));
    return { total, hits, facets, query: parsed };
  }

  private hit(r: Row, m: SearchDocMeta, highlight: MatchSet): SearchHit {
    const texts = this.st.texts.get(r.doc_id)!;
    const opts = { vocabulary: this, protectedNames: this.names, stemCache: this.stemCache };
    const headSpans = matchSpans(analyze(texts.headline, r.language, opts), highlight);
    const bodySpans = this.bodySpans(texts.body, r.language, highlight, opts);
    return {
      ...m,
      score: r.score,
      headline: texts.headline,
      headlineHtml: markHtml(texts.headline, headSpans),
      snippetHtml: snippetHtml(texts.body, bodySpans, this.snippetLength),
    };
  }

  /**
   * Match spans of the body, read a slice at a time: the snippet shows the first slice with a match,
   * and a long feature should not cost its full analysis on every results page.
   */
  private bodySpans(body: string, lang: string, highlight: MatchSet, opts: FullAnalyzeOptions): [number, number][] {
    const SLICE = 2000;
    for (let from = 0; from < body.length; ) {
      let to = Math.min(body.length, from + SLICE);
      if (to < body.length) {
        const space = body.indexOf(' ', to);
        to = space < 0 ? body.length : space;
      }
      const spans = matchSpans(analyze(body.slice(from, to), lang, opts), highlight);
      if (spans.length) return spans.map(([a, b]) => [a + from, b + from]);
      from = to;
    }
    return [];
  }

  // ---- query compilation ----------------------------------------------------------------------------

  /** Tree → FTS5 MATCH text built only from analyzed terms in double quotes and our own column names. */
  private compile(root: QueryNode | null, lang: string, boost: boolean): Compiled {
    const highlight: MatchSet = { terms: new Set(), stems: new Set() };
    if (!root) return { match: null, negated: false, highlight };
    const analyzeQ = (text: string) =>
      analyze(text, lang, { vocabulary: this, protectedNames: this.names, stemCache: this.stemCache }).filter((t) => SAFE_TERM.test(t.term) && SAFE_TERM.test(t.stem));
    const collect = (toks: Token[]) => {
      for (const t of toks) {
        highlight.terms.add(t.term);
        highlight.stems.add(t.stem);
      }
    };

    const leaf = (node: { text: string; field?: SearchField }, phrase: boolean, negative: boolean): string | null => {
      const toks = analyzeQ(node.text);
      if (toks.length === 0) return null;
      if (!negative) collect(toks);
      const [surf, stem] = FIELD_COLUMNS[node.field ?? 'any'];
      const terms = toks.map((t) => t.term);
      const stems = toks.map((t) => t.stem);
      const alts = [columns(surf) + quote(terms), columns(stem) + quote(stems)];
      if (alts[0] === alts[1]) alts.pop();
      for (const v of this.synonyms.variants(stems)) {
        alts.push(columns(stem) + quote(v));
        if (!negative) v.forEach((s) => highlight.stems.add(s));
      }
      void phrase; // a multi-word "term" (e.g. al-Qaeda) is a phrase either way
      return `(${alts.join(' OR ')})`;
    };

    const walk = (node: QueryNode, negative: boolean): string | null => {
      switch (node.kind) {
        case 'term':
          return leaf(node, false, negative);
        case 'phrase':
          return leaf(node, true, negative);
        case 'or': {
          const parts = node.children.map((c) => walk(c, negative)).filter((p): p is string => p !== null);
          return parts.length ? `(${parts.join(' OR ')})` : null;
        }
        case 'not':
          return walk(node.child, !negative);
        case 'and': {
          const pos: string[] = [];
          const neg: string[] = [];
          const kids = node.children;
          for (let i = 0; i < kids.length; i++) {
            const c = kids[i];
            // Words typed side by side that spell a multi-word synonym (تنظيم الدولة) also find the
            // other form (داعش), and vice versa through the leaf rule.
            const joined = this.synonymRun(kids, i, analyzeQ);
            if (joined) {
              if (!negative) collect(joined.tokens);
              const alts = [quote(joined.tokens.map((t) => t.term)), quote(joined.tokens.map((t) => t.stem))];
              for (const v of joined.variants) {
                alts.push(quote(v));
                if (!negative) v.forEach((x) => highlight.stems.add(x));
              }
              pos.push(`(${alts.join(' OR ')})`);
              i += joined.length - 1;
              continue;
            }
            if (c.kind === 'not') {
              const n = walk(c.child, !negative);
              if (n) neg.push(n);
            } else {
              const p = walk(c, negative);
              if (p) pos.push(p);
            }
          }
          if (pos.length === 0) {
            if (neg.length === 0) return null;
            throw new QuerySyntaxError('Excluded terms (NOT or -) inside parentheses need a term to search for next to them.');
          }
          let expr = pos.length === 1 ? pos[0] : `(${pos.join(' AND ')})`;
          const phrase = boost ? this.phraseBoost(node.children, analyzeQ) : null;
          if (phrase) expr = `(${expr} OR ${phrase})`;
          return neg.length ? `(${expr} NOT (${neg.join(' OR ')}))` : expr;
        }
      }
    };

    // A root of only exclusions (`-sport`) is answered as "everything except", in SQL.
    const rootNegs = root.kind === 'not' ? [root] : root.kind === 'and' && root.children.every((c) => c.kind === 'not') ? root.children : null;
    if (rootNegs) {
      const parts = rootNegs.map((c) => walk((c as { child: QueryNode }).child, true)).filter((p): p is string => p !== null);
      if (!parts.length) throw new QuerySyntaxError('The query has nothing to search for: use letters or digits.');
      return { match: parts.join(' OR '), negated: true, highlight };
    }
    const match = walk(root, false);
    if (!match) throw new QuerySyntaxError('The query has nothing to search for: use letters or digits.');
    return { match, negated: false, highlight };
  }

  /** The longest run of plain words starting at `i` whose stems form a multi-word synonym entry. */
  private synonymRun(kids: QueryNode[], i: number, analyzeQ: (s: string) => Token[]): { length: number; tokens: Token[]; variants: string[][] } | null {
    for (let n = Math.min(this.synonyms.maxWords, kids.length - i); n >= 2; n--) {
      const run = kids.slice(i, i + n);
      if (!run.every((k) => k.kind === 'term' && !k.field)) continue;
      const tokens = run.map((k) => analyzeQ((k as { text: string }).text));
      if (!tokens.every((t) => t.length === 1)) continue;
      const flat = tokens.map((t) => t[0]);
      const variants = this.synonyms.variants(flat.map((t) => t.stem));
      if (variants.length) return { length: n, tokens: flat, variants };
    }
    return null;
  }

  /**
   * Unquoted words typed next to each other rank higher where they also stand next to each other:
   * the phrase is OR-ed in, which cannot widen the match (it implies every word) but adds its BM25.
   */
  private phraseBoost(children: QueryNode[], analyzeQ: (s: string) => Token[]): string | null {
    const words = children.filter((c): c is { kind: 'term'; text: string } => c.kind === 'term' && !c.field);
    if (words.length < 2) return null;
    const toks = words.flatMap((w) => analyzeQ(w.text));
    if (toks.length < 2) return null;
    const terms = quote(toks.map((t) => t.term));
    const stems = quote(toks.map((t) => t.stem));
    return terms === stems ? terms : `(${terms} OR ${stems})`;
  }
}

/** Terms the compiler may put in a MATCH string: letters and digits only, by construction. */
const SAFE_TERM = /^[\p{L}\p{Nd}]+$/u;

function columns(cols: string[]): string {
  return cols.length ? `{${cols.join(' ')}} : ` : '';
}

function quote(terms: string[]): string {
  return '"' + terms.join(' ') + '"';
}

function queryLanguage(text: string): string {
  const l = detectLanguage(text);
  return l === 'und' ? 'ar' : l;
}

function intersect(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  const lb = new Set(b.map((x) => x.toLowerCase()));
  return a.filter((x) => lb.has(x.toLowerCase()));
}

/** A filter date as an ISO instant: a bare `to` date includes that whole day. */
function instant(s: string | undefined, side: 'from' | 'to'): string | undefined {
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = new Date(s + 'T00:00:00Z');
    if (Number.isNaN(d.getTime())) throw new QuerySyntaxError(`${side} must be a date such as 2026-01-31.`);
    if (side === 'to') d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  }
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new QuerySyntaxError(`${side} must be a date such as 2026-01-31.`);
  return d.toISOString();
}

function maxDefined(a?: string, b?: string): string | undefined {
  return a && b ? (a > b ? a : b) : a ?? b;
}
function minDefined(a?: string, b?: string): string | undefined {
  return a && b ? (a < b ? a : b) : a ?? b;
}

/** Facet counts from rows carrying a multiplicity `n` (1 per story, or a GROUP BY count). */
function facetCounts(rows: (Pick<Row, 'language' | 'urgency' | 'published_at' | 'categories'> & { n: number })[]): SearchResult['facets'] {
  const category = new Map<string, number>();
  const language = new Map<string, number>();
  const urgency = new Map<string, number>();
  const month = new Map<string, number>();
  for (const r of rows) {
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + r.n);
    if (r.categories) for (const c of r.categories.split('\n')) bump(category, c);
    bump(language, r.language);
    bump(urgency, String(r.urgency));
    bump(month, r.published_at.slice(0, 7));
  }
  const list = (m: Map<string, number>, byValue = false) =>
    [...m].map(([value, count]) => ({ value, count })).sort((a, b) => (byValue ? (a.value < b.value ? 1 : -1) : b.count - a.count || (a.value < b.value ? -1 : 1)));
  return { category: list(category), language: list(language), urgency: list(urgency).sort((a, b) => +a.value - +b.value), month: list(month, true) };
}
