// Stories: the chain record and its working draft.
import type Database from 'better-sqlite3';
import type { Story, StoryContent } from '../../model/story.ts';
import type { StoryListFilter } from '../../model/store.ts';
import { stmt } from './statements.ts';

interface StoryRow {
  id: string;
  status: Story['status'];
  revision: number;
  draft: string;
  latest_version: number;
  translation_group: string;
  created_at: string;
  updated_at: string;
  first_published_at: string | null;
}

// The draft column is NULL while the draft is just the latest version (after every publish, and for
// imported stories): the text is then stored once, in versions, not twice.
const STORY_COLUMNS = `s.id, s.status, s.revision, coalesce(s.draft, v.content) AS draft, s.latest_version, s.translation_group,
  s.created_at, s.updated_at, s.first_published_at`;
const STORY_FROM = `stories s LEFT JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version`;

function toStory(r: StoryRow): Story {
  return {
    id: r.id,
    status: r.status,
    revision: r.revision,
    draft: JSON.parse(r.draft) as StoryContent,
    latestVersion: r.latest_version,
    translationGroup: r.translation_group,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstPublishedAt: r.first_published_at,
  };
}

/** Inserts a new story. */
export function insertStory(db: Database.Database, s: Story): void {
  stmt(
    db,
    `INSERT INTO stories (id, status, revision, draft, latest_version, translation_group, language, headline,
              created_at, updated_at, first_published_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
  );
}

/** Reads one story by chain id. */
export function selectStory(db: Database.Database, id: string): Story | null {
  const row = stmt(db, `SELECT ${STORY_COLUMNS} FROM ${STORY_FROM} WHERE s.id = ?`).get(id) as StoryRow | undefined;
  return row ? toStory(row) : null;
}

/** Replaces the draft if the revision is still `expectRevision`; returns false when someone was first. */
export function updateDraftRow(db: Database.Database, id: string, expectRevision: number, draft: StoryContent, now: string): boolean {
  const r = stmt(
    db,
    `UPDATE stories SET draft = ?, revision = revision + 1, language = ?, headline = ?, updated_at = ?
                      WHERE id = ? AND revision = ?`,
  ).run(JSON.stringify(draft), draft.language, draft.headline, now, id, expectRevision);
  return r.changes === 1;
}

/** Records a new published version on the story: status, latest version, and the draft reset to it. */
export function markPublished(db: Database.Database, id: string, status: Story['status'], version: number, draft: StoryContent, now: string): void {
  stmt(
    db,
    `UPDATE stories SET status = ?, latest_version = ?, draft = NULL, revision = revision + 1, language = ?, headline = ?,
              updated_at = ?, first_published_at = COALESCE(first_published_at, ?)
            WHERE id = ?`,
  ).run(status, version, draft.language, draft.headline, now, now, id);
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
