-- Who did what, the review queue, desks and the desk's fast lists (issue 12).
-- Actors are stored as JSON ({"type","id","name"}): rows written before this migration were made by
-- keys and the CLI that nobody recorded, so they read as newsflow itself.

ALTER TABLE versions ADD COLUMN by_actor TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}';
ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}';

ALTER TABLE stories ADD COLUMN created_by TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}';
ALTER TABLE stories ADD COLUMN updated_by TEXT NOT NULL DEFAULT '{"type":"system","id":"system","name":"newsflow"}';
-- The review queue: 'submitted' while a draft waits for an editor; publishing sets it back to 'writing'.
ALTER TABLE stories ADD COLUMN workflow TEXT NOT NULL DEFAULT 'writing' CHECK (workflow IN ('writing', 'submitted'));
ALTER TABLE stories ADD COLUMN submitted_at TEXT;
ALTER TABLE stories ADD COLUMN submitted_by TEXT;
-- List columns copied from the draft (like language and headline), so the story list never parses JSON.
ALTER TABLE stories ADD COLUMN desk TEXT;
ALTER TABLE stories ADD COLUMN urgency INTEGER NOT NULL DEFAULT 4;
-- The latest version's embargo while it holds (NULL once lifted), and the list status derived from
-- status, workflow and that embargo, written with every change so each list is one index range.
ALTER TABLE stories ADD COLUMN embargo_until TEXT;
ALTER TABLE stories ADD COLUMN list_status TEXT NOT NULL DEFAULT 'draft'
  CHECK (list_status IN ('draft', 'submitted', 'published', 'embargoed', 'killed'));

UPDATE stories SET
  desk = json_extract(coalesce(draft, (SELECT v.content FROM versions v WHERE v.story_id = stories.id AND v.version = stories.latest_version)), '$.desk'),
  urgency = coalesce(json_extract(coalesce(draft, (SELECT v.content FROM versions v WHERE v.story_id = stories.id AND v.version = stories.latest_version)), '$.urgency'), 4),
  embargo_until = (SELECT v.embargo_until FROM versions v WHERE v.story_id = stories.id AND v.version = stories.latest_version
                    AND v.embargo_lifted_at IS NULL AND v.pub_status = 'usable');
UPDATE stories SET list_status = CASE
  WHEN status = 'killed' THEN 'killed'
  WHEN status = 'published' AND embargo_until IS NOT NULL THEN 'embargoed'
  ELSE status END;

-- Story lists: newest change first, by list status, language and desk, each one index range.
CREATE INDEX stories_list_status ON stories (list_status, updated_at DESC, id DESC);
CREATE INDEX stories_list_language ON stories (language, list_status, updated_at DESC, id DESC);
CREATE INDEX stories_list_language_all ON stories (language, updated_at DESC, id DESC);
CREATE INDEX stories_list_desk ON stories (desk, list_status, updated_at DESC, id DESC);
CREATE INDEX stories_list_desk_all ON stories (desk, updated_at DESC, id DESC);

-- Wire monitor: newest event first, filtered by one indexed column; seq is the rowid, so each of these
-- indexes is already in log order within a value.
CREATE INDEX events_language ON events (language, seq);
CREATE INDEX events_urgency ON events (urgency, seq);
CREATE INDEX events_kind ON events (kind, seq);
CREATE INDEX events_embargoed ON events (seq) WHERE embargo_until IS NOT NULL;

-- An event's categories, one row each, so "category = x, newest first" is one primary-key range.
CREATE TABLE event_categories (
  category TEXT NOT NULL,
  seq      INTEGER NOT NULL,
  PRIMARY KEY (category, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO event_categories (category, seq) SELECT j.value, e.seq FROM events e, json_each(e.categories) j;
-- Kept by triggers, so every path that appends or prunes the log keeps it in step.
CREATE TRIGGER events_categories_insert AFTER INSERT ON events BEGIN
  INSERT OR IGNORE INTO event_categories (category, seq) SELECT j.value, new.seq FROM json_each(new.categories) j;
END;
CREATE TRIGGER events_categories_delete AFTER DELETE ON events BEGIN
  DELETE FROM event_categories WHERE seq = old.seq AND category IN (SELECT j.value FROM json_each(old.categories) j);
END;
