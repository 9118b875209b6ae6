// Reading the index: a query and filters in, ranked hits with snippets and facet counts out.
import type Database from 'better-sqlite3';
import { acceptedWordSpans, type FullAnalyzeOptions } from '../text/index.ts';
import { compileQuery } from './compile.ts';
import { parseQuery, type ParsedQuery } from './query.ts';
import { HeadlineRanker, RANK_WEIGHTS, type RankWeights } from './rank.ts';
import { bodySpansOf, matchSpans, markHtml, snippetHtml, type MatchSet, type SpansOf } from './snippet.ts';
import { facetCounts } from './facets.ts';
import type { SearchDocMeta, SearchFilters, SearchHit, SearchResult } from './types.ts';
import type { ArchiveVocabulary } from './vocabulary.ts';
import { instant, intersect, maxDefined, minDefined, queryLanguage } from './filters.ts';

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

export class Searcher {
  private readonly texts: Database.Statement<[number], { headline: string; body: string }>;
  private readonly headlines: Database.Statement<[number], { headline: string }>;
  /** Prepared statements by SQL text: the text varies only with which filters are set. */
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();
  /** The headline re-ranking, with the headlines it analyzed (valid while the stem memo is). */
  private readonly ranker: HeadlineRanker;

  constructor(
    private readonly db: Database.Database,
    private readonly vocabulary: ArchiveVocabulary,
    /** BM25 weights in column order. */
    private readonly weights: number[],
    private readonly snippetLength: number,
    private readonly rankWeights: RankWeights = RANK_WEIGHTS,
  ) {
    this.texts = db.prepare<[number], { headline: string; body: string }>('SELECT headline, body FROM search_text WHERE doc_id = ?');
    this.headlines = db.prepare<[number], { headline: string }>('SELECT headline FROM search_text WHERE doc_id = ?');
    this.ranker = new HeadlineRanker(rankWeights);
  }

  /** Run a query (text in the query language, or already parsed). Throws QuerySyntaxError on bad input. */
  search(q: string | ParsedQuery, filters: SearchFilters = {}): SearchResult {
    const parsed = typeof q === 'string' ? parseQuery(q) : q;
    const pf = parsed.filters;
    const qlang = filters.lang ?? (pf.languages?.length === 1 ? pf.languages[0] : undefined) ?? queryLanguage(parsed.text);
    const compiled = compileQuery(parsed.root, qlang, true, this.vocabulary);
    // Counting and facets need the match set only; without the phrase boosts it is the same set, cheaper.
    const setMatch = compiled.match && !compiled.negated ? compileQuery(parsed.root, qlang, false, this.vocabulary).match : null;

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
    if (from) {
      where.push('d.published_at >= ?');
      params.push(from);
    }
    if (to) {
      where.push('d.published_at < ?');
      params.push(to);
    }
    const umin = Math.max(filters.urgencyMin ?? 1, pf.urgencyMin ?? 1);
    const umax = Math.min(filters.urgencyMax ?? 9, pf.urgencyMax ?? 9);
    if (umin > 1) {
      where.push('d.urgency >= ?');
      params.push(umin);
    }
    if (umax < 9) {
      where.push('d.urgency <= ?');
      params.push(umax);
    }

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
        let st = this.statements.get(sqlText);
        if (!st) {
          if (this.statements.size >= 200) this.statements.clear();
          st = this.db.prepare<unknown[], unknown>(sqlText);
          this.statements.set(sqlText, st);
        }
        return st.all(...args) as T[];
      } catch (e) {
        // The compiler only emits quoted, analyzed terms; reaching here is our bug, not the user's.
        // Never leak FTS5's message to the caller.
        throw new Error(`search failed for an internally built query: ${(e as Error).message}`);
      }
    };
    const meta = (r: Row): SearchDocMeta => ({
      storyId: r.story_id,
      version: r.version,
      language: r.language,
      categories: r.categories ? r.categories.split('\n') : [],
      urgency: r.urgency,
      mediaType: r.media_type,
      publishedAt: r.published_at,
    });
    const relevance = !!compiled.match && !compiled.negated;
    const sort = filters.sort ?? (relevance ? 'relevance' : 'recency');
    const offset = Math.max(0, Math.floor(filters.offset ?? 0));
    const limit = Math.min(200, Math.max(0, Math.floor(filters.limit ?? 20)));
    const byRecency = (a: Row, b: Row) => (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : b.doc_id - a.doc_id);

    let total: number;
    let facets: SearchResult['facets'];
    let page: Row[];
    // Field-aware ranking re-orders BM25's best `depth`; later pages keep BM25's order after them.
    const depth = this.rankWeights.depth;
    const fieldAware = sort === 'relevance' && relevance && compiled.words.length > 0 && offset < depth;
    if (filters.allowed) {
      // A JS predicate has to see every candidate: fetch them all, then count and sort here.
      const allowed = filters.allowed;
      let rows = run<Row>(sql, params).filter((r) => allowed(meta(r)));
      rows.sort(sort === 'recency' ? byRecency : (a, b) => b.score - a.score || byRecency(a, b));
      if (fieldAware) rows = [...this.rank(rows.slice(0, depth), compiled.words), ...rows.slice(depth)];
      total = rows.length;
      facets = facetCounts(rows, categoriesOf);
      page = rows.slice(offset, offset + limit);
    } else {
      // Let SQLite rank and cut the page, and count facets in one grouped pass: wide queries
      // (قال matches a quarter of the archive) must not materialize thousands of rows in JS.
      const order = sort === 'recency' ? 'published_at DESC, doc_id DESC' : 'score DESC, published_at DESC, doc_id DESC';
      let everyMatch: Row[] | null = null;
      if (fieldAware) {
        const top =
          where.length === 0 && sort === 'relevance'
            ? this.topByScore(run, cols, compiled.match!, depth)
            : run<Row>(`SELECT * FROM (${sql}) ORDER BY ${order} LIMIT ?`, [...params, depth]);
        // Fewer than `depth` rows is the whole match set (the phrase boosts never widen it): its
        // facets are counted here, and the second full-text pass below is saved (most queries).
        if (top.length < depth) everyMatch = top;
        page = this.rank(top, compiled.words).slice(offset, offset + limit);
        if (offset + limit > depth && top.length === depth) {
          page.push(...run<Row>(`SELECT * FROM (${sql}) ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, offset + limit - depth, depth]));
        }
      } else {
        page = run<Row>(`SELECT * FROM (${sql}) ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, limit, offset]);
      }
      if (everyMatch) {
        total = everyMatch.length;
        facets = facetCounts(everyMatch, categoriesOf);
      } else {
        const setParams = setMatch ? [setMatch, ...params.slice(1)] : params;
        const groups = run<Row & { n: number }>(
          `SELECT language, urgency, substr(published_at, 1, 7) AS published_at, categories, count(*) AS n FROM (${sql.replace(/-bm25\([^)]*\)/, '0')}) GROUP BY 1, 2, 3, 4`,
          setParams,
        );
        total = groups.reduce((n, g) => n + g.n, 0);
        facets = facetCounts(groups, categoriesOf);
      }
    }
    // One verdict per written word and language for the whole page (see acceptedWordSpans).
    const memos = new Map<string, Map<string, boolean>>();
    const hl = compiled.highlight;
    const accepts = (term: string, stem: string) => hl.terms.has(term) || hl.stems.has(stem);
    const spansOf = (text: string, lang: string, opts: FullAnalyzeOptions) => {
      let memo = memos.get(lang);
      if (!memo) memos.set(lang, (memo = new Map()));
      return acceptedWordSpans(text, lang, opts, accepts, memo);
    };
    const hits = page.map((r) => this.hit(r, meta(r), hl, spansOf));
    return { total, hits, facets, query: parsed };
  }

  /**
   * BM25's best `depth` matches, as `ORDER BY score DESC, published_at DESC, doc_id DESC LIMIT depth`
   * over the join would give them, but joining only the matches that score at least the depth-th best:
   * a broad query (thousands of matches) otherwise looks up every match's story row just to sort.
   */
  private topByScore(run: <T>(sqlText: string, args: unknown[]) => T[], cols: string, match: string, depth: number): Row[] {
    const sql = `WITH m AS MATERIALIZED (SELECT rowid AS doc_id, -bm25(search_fts, ${this.weights.join(', ')}) AS score FROM search_fts WHERE search_fts MATCH ?)
      SELECT ${cols}, m.score AS score FROM m JOIN search_doc d ON d.doc_id = m.doc_id
      WHERE m.score >= coalesce((SELECT score FROM m ORDER BY score DESC LIMIT 1 OFFSET ?), -1e300)
      ORDER BY score DESC, d.published_at DESC, d.doc_id DESC LIMIT ?`;
    return run<Row>(sql, [match, depth - 1, depth]);
  }

  /** BM25's best rows re-scored by their headlines (see rank.ts); ties keep BM25's order. */
  private rank(rows: Row[], words: MatchSet[]): Row[] {
    return this.ranker.rank(rows, words, (r) => this.headlines.get(r.doc_id)?.headline ?? '', this.vocabulary.analyzeOptions());
  }

  private hit(r: Row, m: SearchDocMeta, highlight: MatchSet, spansOf: SpansOf): SearchHit {
    const texts = this.texts.get(r.doc_id)!;
    const opts = this.vocabulary.analyzeOptions();
    const ranked = this.ranker.tokensOf(r.language, texts.headline, opts);
    const headSpans = ranked ? matchSpans(ranked, highlight) : spansOf(texts.headline, r.language, opts);
    const bodySpans = bodySpansOf(texts.body, r.language, highlight, opts, spansOf, this.snippetLength);
    return {
      ...m,
      score: r.score,
      headline: texts.headline,
      headlineHtml: markHtml(texts.headline, headSpans),
      snippetHtml: snippetHtml(texts.body, bodySpans, this.snippetLength),
    };
  }
}

/** A row's categories: one text, a category a line. */
const categoriesOf = (r: Pick<Row, 'categories'>): string[] => (r.categories ? r.categories.split('\n') : []);
