// The search tables: what is stored where, and the BM25 weight of each indexed column.
//
// Layout. `search_fts` is contentless (we only ever need rowids and bm25 back): each text field is
// indexed twice, as folded surface forms (h, b) and as stems (hs, bs), word-aligned so phrases work on
// either. Small fields keep surface forms then stems in one column. The FTS tokenizer is `ascii`:
// our analyzer already split and folded, and `ascii` keeps every non-ASCII letter as part of a term,
// so what we wrote is exactly what is indexed. `search_doc` holds filter/facet columns and the
// original text for snippets. `search_vocabulary` counts surface forms for the proclitic rule.
import type Database from 'better-sqlite3';
import type { SearchField } from './query.ts';

/** Bumped whenever analysis changes in a way that needs a reindex. 2: the deck moved to the headline columns. */
export const ANALYZER_VERSION = 2;

export const COLUMNS = ['h', 'hs', 'b', 'bs', 'byline', 'dateline', 'category', 'keyword'] as const;
/** BM25 column weights: a headline outweighs the body, an exact form outweighs a stem. */
export const DEFAULT_WEIGHTS: Record<(typeof COLUMNS)[number], number> = {
  h: 3.5,
  hs: 3,
  b: 1.2,
  bs: 1,
  byline: 2,
  dateline: 1.5,
  category: 1,
  keyword: 2,
};

/**
 * Columns a field searches: [surface columns, stem columns]. An unfielded word carries no column
 * filter at all: FTS5 then skips a per-hit column check (half the cost of ranking a common word), and
 * surface forms and stems rarely collide as strings; when they do it is the same word anyway.
 */
export const FIELD_COLUMNS: Record<SearchField | 'any', [string[], string[]]> = {
  any: [[], []],
  headline: [['h'], ['hs']],
  body: [['b'], ['bs']],
  byline: [['byline'], ['byline']],
  dateline: [['dateline'], ['dateline']],
  category: [['category'], ['category']],
  keyword: [['keyword'], ['keyword']],
};

export function searchSchemaSql(): string {
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

/** Creates the tables if missing; a fresh index is built by this analyzer from its first story on. */
export function migrateSearchSchema(db: Database.Database): void {
  db.exec(searchSchemaSql());
  db.prepare("INSERT OR IGNORE INTO search_meta (key, value) SELECT 'analyzer_version', ? WHERE NOT EXISTS (SELECT 1 FROM search_doc)").run(
    String(ANALYZER_VERSION),
  );
}
