-- The PostgreSQL schema mirrors the SQLite one (src/store/sqlite/migrations) table for table and column
-- for column, so that `newsflow store copy` moves rows as they are. This first file only marks the start.
SELECT 1;
