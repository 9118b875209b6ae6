// Versions: immutable once written. Only the embargo-lift time is ever set afterwards.
import type Database from 'better-sqlite3';
import type { Actor } from '../../model/actor.ts';
import type { StoryVersion } from '../../model/story.ts';
import type { VersionAct, VersionActQuery } from '../../model/store.ts';
import { stmt } from './statements.ts';
import { type VersionRow, toVersion } from '../rows/versions.ts';

/** Inserts a frozen version. */
export function insertVersion(db: Database.Database, v: StoryVersion): void {
  stmt(
    db,
    `INSERT INTO versions (story_id, version, revision_id, kind, pub_status, content, correction_note, kill_reason,
              translation_group, first_published_at, version_created_at, embargo_until, by_actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    v.storyId,
    v.version,
    v.revisionId,
    v.kind,
    v.pubStatus,
    JSON.stringify(v.content),
    v.correctionNote ?? null,
    v.killReason ?? null,
    v.translationGroup,
    v.firstPublishedAt,
    v.versionCreatedAt,
    v.content.embargoUntil ?? null,
    JSON.stringify(v.by),
  );
}

/** Reads one version of a story. */
export function selectVersion(db: Database.Database, storyId: string, version: number): StoryVersion | null {
  const row = stmt(db, `SELECT * FROM versions WHERE story_id = ? AND version = ?`).get(storyId, version) as VersionRow | undefined;
  return row ? toVersion(row) : null;
}

/** Lists all versions of a story, oldest first. */
export function selectVersions(db: Database.Database, storyId: string): StoryVersion[] {
  return (stmt(db, `SELECT * FROM versions WHERE story_id = ? ORDER BY version`).all(storyId) as VersionRow[]).map(toVersion);
}

/** Marks a version's embargo as lifted; false when it already was. */
export function markEmbargoLifted(db: Database.Database, storyId: string, version: number, now: string): boolean {
  return (
    stmt(db, `UPDATE versions SET embargo_lifted_at = ? WHERE story_id = ? AND version = ? AND embargo_lifted_at IS NULL`).run(now, storyId, version)
      .changes === 1
  );
}

/** Chain ids whose latest, live version has an embargo that has passed and was not lifted yet. */
export function selectDueEmbargoes(db: Database.Database, now: string): string[] {
  return (
    stmt(
      db,
      `SELECT v.story_id FROM versions v JOIN stories s ON s.id = v.story_id AND s.latest_version = v.version
                    WHERE v.embargo_until IS NOT NULL AND v.embargo_lifted_at IS NULL AND v.embargo_until <= ?
                      AND v.pub_status = 'usable'`,
    ).all(now) as { story_id: string }[]
  ).map((r) => r.story_id);
}

/**
 * Versions newest first with who published them. Filtered by actor it reads the versions_by_actor index,
 * by story the primary key, otherwise versions_created (migration 014); each a keyset range.
 */
export function selectVersionActs(db: Database.Database, q: VersionActQuery): VersionAct[] {
  const { sql, args } = versionActsSql(q);
  const rows = stmt(db, sql).all(...args) as {
    story_id: string;
    version: number;
    kind: string;
    version_created_at: string;
    by_actor: string;
    headline: string | null;
    language: string | null;
  }[];
  return rows.map((r) => ({
    storyId: r.story_id,
    version: r.version,
    kind: r.kind,
    headline: r.headline ?? '',
    language: r.language ?? '',
    at: r.version_created_at,
    by: JSON.parse(r.by_actor) as Actor,
  }));
}

/** The statement of a page of version acts and its arguments (exported for the query-plan test). */
export function versionActsSql(q: VersionActQuery): { sql: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.actorId !== undefined) {
    where.push(`json_extract(by_actor, '$.id') = ?`);
    args.push(q.actorId);
  }
  if (q.storyId !== undefined) {
    where.push('story_id = ?');
    args.push(q.storyId);
  }
  if (q.before) {
    where.push('(version_created_at, story_id, version) < (?, ?, ?)');
    args.push(q.before.at, q.before.storyId, q.before.version);
  }
  return {
    sql: `SELECT story_id, version, kind, version_created_at, by_actor,
            json_extract(content, '$.headline') AS headline, json_extract(content, '$.language') AS language
       FROM versions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY version_created_at DESC, story_id DESC, version DESC LIMIT ?`,
    args: [...args, Math.min(Math.max(q.limit, 1), 500)],
  };
}
