-- BM25's row count and total length as SQLite's FTS5 keeps them (src/store/postgres/search.ts
-- bm25Inputs): FTS5 with contentless_delete adds every inserted row to its totals and never takes a
-- deleted one off them (an update is a delete plus an insert), until a rebuild starts them again.
-- Kept here as two counters so PostgreSQL scores as SQLite does; a database indexed before this
-- migration starts from what its index holds now.
INSERT INTO search_meta (key, value) SELECT 'bm25_rows', count(*)::text FROM search_doc ON CONFLICT (key) DO NOTHING;
INSERT INTO search_meta (key, value) SELECT 'bm25_tokens', coalesce(sum(tokens), 0)::text FROM search_doc ON CONFLICT (key) DO NOTHING;
