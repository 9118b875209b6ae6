-- Media assets (photos, video, audio, graphics) and their durable rendering jobs. The bytes live in the
-- media folder beside the database, content-addressed; these rows say what each file is.
CREATE TABLE media_assets (
  id            TEXT PRIMARY KEY,              -- m + 32 hex digits of the SHA-256
  sha256        TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL,                 -- photo, video, audio, graphic
  content_type  TEXT NOT NULL,
  size_bytes    INTEGER NOT NULL,
  filename      TEXT,
  metadata      TEXT NOT NULL,                 -- PhotoMetadata as JSON (editors' corrections applied)
  renditions    TEXT NOT NULL DEFAULT '[]',    -- Rendition[] as JSON
  state         TEXT NOT NULL,                 -- queued, running, done, failed
  error         TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE INDEX media_assets_queue ON media_assets (state, updated_at);
