// The flow log: append-only, totally ordered by seq.
import type Database from 'better-sqlite3';
import type { FlowEvent, StoryVersion } from '../../model/story.ts';
import { stmt } from './statements.ts';

interface EventRow {
  seq: number;
  kind: FlowEvent['kind'];
  story_id: string;
  version: number;
  at: string;
  language: string;
  categories: string;
  urgency: FlowEvent['urgency'];
  media_type: FlowEvent['mediaType'];
  embargo_until: string | null;
}

export function toEvent(r: EventRow): FlowEvent {
  return {
    seq: r.seq,
    kind: r.kind,
    storyId: r.story_id,
    version: r.version,
    at: r.at,
    language: r.language,
    categories: JSON.parse(r.categories) as string[],
    urgency: r.urgency,
    mediaType: r.media_type,
    embargoUntil: r.embargo_until,
  };
}

/** Appends one event carrying `v`, with routing columns copied from it; returns the event with its seq. */
export function appendEvent(db: Database.Database, kind: FlowEvent['kind'], v: StoryVersion, at: string): FlowEvent {
  const c = v.content;
  const r = stmt(
    db,
    `INSERT INTO events (kind, story_id, version, at, language, categories, urgency, media_type, embargo_until)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(kind, v.storyId, v.version, at, c.language, JSON.stringify(c.categories), c.urgency, c.mediaType, c.embargoUntil ?? null);
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
  };
}

/** Events after `after` joined with their versions, oldest first. */
export function selectLog(db: Database.Database, after: number, limit: number): (EventRow & { content: string; vrow: string })[] {
  return stmt(
    db,
    `SELECT e.*, v.content AS content,
                          json_object('revision_id', v.revision_id, 'kind', v.kind, 'pub_status', v.pub_status,
                            'correction_note', v.correction_note, 'kill_reason', v.kill_reason,
                            'translation_group', v.translation_group, 'first_published_at', v.first_published_at,
                            'version_created_at', v.version_created_at) AS vrow
                   FROM events e JOIN versions v ON v.story_id = e.story_id AND v.version = e.version
                   WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
  ).all(after, limit) as (EventRow & { content: string; vrow: string })[];
}

/** The highest seq in the log, 0 when empty. */
export function selectHead(db: Database.Database): number {
  return (stmt(db, `SELECT coalesce(max(seq), 0) AS head FROM events`).get() as { head: number }).head;
}

/** The lowest seq still kept, 1 when nothing was pruned. */
export function selectOldest(db: Database.Database): number {
  return (stmt(db, `SELECT coalesce(min(seq), 1) AS oldest FROM events`).get() as { oldest: number }).oldest;
}
