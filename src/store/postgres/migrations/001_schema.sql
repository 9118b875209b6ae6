-- The whole schema of the SQLite store as its migrations 001–015 leave it (src/store/sqlite/migrations),
-- table for table and column for column, so that `newsflow store copy` moves rows as they are in both
-- directions. Times stay ISO 8601 text and JSON stays text, as in SQLite: every query of the two stores
-- compares and orders them the same way. Integers are BIGINT. The search tables are PostgreSQL's own
-- (a later migration); a copy rebuilds the target's index.
CREATE TABLE stories (
  id                 TEXT PRIMARY KEY,
  status             TEXT NOT NULL CHECK (status IN ('draft', 'published', 'killed')),
  revision           BIGINT NOT NULL,
  draft              TEXT,                     -- StoryContent as JSON; NULL while it equals the latest version's
  latest_version     BIGINT NOT NULL DEFAULT 0,
  translation_group  TEXT NOT NULL,
  language           TEXT NOT NULL,
  headline           TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  first_published_at TEXT
, created_by TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}', updated_by TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}', workflow TEXT NOT NULL DEFAULT 'writing' CHECK (workflow IN ('writing', 'submitted')), submitted_at TEXT, submitted_by TEXT, desk TEXT, urgency BIGINT NOT NULL DEFAULT 4, embargo_until TEXT, list_status TEXT NOT NULL DEFAULT 'draft'
  CHECK (list_status IN ('draft', 'submitted', 'published', 'embargoed', 'killed')));
CREATE INDEX stories_updated ON stories (updated_at DESC, id DESC);
CREATE INDEX stories_group ON stories (translation_group);
CREATE TABLE versions (
  story_id           TEXT NOT NULL REFERENCES stories (id),
  version            BIGINT NOT NULL,
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
  embargo_lifted_at  TEXT, by_actor TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}',
  PRIMARY KEY (story_id, version)
);
CREATE INDEX versions_embargo ON versions (embargo_until) WHERE embargo_until IS NOT NULL AND embargo_lifted_at IS NULL;
CREATE TABLE events (
  seq           BIGINT PRIMARY KEY,          -- allocated by the appender (src/store/postgres/events.ts), never reused
  kind          TEXT NOT NULL,
  story_id      TEXT NOT NULL,
  version       BIGINT NOT NULL,
  at            TEXT NOT NULL,
  language      TEXT NOT NULL,
  categories    TEXT NOT NULL,                 -- JSON array
  urgency       BIGINT NOT NULL,
  media_type    TEXT NOT NULL,
  embargo_until TEXT
, actor TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}');
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
CREATE TABLE original_ids (
  original_key TEXT PRIMARY KEY,               -- '<id system>:<id>', e.g. 'archive:ant-1234'
  story_id     TEXT NOT NULL REFERENCES stories (id)
);
CREATE TABLE products (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  languages      TEXT NOT NULL DEFAULT '[]',   -- JSON array of language tags; empty = every language
  categories     TEXT NOT NULL DEFAULT '[]',   -- JSON array; empty = every category
  max_urgency    BIGINT,                      -- lowest priority still included (1 flash … 9); NULL = all
  media_types    TEXT NOT NULL DEFAULT '[]',   -- JSON array; empty = every media type
  embargo_rights BIGINT NOT NULL DEFAULT 0,   -- 1: receives embargoed versions before the lift, flagged
  delay_seconds  BIGINT NOT NULL DEFAULT 0,   -- lower tiers see events this long after they happened
  created_at     TEXT NOT NULL
, updated_at TEXT);
CREATE TABLE subscribers (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  rate_limit     BIGINT,                      -- feed requests per minute; NULL = unlimited
  default_format TEXT NOT NULL DEFAULT 'json',
  created_at     TEXT NOT NULL
, seat_limit BIGINT);
CREATE TABLE subscriber_products (
  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  product_id    TEXT NOT NULL REFERENCES products (id),
  PRIMARY KEY (subscriber_id, product_id)
);
CREATE TABLE webhooks (
  id              TEXT PRIMARY KEY,
  subscriber_id   TEXT NOT NULL REFERENCES subscribers (id),
  url             TEXT NOT NULL,
  secret          TEXT NOT NULL,               -- needed in clear to sign every delivery
  events          TEXT,                        -- JSON array of event kinds; NULL = every kind
  cursor          BIGINT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failed', 'deleted')),
  attempt         BIGINT NOT NULL DEFAULT 0,  -- failed attempts of the message at cursor + 1
  next_attempt_at TEXT NOT NULL,
  failing_since   TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL
, alert_id TEXT, lease_owner TEXT, lease_until TEXT, paused_at TEXT);
CREATE INDEX webhooks_due ON webhooks (status, next_attempt_at);
CREATE INDEX webhooks_subscriber ON webhooks (subscriber_id);
CREATE TABLE webhook_attempts (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  webhook_id  TEXT NOT NULL REFERENCES webhooks (id),
  seq         BIGINT NOT NULL,
  message_id  TEXT NOT NULL,
  attempt     BIGINT NOT NULL,
  at          TEXT NOT NULL,
  status_code BIGINT,
  latency_ms  BIGINT NOT NULL,
  ok          BIGINT NOT NULL,
  error       TEXT
);
CREATE INDEX webhook_attempts_hook ON webhook_attempts (webhook_id, id DESC);
CREATE TABLE usage_counters (
  subscriber_id TEXT NOT NULL,
  channel       TEXT NOT NULL,                 -- feed, stream, webhook, ws
  day           TEXT NOT NULL,                 -- YYYY-MM-DD (UTC)
  count         BIGINT NOT NULL,
  PRIMARY KEY (subscriber_id, channel, day)
);
CREATE INDEX events_at ON events (at);
CREATE TABLE site_stories (
  story_id          TEXT PRIMARY KEY,
  language          TEXT NOT NULL,
  version           BIGINT NOT NULL,
  killed            BIGINT NOT NULL DEFAULT 0,
  embargo_until     TEXT,                     -- NULL when there is none or it was lifted
  published_at      TEXT NOT NULL,            -- first publication
  updated_at        TEXT NOT NULL,            -- the latest version
  urgency           BIGINT NOT NULL,
  headline          TEXT NOT NULL,
  slug              TEXT NOT NULL,
  translation_group TEXT NOT NULL,
  summary           TEXT NOT NULL             -- JSON: deck, categories, first photo (never body text)
);
CREATE INDEX site_stories_language ON site_stories (language, published_at DESC, story_id DESC) WHERE killed = 0;
CREATE INDEX site_stories_newest ON site_stories (published_at DESC, story_id DESC) WHERE killed = 0;
CREATE INDEX site_stories_updated ON site_stories (updated_at DESC) WHERE killed = 0;
CREATE INDEX site_stories_group ON site_stories (translation_group);
CREATE TABLE site_categories (
  language     TEXT NOT NULL,
  slug         TEXT NOT NULL,
  name         TEXT NOT NULL,
  published_at TEXT NOT NULL,
  story_id     TEXT NOT NULL,
  PRIMARY KEY (language, slug, published_at, story_id)
);
CREATE INDEX site_categories_story ON site_categories (story_id);
CREATE TABLE site_cursor (
  id  BIGINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL
);
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
CREATE TABLE saved_searches (
  id            TEXT PRIMARY KEY,
  subscriber_id TEXT NOT NULL,
  name          TEXT NOT NULL,
  query         TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  UNIQUE (subscriber_id, name)
);
CREATE TABLE users (
  id                   TEXT PRIMARY KEY,
  email                TEXT NOT NULL UNIQUE,
  name                 TEXT NOT NULL,
  role                 TEXT NOT NULL,
  subscriber_id        TEXT,
  language             TEXT NOT NULL DEFAULT 'en',
  password_hash        TEXT NOT NULL,
  active               BIGINT NOT NULL DEFAULT 1,
  must_change_password BIGINT NOT NULL DEFAULT 0,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);
CREATE INDEX users_subscriber ON users (subscriber_id);
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT,
  data         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE sign_in_failures (
  key TEXT NOT NULL,
  at  TEXT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
CREATE TABLE secrets (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE INDEX stories_list_status ON stories (list_status, updated_at DESC, id DESC);
CREATE INDEX stories_list_language ON stories (language, list_status, updated_at DESC, id DESC);
CREATE INDEX stories_list_language_all ON stories (language, updated_at DESC, id DESC);
CREATE INDEX stories_list_desk ON stories (desk, list_status, updated_at DESC, id DESC);
CREATE INDEX stories_list_desk_all ON stories (desk, updated_at DESC, id DESC);
CREATE INDEX events_language ON events (language, seq);
CREATE INDEX events_urgency ON events (urgency, seq);
CREATE INDEX events_kind ON events (kind, seq);
CREATE INDEX events_embargoed ON events (seq) WHERE embargo_until IS NOT NULL;
CREATE TABLE event_categories (
  category TEXT NOT NULL,
  seq      BIGINT NOT NULL,
  PRIMARY KEY (category, seq)
);
CREATE FUNCTION events_categories_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_categories (category, seq)
    SELECT j, NEW.seq FROM json_array_elements_text(NEW.categories::json) j ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER events_categories_insert AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_categories_insert();
CREATE FUNCTION events_categories_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM event_categories WHERE seq = OLD.seq;
  RETURN NULL;
END $$;
CREATE TRIGGER events_categories_delete AFTER DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_categories_delete();
CREATE TABLE product_versions (
  product_id   TEXT NOT NULL REFERENCES products (id),
  effective_at TEXT NOT NULL,
  product      TEXT NOT NULL,
  PRIMARY KEY (product_id, effective_at)
);
CREATE TABLE subscription_changes (
  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  effective_at  TEXT NOT NULL,
  product_ids   TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, effective_at)
);
CREATE TABLE audit (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at          TEXT NOT NULL,
  actor_type  TEXT NOT NULL CHECK (actor_type IN ('user', 'key', 'system')),
  actor_id    TEXT NOT NULL,
  actor_name  TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  story_id    TEXT,
  details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_actor ON audit (actor_id, id);
CREATE INDEX audit_story ON audit (story_id, id) WHERE story_id IS NOT NULL;
CREATE INDEX audit_target ON audit (target_type, target_id, id);
CREATE TABLE topic_follows (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL,
  subscriber_id   TEXT NOT NULL,
  saved_search_id TEXT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
  mode            TEXT NOT NULL CHECK (mode IN ('immediate', 'hourly', 'daily')),
  notify          BIGINT NOT NULL DEFAULT 1,
  cursor          BIGINT NOT NULL,           -- last log position examined
  created_at      TEXT NOT NULL,
  UNIQUE (user_id, saved_search_id)
);
CREATE INDEX topic_follows_cursor ON topic_follows (cursor);
CREATE TABLE topic_pending (
  follow_id     TEXT NOT NULL REFERENCES topic_follows (id) ON DELETE CASCADE,
  story_id      TEXT NOT NULL,
  version       BIGINT NOT NULL,
  seq           BIGINT NOT NULL,
  kind          TEXT NOT NULL,
  headline      TEXT NOT NULL,
  language      TEXT NOT NULL,
  urgency       BIGINT NOT NULL,
  embargo_until TEXT,
  at            TEXT NOT NULL,
  due_at        TEXT NOT NULL,
  sent_at       TEXT,
  PRIMARY KEY (follow_id, story_id, version)
);
CREATE INDEX topic_pending_due ON topic_pending (due_at) WHERE sent_at IS NULL;
CREATE TABLE topic_notifications (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id         TEXT NOT NULL,
  follow_id       TEXT NOT NULL REFERENCES topic_follows (id) ON DELETE CASCADE,
  saved_search_id TEXT NOT NULL,
  story_id        TEXT NOT NULL,
  version         BIGINT NOT NULL,
  headline        TEXT NOT NULL,
  language        TEXT NOT NULL,
  seen            BIGINT NOT NULL DEFAULT 0,
  at              TEXT NOT NULL,
  UNIQUE (follow_id, story_id, version)
);
CREATE INDEX topic_notifications_user ON topic_notifications (user_id, id);
CREATE TABLE media_assets (
  id            TEXT PRIMARY KEY,              -- m + 32 hex digits of the SHA-256
  sha256        TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL,                 -- photo, video, audio, graphic
  content_type  TEXT NOT NULL,
  size_bytes    BIGINT NOT NULL,
  filename      TEXT,
  metadata      TEXT NOT NULL,                 -- PhotoMetadata as JSON (editors' corrections applied)
  renditions    TEXT NOT NULL DEFAULT '[]',    -- Rendition[] as JSON
  state         TEXT NOT NULL,                 -- queued, running, done, failed
  error         TEXT,
  attempts      BIGINT NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX media_assets_queue ON media_assets (state, updated_at);
CREATE INDEX versions_created ON versions (version_created_at, story_id, version);
CREATE INDEX versions_by_actor ON versions (((by_actor::json) ->> 'id'), version_created_at, story_id, version);
