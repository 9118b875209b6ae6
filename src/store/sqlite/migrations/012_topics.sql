-- Topics: seats following saved searches, the durable outbox of alert e-mails, and in-portal notifications.
-- user_id names a seat of the users table (another migration); no foreign key, so either can land first.
CREATE TABLE topic_follows (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL,
  subscriber_id   TEXT NOT NULL,
  saved_search_id TEXT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
  mode            TEXT NOT NULL CHECK (mode IN ('immediate', 'hourly', 'daily')),
  notify          INTEGER NOT NULL DEFAULT 1,
  cursor          INTEGER NOT NULL,           -- last log position examined
  created_at      TEXT NOT NULL,
  UNIQUE (user_id, saved_search_id)
);
CREATE INDEX topic_follows_cursor ON topic_follows (cursor);

-- Alert e-mails, one row per follow+story+version (the dedupe key): queued until sent_at is set, then kept
-- a while so a later event of the same version (an embargo lift) does not alert again.
CREATE TABLE topic_pending (
  follow_id     TEXT NOT NULL REFERENCES topic_follows (id) ON DELETE CASCADE,
  story_id      TEXT NOT NULL,
  version       INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  headline      TEXT NOT NULL,
  language      TEXT NOT NULL,
  urgency       INTEGER NOT NULL,
  embargo_until TEXT,
  at            TEXT NOT NULL,
  due_at        TEXT NOT NULL,
  sent_at       TEXT,
  PRIMARY KEY (follow_id, story_id, version)
);
CREATE INDEX topic_pending_due ON topic_pending (due_at) WHERE sent_at IS NULL;

CREATE TABLE topic_notifications (
  id              INTEGER PRIMARY KEY,
  user_id         TEXT NOT NULL,
  follow_id       TEXT NOT NULL REFERENCES topic_follows (id) ON DELETE CASCADE,
  saved_search_id TEXT NOT NULL,
  story_id        TEXT NOT NULL,
  version         INTEGER NOT NULL,
  headline        TEXT NOT NULL,
  language        TEXT NOT NULL,
  seen            INTEGER NOT NULL DEFAULT 0,
  at              TEXT NOT NULL,
  UNIQUE (follow_id, story_id, version)
);
CREATE INDEX topic_notifications_user ON topic_notifications (user_id, id);
