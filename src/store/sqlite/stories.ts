// Stories: the chain record and its working draft.
import type Database from 'better-sqlite3';
import type { Actor } from '../../model/actor.ts';
import type { Story, StoryContent, StoryListing, StoryListStatus, StoryWorkflow } from '../../model/story.ts';
import type { StoryListFilter, StoryListQuery } from '../../model/store.ts';
import { stmt } from './statements.ts';
import { LISTING_COLUMNS, type ListingRow, STORY_COLUMNS, STORY_FROM, type StoryRow, toListing, toStory } from '../rows/stories.ts';

/** The list a story appears in: killed, in review, under a live embargo, published, or a draft. */
export function listStatusOf(status: Story['status'], workflow: StoryWorkflow, embargoUntil: string | null | undefined): StoryListStatus {
  if (status === 'killed') return 'killed';
  if (workflow === 'submitted') return 'submitted';
  if (status === 'published' && embargoUntil) return 'embargoed';
  return status;
}

/** The desk of a content, as the list column holds it. */
function deskOf(c: StoryContent): string | null {
  return c.desk ?? null;
}

/** Inserts a new story. */
export function insertStory(db: Database.Database, s: Story): void {
  // Only a published story is under embargo; a draft's embargo is what it will carry once published.
  const embargo = s.status === 'published' ? (s.draft.embargoUntil ?? null) : null;
  stmt(
    db,
    `INSERT INTO stories (id, status, revision, draft, latest_version, translation_group, language, headline,
              created_at, updated_at, first_published_at, created_by, updated_by, workflow, desk, urgency, embargo_until, list_status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    s.id,
    s.status,
    s.revision,
    s.latestVersion > 0 ? null : JSON.stringify(s.draft),
    s.latestVersion,
    s.translationGroup,
    s.draft.language,
    s.draft.headline,
    s.createdAt,
    s.updatedAt,
    s.firstPublishedAt ?? null,
    JSON.stringify(s.createdBy),
    JSON.stringify(s.updatedBy),
    s.workflow,
    deskOf(s.draft),
    s.draft.urgency,
    embargo,
    listStatusOf(s.status, s.workflow, embargo),
  );
}

/** Reads one story by chain id. */
export function selectStory(db: Database.Database, id: string): Story | null {
  const row = stmt(db, `SELECT ${STORY_COLUMNS} FROM ${STORY_FROM} WHERE s.id = ?`).get(id) as StoryRow | undefined;
  return row ? toStory(row) : null;
}

/** Replaces the draft if the revision is still `expectRevision`; returns false when someone was first. */
export function updateDraftRow(db: Database.Database, id: string, expectRevision: number, draft: StoryContent, by: Actor, now: string): boolean {
  const r = stmt(
    db,
    `UPDATE stories SET draft = ?, revision = revision + 1, language = ?, headline = ?, desk = ?, urgency = ?, updated_at = ?, updated_by = ?
                      WHERE id = ? AND revision = ?`,
  ).run(JSON.stringify(draft), draft.language, draft.headline, deskOf(draft), draft.urgency, now, JSON.stringify(by), id, expectRevision);
  return r.changes === 1;
}

/**
 * Records a new published version on the story: status, latest version, and the draft reset to it.
 * Publishing takes the draft out of the review queue.
 */
export function markPublished(db: Database.Database, id: string, status: Story['status'], version: number, draft: StoryContent, by: Actor, now: string): void {
  const embargo = status === 'published' ? (draft.embargoUntil ?? null) : null;
  stmt(
    db,
    `UPDATE stories SET status = ?, latest_version = ?, draft = NULL, revision = revision + 1, language = ?, headline = ?,
              desk = ?, urgency = ?, updated_at = ?, updated_by = ?, first_published_at = COALESCE(first_published_at, ?),
              workflow = 'writing', submitted_at = NULL, submitted_by = NULL, embargo_until = ?, list_status = ?
            WHERE id = ?`,
  ).run(
    status,
    version,
    draft.language,
    draft.headline,
    deskOf(draft),
    draft.urgency,
    now,
    JSON.stringify(by),
    now,
    embargo,
    listStatusOf(status, 'writing', embargo),
    id,
  );
}

/** The story's embargo was lifted: it leaves the embargoed list. */
export function markStoryEmbargoLifted(db: Database.Database, id: string): void {
  stmt(
    db,
    `UPDATE stories SET embargo_until = NULL, list_status = CASE WHEN list_status = 'embargoed' THEN 'published' ELSE list_status END
            WHERE id = ?`,
  ).run(id);
}

/** Puts the draft in the review queue or takes it out; the draft and its revision stay as they are. */
export function setWorkflowRow(db: Database.Database, id: string, workflow: StoryWorkflow, by: Actor, now: string): void {
  stmt(
    db,
    `UPDATE stories SET workflow = @workflow, submitted_at = CASE WHEN @workflow = 'submitted' THEN @now END,
              submitted_by = CASE WHEN @workflow = 'submitted' THEN @by END,
              list_status = CASE WHEN status = 'killed' THEN 'killed' WHEN @workflow = 'submitted' THEN 'submitted'
                                 WHEN status = 'published' AND embargo_until IS NOT NULL THEN 'embargoed' ELSE status END
            WHERE id = @id`,
  ).run({ workflow, now, by: JSON.stringify(by), id });
}

/** The keyset position of a listing: its last change and id, which together order the list. */
export function listingPosition(l: Pick<StoryListing, 'updatedAt' | 'id'>): string {
  return `${l.updatedAt}~${l.id}`;
}

/** Parses a position from listingPosition; null when it is not one. */
export function parseListingPosition(p: string): { updatedAt: string; id: string } | null {
  const m = /^([0-9T:.\-+Z]{10,40})~([0-9a-z]{1,40})$/.exec(p);
  return m ? { updatedAt: m[1], id: m[2] } : null;
}

/**
 * The desk's story list, newest change first, one page after a keyset position. Every combination of
 * filters is one range of one index (migration 010), so a page costs the same at 50 or 50,000 stories.
 */
export function selectStoryList(db: Database.Database, q: StoryListQuery, now: string): StoryListing[] {
  const { sql, args } = storyListSql(q, now);
  return (stmt(db, sql).all(...args) as ListingRow[]).map(toListing);
}

/** The statement selectStoryList runs (exported so tests can EXPLAIN it). */
export function storyListSql(q: StoryListQuery, now: string): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.status) {
    where.push('list_status = ?');
    args.push(q.status);
    // A live embargo only: one whose time has come is lifted by maintenance within a second.
    if (q.status === 'embargoed') {
      where.push('embargo_until > ?');
      args.push(now);
    }
  }
  if (q.language) {
    where.push('language = ?');
    args.push(q.language);
  }
  if (q.desk) {
    where.push('desk = ?');
    args.push(q.desk);
  }
  const after = q.after ? parseListingPosition(q.after) : null;
  // An open upper bound when there is no position, so the first page is the same index range as the others.
  where.push('(updated_at, id) < (?, ?)');
  args.push(after?.updatedAt ?? '\uffff', after?.id ?? '\uffff');
  args.push(q.limit ?? 50);
  return { sql: `SELECT ${LISTING_COLUMNS} FROM stories WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, id DESC LIMIT ?`, args };
}

/** Every story of a translation group, oldest first (the original, then its translations). */
export function selectTranslations(db: Database.Database, group: string): StoryListing[] {
  return (stmt(db, `SELECT ${LISTING_COLUMNS} FROM stories WHERE translation_group = ? ORDER BY created_at, id`).all(group) as ListingRow[]).map(toListing);
}

/** Lists stories, newest first. */
export function selectStories(db: Database.Database, f: StoryListFilter): Story[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.status) {
    where.push('s.status = ?');
    args.push(f.status);
  }
  if (f.language) {
    where.push('s.language = ?');
    args.push(f.language);
  }
  if (f.before) {
    where.push('s.id < ?');
    args.push(f.before);
  }
  const sql = `SELECT ${STORY_COLUMNS} FROM ${STORY_FROM} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY s.id DESC LIMIT ?`;
  return (stmt(db, sql).all(...args, f.limit ?? 50) as StoryRow[]).map(toStory);
}

/** Counts all stories. */
export function countStoryRows(db: Database.Database): number {
  return (stmt(db, `SELECT count(*) AS n FROM stories`).get() as { n: number }).n;
}
