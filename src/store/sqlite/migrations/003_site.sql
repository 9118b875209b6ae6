-- The public website's read model: one row per story that ever went public, with only what list pages,
-- feeds and sitemaps need, so none of them parses version JSON. It is derived from stories + versions
-- and caught up from the flow log (site_cursor), so publishing code needs no knowledge of it.

CREATE TABLE site_stories (
  story_id          TEXT PRIMARY KEY,
  language          TEXT NOT NULL,
  version           INTEGER NOT NULL,
  killed            INTEGER NOT NULL DEFAULT 0,
  embargo_until     TEXT,                     -- NULL when there is none or it was lifted
  published_at      TEXT NOT NULL,            -- first publication
  updated_at        TEXT NOT NULL,            -- the latest version
  urgency           INTEGER NOT NULL,
  headline          TEXT NOT NULL,
  slug              TEXT NOT NULL,
  translation_group TEXT NOT NULL,
  summary           TEXT NOT NULL             -- JSON: deck, categories, first photo (never body text)
) WITHOUT ROWID;
-- Home pages and feeds: newest first per language, killed stories left out of the index entirely.
CREATE INDEX site_stories_language ON site_stories (language, published_at DESC, story_id DESC) WHERE killed = 0;
CREATE INDEX site_stories_newest ON site_stories (published_at DESC, story_id DESC) WHERE killed = 0;
CREATE INDEX site_stories_updated ON site_stories (updated_at DESC) WHERE killed = 0;
CREATE INDEX site_stories_group ON site_stories (translation_group);

-- Category pages: newest first per (language, category slug) straight from the primary key.
CREATE TABLE site_categories (
  language     TEXT NOT NULL,
  slug         TEXT NOT NULL,
  name         TEXT NOT NULL,
  published_at TEXT NOT NULL,
  story_id     TEXT NOT NULL,
  PRIMARY KEY (language, slug, published_at, story_id)
) WITHOUT ROWID;
CREATE INDEX site_categories_story ON site_categories (story_id);

-- How far into the flow log the read model has caught up.
CREATE TABLE site_cursor (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO site_cursor (id, seq) VALUES (1, 0);

-- Readers who asked about a subscription on the public site; admins read them at GET /v1/leads.
CREATE TABLE leads (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  email        TEXT NOT NULL,
  organisation TEXT,
  message      TEXT,
  language     TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX leads_created ON leads (created_at DESC);
