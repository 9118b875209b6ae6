-- A lease per webhook subscription, so that several server processes on one SQLite file never deliver the
-- same subscription at once: the worker holding an unexpired lease is the only one that delivers it.
ALTER TABLE webhooks ADD COLUMN lease_owner TEXT;
ALTER TABLE webhooks ADD COLUMN lease_until TEXT;
