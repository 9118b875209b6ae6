-- The subscriber side of the flow: products (what can be sold), subscribers and their entitlements, the
-- compact record of what each subscriber received (so follow-ups of a story always reach it), webhook
-- subscriptions with their outbox cursor and delivery attempts, and usage counters for billing.

CREATE TABLE products (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  languages      TEXT NOT NULL DEFAULT '[]',   -- JSON array of language tags; empty = every language
  categories     TEXT NOT NULL DEFAULT '[]',   -- JSON array; empty = every category
  max_urgency    INTEGER,                      -- lowest priority still included (1 flash … 9); NULL = all
  media_types    TEXT NOT NULL DEFAULT '[]',   -- JSON array; empty = every media type
  embargo_rights INTEGER NOT NULL DEFAULT 0,   -- 1: receives embargoed versions before the lift, flagged
  delay_seconds  INTEGER NOT NULL DEFAULT 0,   -- lower tiers see events this long after they happened
  created_at     TEXT NOT NULL
);

CREATE TABLE subscribers (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  rate_limit     INTEGER,                      -- feed requests per minute; NULL = unlimited
  default_format TEXT NOT NULL DEFAULT 'json',
  created_at     TEXT NOT NULL
);

CREATE TABLE subscriber_products (
  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  product_id    TEXT NOT NULL REFERENCES products (id),
  PRIMARY KEY (subscriber_id, product_id)
) WITHOUT ROWID;

-- One row per (subscriber, story): the first log position at which the story reached the subscriber.
-- Follow-ups (update, correction, kill) of a story with a row here always pass entitlement.
CREATE TABLE subscriber_deliveries (
  subscriber_id TEXT NOT NULL,
  story_id      TEXT NOT NULL,
  first_seq     INTEGER NOT NULL,
  PRIMARY KEY (subscriber_id, story_id)
) WITHOUT ROWID;

-- A webhook subscription is an outbox cursor: the last seq delivered (or skipped) for it.
CREATE TABLE webhooks (
  id              TEXT PRIMARY KEY,
  subscriber_id   TEXT NOT NULL REFERENCES subscribers (id),
  url             TEXT NOT NULL,
  secret          TEXT NOT NULL,               -- needed in clear to sign every delivery
  events          TEXT,                        -- JSON array of event kinds; NULL = every kind
  cursor          INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failed', 'deleted')),
  attempt         INTEGER NOT NULL DEFAULT 0,  -- failed attempts of the message at cursor + 1
  next_attempt_at TEXT NOT NULL,
  failing_since   TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL
);
CREATE INDEX webhooks_due ON webhooks (status, next_attempt_at);
CREATE INDEX webhooks_subscriber ON webhooks (subscriber_id);

CREATE TABLE webhook_attempts (
  id          INTEGER PRIMARY KEY,
  webhook_id  TEXT NOT NULL REFERENCES webhooks (id),
  seq         INTEGER NOT NULL,
  message_id  TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  at          TEXT NOT NULL,
  status_code INTEGER,
  latency_ms  INTEGER NOT NULL,
  ok          INTEGER NOT NULL,
  error       TEXT
);
CREATE INDEX webhook_attempts_hook ON webhook_attempts (webhook_id, id DESC);

CREATE TABLE usage_counters (
  subscriber_id TEXT NOT NULL,
  channel       TEXT NOT NULL,                 -- feed, stream, webhook, ws
  day           TEXT NOT NULL,                 -- YYYY-MM-DD (UTC)
  count         INTEGER NOT NULL,
  PRIMARY KEY (subscriber_id, channel, day)
) WITHOUT ROWID;

CREATE INDEX events_at ON events (at);
