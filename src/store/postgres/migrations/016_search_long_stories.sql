-- Stories with a column longer than the 16,383 positions a tsvector numbers: phrase search looks them up
-- in their full token lists (src/store/postgres/search.ts, matchSql). This small partial index tells a
-- search at once whether the archive holds any.
CREATE INDEX search_doc_long ON search_doc (doc_id) WHERE tokens > 16383;
