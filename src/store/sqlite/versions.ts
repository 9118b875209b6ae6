// Versions: immutable once written. Only the embargo-lift time is ever set afterwards.
import type Database from 'better-sqlite3';
import type { Actor } from '../../model/actor.ts';
import type { StoryContent, StoryVersion } from '../../model/story.ts';
import { stmt } from './statements.ts';

interface VersionRow {
  story_id: string;
  version: number;
  revision_id: string;
  kind: StoryVersion['kind'];
  pub_status: StoryVersion['pubStatus'];
  content: string;
  correction_note: string | null;
  kill_reason: string | null;
  translation_group: string;
  first_published_at: string;
  version_created_at: string;
  by_actor: string;
}

function toVersion(r: VersionRow): StoryVersion {
  return {
    storyId: r.story_id,
    version: r.version,
    revisionId: r.revision_id,
    kind: r.kind,
    pubStatus: r.pub_status,
    content: JSON.parse(r.content) as StoryContent,
    correctionNote: r.correction_note,
    killReason: r.kill_reason,
    translationGroup: r.translation_group,
    firstPublishedAt: r.first_published_at,
    versionCreatedAt: r.version_created_at,
    by: JSON.parse(r.by_actor) as Actor,
  };
}

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
