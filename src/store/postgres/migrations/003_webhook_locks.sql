-- Webhook delivery on several nodes (issue 15 point 4): each subscription gets a small integer key for
-- the session-level advisory lock a node holds while it delivers that subscription
-- (src/store/postgres/subscribers.ts). A sequence, not a hash of the id, so two subscriptions never share
-- a lock. The default fills it for rows copied from SQLite too (`newsflow store copy`).
CREATE SEQUENCE webhook_lock_keys AS INTEGER MINVALUE 1;
ALTER TABLE webhooks ADD COLUMN lock_key INTEGER NOT NULL DEFAULT nextval('webhook_lock_keys');
ALTER SEQUENCE webhook_lock_keys OWNED BY webhooks.lock_key;
CREATE UNIQUE INDEX webhooks_lock_key ON webhooks (lock_key);
