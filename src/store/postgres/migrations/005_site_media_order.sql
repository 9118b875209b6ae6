-- The site's pages, the leads list and the media queue compare and order text the way SQLite does: byte
-- by byte (SQLite's BINARY collation). A database created under a language's collation (Debian's default
-- en_US.UTF-8, or ICU) would otherwise order slugs, ids and the leads' '~' bound differently from the
-- SQLite store, and keyset pages would skip or repeat rows. The columns' own collation keeps the indexes usable.
ALTER TABLE site_stories
  ALTER COLUMN story_id TYPE TEXT COLLATE "C",
  ALTER COLUMN language TYPE TEXT COLLATE "C",
  ALTER COLUMN embargo_until TYPE TEXT COLLATE "C",
  ALTER COLUMN published_at TYPE TEXT COLLATE "C",
  ALTER COLUMN updated_at TYPE TEXT COLLATE "C";
ALTER TABLE site_categories
  ALTER COLUMN language TYPE TEXT COLLATE "C",
  ALTER COLUMN slug TYPE TEXT COLLATE "C",
  ALTER COLUMN name TYPE TEXT COLLATE "C",
  ALTER COLUMN published_at TYPE TEXT COLLATE "C",
  ALTER COLUMN story_id TYPE TEXT COLLATE "C";
ALTER TABLE leads ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE media_assets
  ALTER COLUMN id TYPE TEXT COLLATE "C",
  ALTER COLUMN created_at TYPE TEXT COLLATE "C",
  ALTER COLUMN updated_at TYPE TEXT COLLATE "C";
