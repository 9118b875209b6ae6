-- Search on PostgreSQL (src/store/postgres/search.ts): the analyzer's terms of each indexed column
-- (src/search/schema.ts COLUMNS) as one tsvector per column, all under one GIN index, so a compiled
-- query finds its candidates there; BM25 is then computed the way SQLite's FTS5 does it, from `terms`
-- (the same columns as token lists) and `tokens`. Texts live apart: only a page's rows need them.
CREATE TABLE search_doc (
  doc_id       BIGSERIAL PRIMARY KEY,
  story_id     TEXT COLLATE "C" NOT NULL UNIQUE,
  version      BIGINT NOT NULL,
  language     TEXT NOT NULL,
  urgency      BIGINT NOT NULL,
  media_type   TEXT NOT NULL DEFAULT 'text',
  published_at TEXT COLLATE "C" NOT NULL,
  categories   TEXT[] NOT NULL,
  tokens       BIGINT NOT NULL,
  terms        TEXT[] NOT NULL,
  h            TSVECTOR NOT NULL,
  hs           TSVECTOR NOT NULL,
  b            TSVECTOR NOT NULL,
  bs           TSVECTOR NOT NULL,
  byline       TSVECTOR NOT NULL,
  dateline     TSVECTOR NOT NULL,
  category     TSVECTOR NOT NULL,
  keyword      TSVECTOR NOT NULL
);
CREATE INDEX search_doc_terms ON search_doc USING gin (h, hs, b, bs, byline, dateline, category, keyword);
CREATE INDEX search_doc_published ON search_doc (published_at);
CREATE INDEX search_doc_categories ON search_doc USING gin (categories);
CREATE TABLE search_text (
  doc_id   BIGINT PRIMARY KEY REFERENCES search_doc (doc_id) ON DELETE CASCADE,
  headline TEXT NOT NULL,
  body     TEXT NOT NULL
);
-- Surface-form counts the Arabic proclitic rule consults (src/search/vocabulary.ts), held in memory per process.
CREATE TABLE search_vocabulary (
  term TEXT COLLATE "C" PRIMARY KEY,
  freq BIGINT NOT NULL
);
CREATE TABLE search_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
