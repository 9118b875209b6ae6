// The flow log: append-only, totally ordered by seq.
import type Database from 'better-sqlite3';
import type { Actor } from '../../model/actor.ts';
import type { FlowEvent, StoryVersion, WireEntry } from '../../model/story.ts';
import type { WireQuery } from '../../model/store.ts';
import { stmt } from './statements.ts';
import { type EventRow, toEvent } from '../rows/events.ts';

/** Appends one event carrying `v`, with routing columns copied from it; returns the event with its seq. */
export function appendEvent(db: Database.Database, kind: FlowEvent['kind'], v: StoryVersion, at: string, by: Actor): FlowEvent {
  const c = v.content;
  const r = stmt(
    db,
    `INSERT INTO events (kind, story_id, version, at, language, categories, urgency, media_type, embargo_until, actor)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(kind, v.storyId, v.version, at, c.language, JSON.stringify(c.categories), c.urgency, c.mediaType, c.embargoUntil ?? null, JSON.stringify(by));
  return {
    seq: Number(r.lastInsertRowid),
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

/** Events after `after` joined with their versions, oldest first; only `languages` when given (a prefilter). */
export function selectLog(db: Database.Database, after: number, limit: number, languages?: string[]): (EventRow & { content: string; vrow: string })[] {
  const only = languages !== undefined && languages.length > 0;
  return stmt(
    db,
    `SELECT e.*, v.content AS content,
                          json_object('revision_id', v.revision_id, 'kind', v.kind, 'pub_status', v.pub_status,
                            'correction_note', v.correction_note, 'kill_reason', v.kill_reason,
                            'translation_group', v.translation_group, 'first_published_at', v.first_published_at,
                            'version_created_at', v.version_created_at, 'by', v.by_actor) AS vrow
                   FROM events e JOIN versions v ON v.story_id = e.story_id AND v.version = e.version
                   WHERE e.seq > ?${only ? ' AND e.language IN (SELECT value FROM json_each(?))' : ''} ORDER BY e.seq LIMIT ?`,
  ).all(...(only ? [after, JSON.stringify(languages), limit] : [after, limit])) as (EventRow & { content: string; vrow: string })[];
}

/** The highest seq in the log, 0 when empty. */
export function selectHead(db: Database.Database): number {
  return (stmt(db, `SELECT coalesce(max(seq), 0) AS head FROM events`).get() as { head: number }).head;
}

/** The lowest seq still kept, 1 when nothing was pruned. */
export function selectOldest(db: Database.Database): number {
  return (stmt(db, `SELECT coalesce(min(seq), 1) AS oldest FROM events`).get() as { oldest: number }).oldest;
}

/** The wire monitor's query and arguments (exported so tests can EXPLAIN it). */
export function wireSql(q: WireQuery, now: string): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  // A category drives the query from its own index (event_categories), in log order.
  const from = q.category
    ? 'event_categories c JOIN events e ON e.seq = c.seq JOIN versions v ON v.story_id = e.story_id AND v.version = e.version'
    : 'events e JOIN versions v ON v.story_id = e.story_id AND v.version = e.version';
  const seq = q.category ? 'c.seq' : 'e.seq';
  if (q.category) {
    where.push('c.category = ?');
    args.push(q.category);
  }
  if (q.language) {
    where.push('e.language = ?');
    args.push(q.language);
  }
  if (q.urgency !== undefined) {
    where.push('e.urgency = ?');
    args.push(q.urgency);
  }
  if (q.kind) {
    where.push('e.kind = ?');
    args.push(q.kind);
  }
  if (q.embargoed === true) {
    // `embargo_until IS NOT NULL` as written lets the planner use the partial index events_embargoed.
    where.push(`e.embargo_until IS NOT NULL AND e.embargo_until > ? AND e.kind <> 'embargo-lifted' AND v.embargo_lifted_at IS NULL`);
    args.push(now);
  } else if (q.embargoed === false) {
    where.push(`(e.embargo_until IS NULL OR e.embargo_until <= ? OR e.kind = 'embargo-lifted' OR v.embargo_lifted_at IS NOT NULL)`);
    args.push(now);
  }
  // An open upper bound on the first page, so every page is a range of the same index.
  where.push(`${seq} < ?`);
  args.push(q.before ?? Number.MAX_SAFE_INTEGER);
  args.push(q.limit ?? 50);
  return {
    sql: `SELECT e.*, json_extract(v.content, '$.headline') AS headline, v.embargo_lifted_at AS lifted_at
            FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${seq} DESC LIMIT ?`,
    args,
  };
}

/** The wire monitor: events newest first with their version's headline, one page before `q.before`. */
export function selectWire(db: Database.Database, q: WireQuery, now: string): WireEntry[] {
  const { sql, args } = wireSql(q, now);
  return (stmt(db, sql).all(...args) as (EventRow & { headline: string; lifted_at: string | null })[]).map((r) => ({
    event: toEvent(r),
    headline: r.headline,
    embargoed: r.kind !== 'embargo-lifted' && r.embargo_until !== null && r.embargo_until > now && r.lifted_at === null,
  }));
}
