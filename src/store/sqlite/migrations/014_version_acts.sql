-- The audit page lists every version with who published it, newest first, for everyone or for one
-- person: two index ranges instead of a scan of every version (issue 12, point 8). Keyset order is
-- (version_created_at, story_id, version), the same in both.
CREATE INDEX versions_created ON versions (version_created_at, story_id, version);
CREATE INDEX versions_by_actor ON versions (json_extract(by_actor, '$.id'), version_created_at, story_id, version);
