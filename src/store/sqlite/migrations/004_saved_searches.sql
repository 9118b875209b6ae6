-- Saved searches: a subscriber's query, usable as its own feed, stream or webhook filter (an alert).
CREATE TABLE saved_searches (
  id            TEXT PRIMARY KEY,
  subscriber_id TEXT NOT NULL,
  name          TEXT NOT NULL,
  query         TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  UNIQUE (subscriber_id, name)
);
