-- Stories (the chain and its working draft), immutable versions, the flow log, API keys.

CREATE TABLE stories (
  id                 TEXT PRIMARY KEY,
  status             TEXT NOT NULL CHECK (status IN ('draft', 'published', 'killed')),
  revision           INTEGER NOT NULL,
  draft              TEXT,                     -- StoryContent as JSON; NULL while it equals the latest version's
  latest_version     INTEGER NOT NULL DEFAULT 0,
  translation_group  TEXT NOT NULL,
  language           TEXT NOT NULL,
  headline           TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  first_published_at TEXT
);
CREATE INDEX stories_updated ON stories (updated_at DESC, id DESC);
CREATE INDEX stories_group ON stories (translation_group);

CREATE TABLE versions (
  story_id           TEXT NOT NULL REFERENCES stories (id),
  version            INTEGER NOT NULL,
  revision_id        TEXT NOT NULL UNIQUE,
  kind               TEXT NOT NULL,
  pub_status         TEXT NOT NULL,
  content            TEXT NOT NULL,            -- StoryContent as JSON, frozen
  correction_note    TEXT,
  kill_reason        TEXT,
  translation_group  TEXT NOT NULL,
  first_published_at TEXT NOT NULL,
  version_created_at TEXT NOT NULL,
  embargo_until      TEXT,
  embargo_lifted_at  TEXT,
  PRIMARY KEY (story_id, version)
) WITHOUT ROWID;
CREATE INDEX versions_embargo ON versions (embargo_until) WHERE embargo_until IS NOT NULL AND embargo_lifted_at IS NULL;

-- The flow log: one row per publish, update, correction, kill and embargo lift. AUTOINCREMENT so a
-- sequence number is never reused, even after the newest rows are deleted.
CREATE TABLE events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind          TEXT NOT NULL,
  story_id      TEXT NOT NULL,
  version       INTEGER NOT NULL,
  at            TEXT NOT NULL,
  language      TEXT NOT NULL,
  categories    TEXT NOT NULL,                 -- JSON array
  urgency       INTEGER NOT NULL,
  media_type    TEXT NOT NULL,
  embargo_until TEXT
);
CREATE INDEX events_story ON events (story_id, seq);

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  hash          TEXT NOT NULL UNIQUE,          -- sha256 of the secret; the secret itself is never stored
  prefix        TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'subscriber')),
  subscriber_id TEXT,
  label         TEXT,
  created_at    TEXT NOT NULL,
  revoked_at    TEXT,
  last_used_at  TEXT
);
CREATE INDEX api_keys_subscriber ON api_keys (subscriber_id);

-- IDs of stories in the systems they were imported from, so a re-import skips what is already here.
CREATE TABLE original_ids (
  original_key TEXT PRIMARY KEY,               -- '<id system>:<id>', e.g. 'archive:ant-1234'
  story_id     TEXT NOT NULL REFERENCES stories (id)
) WITHOUT ROWID;
