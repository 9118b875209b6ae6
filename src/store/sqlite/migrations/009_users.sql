-- People who sign in (desk staff and subscribers' seats), their sessions, failed sign-ins, and the
-- secret that signs session cookies (here, so every process on the store signs alike).
CREATE TABLE users (
  id                   TEXT PRIMARY KEY,
  email                TEXT NOT NULL UNIQUE,
  name                 TEXT NOT NULL,
  role                 TEXT NOT NULL,
  subscriber_id        TEXT,
  language             TEXT NOT NULL DEFAULT 'en',
  password_hash        TEXT NOT NULL,
  active               INTEGER NOT NULL DEFAULT 1,
  must_change_password INTEGER NOT NULL DEFAULT 0,
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
