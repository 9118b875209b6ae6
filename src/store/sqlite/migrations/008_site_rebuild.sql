-- The site's read model now shows archive categories in the story's language and keeps whether a
-- story's source gave only a date: rebuild it from the stories (the next read catches up from 0).
DELETE FROM site_categories;
DELETE FROM site_stories;
UPDATE site_cursor SET seq = 0;
