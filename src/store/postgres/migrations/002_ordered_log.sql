-- The head of the flow log (src/store/postgres/events.ts): the last seq handed out, written by every
-- append under the log's advisory lock, so a seq is never reused even if the newest events were deleted
-- (what AUTOINCREMENT gives SQLite). One row at most.
CREATE TABLE log_head (
  one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
  seq BIGINT NOT NULL
);
