// The flow log on PostgreSQL (the SQLite twin: ../sqlite/events.ts): append-only, totally ordered by seq.
//
// The ORDERED LOG. A sequence or identity column would hand out numbers in the order transactions ask,
// not the order they commit: a reader could see event 12 while 11 is still uncommitted, move its cursor
// to 12, and never see 11. So every transaction that appends takes one transaction-scoped advisory lock
// (LOG_LOCK) before it reads the head, allocates seq = head + 1, head + 2, … and keeps the lock until
// its COMMIT is durable and visible (PostgreSQL releases transaction locks after the commit record is
// flushed and the transaction has left the running set). The next appender therefore allocates only
// after every lower seq is visible: a reader that has seen N can never later find an event below N.
// The head is the greater of the log_head counter (migration 002, so a seq is never reused even if the
// newest rows were deleted, like SQLite's AUTOINCREMENT) and max(seq) (rows copied in by `store copy`).
import type { Actor } from '../../model/actor.ts';
import type { FlowEvent, StoryVersion, WireEntry } from '../../model/story.ts';
import type { WireQuery } from '../../model/store.ts';
import type { Sql } from './database.ts';
import { type EventRow, toEvent } from '../rows/events.ts';
import type { VersionRow } from '../rows/versions.ts';

/** The advisory-lock key that orders the flow log (pg_advisory_xact_lock); no other part of newsflow uses it. */
export const LOG_LOCK = 7_301_000_002;

/** The channel a committed append announces its new head seq on (the LISTEN side wakes readers). */
export const LOG_CHANNEL = 'newsflow_log';

/**
 * Takes the log lock for the rest of the caller's transaction and returns the head seq (0 when empty).
 * Must run before any seq is allocated in that transaction.
 */
export async function lockLogHead(sql: Sql): Promise<number> {
  await sql.query(LOCK_LOG_SQL);
  const r = await sql.query<{ head: number }>(LOG_HEAD_SQL);
  return r.rows[0].head;
}

/** The two statements of lockLogHead, without parameters: a group commit sends them with its BEGIN. */
export const LOCK_LOG_SQL = `SELECT pg_advisory_xact_lock(${LOG_LOCK})`;
export const LOG_HEAD_SQL = `SELECT greatest((SELECT coalesce(max(seq), 0) FROM log_head), (SELECT coalesce(max(seq), 0) FROM events)) AS head`;

/** Records the new head and announces it to listeners; both take effect when the transaction commits. */
export async function commitLogHead(sql: Sql, head: number): Promise<void> {
  // One statement, one round trip: it runs inside the log lock, so every other appender waits on it.
  const args: unknown[] = [];
  await sql.query(`WITH ${commitLogHeadSql((v) => `$${args.push(v)}`, head)}`, args);
}

/** commitLogHead's statement after its `WITH`: a group commit puts its other writes before it, as CTEs. */
export function commitLogHeadSql(param: (v: unknown) => string, head: number): string {
  return `log_head_set AS (INSERT INTO log_head (one, seq) VALUES (true, ${param(head)}) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq RETURNING seq)
     SELECT pg_notify(${param(LOG_CHANNEL)}, seq::text) FROM log_head_set`;
}

function eventOf(seq: number, kind: FlowEvent['kind'], v: StoryVersion, at: string, by: Actor): FlowEvent {
  const c = v.content;
  return {
    seq,
    kind,
    storyId: v.storyId,
    version: v.version,
    at,
    language: c.language,
    categories: c.categories,
    urgency: c.urgency,
    mediaType: c.mediaType,
    embargoUntil: c.embargoUntil ?? null,
    by,
  };
}

/** Appends one event at `seq` (allocated under the log lock) carrying `v`, routing columns copied from it. */
export async function appendEvent(sql: Sql, seq: number, kind: FlowEvent['kind'], v: StoryVersion, at: string, by: Actor): Promise<FlowEvent> {
  const e = eventOf(seq, kind, v, at, by);
  await sql.query(
    `INSERT INTO events (seq, kind, story_id, version, at, language, categories, urgency, media_type, embargo_until, actor)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [seq, kind, e.storyId, e.version, at, e.language, JSON.stringify(e.categories), e.urgency, e.mediaType, e.embargoUntil, JSON.stringify(by)],
  );
  return e;
}

/** The events `eventOf` would make, one per (seq, kind, version, at, by). */
export function eventsOf(rows: { seq: number; kind: FlowEvent['kind']; version: StoryVersion; at: string; by: Actor }[]): FlowEvent[] {
  return rows.map((r) => eventOf(r.seq, r.kind, r.version, r.at, r.by));
}

/** Inserts events (their seqs allocated under the log lock) in one statement, parameters numbered by `param`: one CTE of a group commit's or an import's statement. */
export function insertEventsSql(param: (v: unknown) => string, events: FlowEvent[]): string {
  const col = (f: (e: FlowEvent) => unknown, type: string) => `${param(events.map(f))}::${type}[]`;
  return `INSERT INTO events (seq, kind, story_id, version, at, language, categories, urgency, media_type, embargo_until, actor)
     SELECT * FROM unnest(${[
       col((e) => e.seq, 'bigint'),
       col((e) => e.kind, 'text'),
       col((e) => e.storyId, 'text'),
       col((e) => e.version, 'bigint'),
       col((e) => e.at, 'text'),
       col((e) => e.language, 'text'),
       col((e) => JSON.stringify(e.categories), 'text'),
       col((e) => e.urgency, 'bigint'),
       col((e) => e.mediaType, 'text'),
       col((e) => e.embargoUntil, 'text'),
       col((e) => JSON.stringify(e.by), 'text'),
     ].join(', ')})`;
}

/** An event row joined with its version's columns (the version's own kind as `v_kind`). */
export type LogRow = EventRow & Omit<VersionRow, keyof EventRow> & { v_kind: StoryVersion['kind'] };

/** Events after `after` joined with their versions, oldest first; only `languages` when given (a prefilter). */
export async function selectLog(sql: Sql, after: number, limit: number, languages?: string[]): Promise<LogRow[]> {
  const only = languages && languages.length > 0;
  const r = await sql.query<LogRow>(
    `SELECT e.*, v.content, v.revision_id, v.kind AS v_kind, v.pub_status, v.correction_note, v.kill_reason,
            v.translation_group, v.first_published_at, v.version_created_at, v.by_actor
       FROM events e JOIN versions v ON v.story_id = e.story_id AND v.version = e.version
      WHERE e.seq > $1 ${only ? 'AND e.language = ANY($3::text[])' : ''} ORDER BY e.seq LIMIT $2`,
    only ? [after, limit, languages] : [after, limit],
  );
  return r.rows;
}

/** The highest seq in the log, 0 when empty. */
export async function selectHead(sql: Sql): Promise<number> {
  return (await sql.query<{ head: number }>(`SELECT coalesce(max(seq), 0) AS head FROM events`)).rows[0].head;
}

/** The lowest seq still kept, 1 when nothing was pruned. */
export async function selectOldest(sql: Sql): Promise<number> {
  return (await sql.query<{ oldest: number }>(`SELECT coalesce(min(seq), 1) AS oldest FROM events`)).rows[0].oldest;
}

/** The wire monitor's query and arguments (exported so tests can EXPLAIN it). */
export function wireSql(q: WireQuery, now: string): { text: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  // A category drives the query from its own index (event_categories), in log order.
  const from = q.category
    ? 'event_categories c JOIN events e ON e.seq = c.seq JOIN versions v ON v.story_id = e.story_id AND v.version = e.version'
    : 'events e JOIN versions v ON v.story_id = e.story_id AND v.version = e.version';
  const seq = q.category ? 'c.seq' : 'e.seq';
  if (q.category) where.push(`c.category = ${arg(q.category)}`);
  if (q.language) where.push(`e.language = ${arg(q.language)}`);
  if (q.urgency !== undefined) where.push(`e.urgency = ${arg(q.urgency)}`);
  if (q.kind) where.push(`e.kind = ${arg(q.kind)}`);
  if (q.embargoed === true) {
    const n = arg(now);
    where.push(`e.embargo_until IS NOT NULL AND e.embargo_until > ${n} AND e.kind <> 'embargo-lifted' AND v.embargo_lifted_at IS NULL`);
  } else if (q.embargoed === false) {
    const n = arg(now);
    where.push(`(e.embargo_until IS NULL OR e.embargo_until <= ${n} OR e.kind = 'embargo-lifted' OR v.embargo_lifted_at IS NOT NULL)`);
  }
  if (q.before !== undefined && q.before !== null) where.push(`${seq} < ${arg(q.before)}`);
  const limit = arg(q.limit ?? 50);
  return {
    text: `SELECT e.*, v.content::json ->> 'headline' AS headline, v.embargo_lifted_at AS lifted_at
             FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${seq} DESC LIMIT ${limit}`,
    args,
  };
}

/** The wire monitor: events newest first with their version's headline, one page before `q.before`. */
export async function selectWire(sql: Sql, q: WireQuery, now: string): Promise<WireEntry[]> {
  const { text, args } = wireSql(q, now);
  return (await sql.query<EventRow & { headline: string; lifted_at: string | null }>(text, args)).rows.map((r) => ({
    event: toEvent(r),
    headline: r.headline,
    embargoed: r.kind !== 'embargo-lifted' && r.embargo_until !== null && r.embargo_until > now && r.lifted_at === null,
  }));
}
