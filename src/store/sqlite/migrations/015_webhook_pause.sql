-- A subscriber may pause a webhook subscription (the portal's developer page): while paused_at is set the
-- worker delivers nothing and the cursor waits; resuming makes it due at once, from where it stopped.
ALTER TABLE webhooks ADD COLUMN paused_at TEXT;
