-- A webhook may deliver only what one of the subscriber's saved searches matches (an alert).
ALTER TABLE webhooks ADD COLUMN alert_id TEXT;
