-- Time-versioned entitlements and the audit trail. A product's filters and a subscriber's set of products
-- become editable; the entitlement rule judges each event with what was in force at the event's time, so
-- every change is kept with the time it took effect. `products` and `subscriber_products` stay the
-- current state (what lists and the CLI show); the history tables are what the rule reads.

ALTER TABLE products ADD COLUMN updated_at TEXT;
UPDATE products SET updated_at = created_at;

ALTER TABLE subscribers ADD COLUMN seat_limit INTEGER;  -- portal seats the agency sells; NULL = not set

-- Each version of a product's filters: the product as JSON, from the time it took effect.
CREATE TABLE product_versions (
  product_id   TEXT NOT NULL REFERENCES products (id),
  effective_at TEXT NOT NULL,
  product      TEXT NOT NULL,
  PRIMARY KEY (product_id, effective_at)
) WITHOUT ROWID;
INSERT INTO product_versions (product_id, effective_at, product)
  SELECT id, created_at, json_object('id', id, 'name', name, 'languages', json(languages), 'categories', json(categories),
    'maxUrgency', max_urgency, 'mediaTypes', json(media_types), 'embargoRights', json(CASE embargo_rights WHEN 1 THEN 'true' ELSE 'false' END),
    'delaySeconds', delay_seconds, 'createdAt', created_at, 'updatedAt', created_at)
  FROM products;

-- Each set of products a subscriber had, from the time it took effect (product ids as a JSON array).
CREATE TABLE subscription_changes (
  subscriber_id TEXT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  effective_at  TEXT NOT NULL,
  product_ids   TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, effective_at)
) WITHOUT ROWID;
INSERT INTO subscription_changes (subscriber_id, effective_at, product_ids)
  SELECT s.id, s.created_at, coalesce((SELECT json_group_array(product_id) FROM subscriber_products sp WHERE sp.subscriber_id = s.id), '[]')
  FROM subscribers s;

-- Who changed what: admin acts and newsroom acts, newest read first (keyset on id).
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
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
