// Versions on PostgreSQL (the SQLite twin: ../sqlite/versions.ts): immutable once written. Only the
// embargo-lift time is ever set afterwards.
import type { Actor } from '../../model/actor.ts';
import type { StoryVersion } from '../../model/story.ts';
import type { VersionAct, VersionActQuery } from '../../model/store.ts';
import type { Sql } from './database.ts';
import { type VersionRow, toVersion } from '../rows/versions.ts';

const VERSION_INSERT = `INSERT INTO versions (story_id, version, revision_id, kind, pub_status, content, correction_note, kill_reason,
              translation_group, first_published_at, version_created_at, embargo_until, by_actor)`;

function versionValues(v: StoryVersion): unknown[] {
  return [
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
  ];
}

/** Inserts a frozen version. */
export async function insertVersion(sql: Sql, v: StoryVersion): Promise<void> {
  await sql.query(`${VERSION_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, versionValues(v));
}

/** Inserts many frozen versions in one statement (an archive import), arrays unnested into rows. */
/** Inserts versions in one statement (arrays unnested), parameters numbered by `param`: one CTE of a group commit's or an import's statement. */
export function insertVersionsSql(param: (v: unknown) => string, vs: StoryVersion[]): string {
  const rows = vs.map(versionValues);
  const types = ['text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];
  return `${VERSION_INSERT}
     SELECT * FROM unnest(${types.map((t, i) => `${param(rows.map((r) => r[i]))}::${t}[]`).join(', ')})`;
}

/** Reads one version of a story. */
export async function selectVersion(sql: Sql, storyId: string, version: number): Promise<StoryVersion | null> {
  const r = await sql.query<VersionRow>(`SELECT * FROM versions WHERE story_id = $1 AND version = $2`, [storyId, version]);
  return r.rows[0] ? toVersion(r.rows[0]) : null;
}

/** Lists all versions of a story, oldest first. */
export async function selectVersions(sql: Sql, storyId: string): Promise<StoryVersion[]> {
  return (await sql.query<VersionRow>(`SELECT * FROM versions WHERE story_id = $1 ORDER BY version`, [storyId])).rows.map(toVersion);
}

/** Marks a version's embargo as lifted; false when it already was. */
export async function markEmbargoLifted(sql: Sql, storyId: string, version: number, now: string): Promise<boolean> {
  const r = await sql.query(`UPDATE versions SET embargo_lifted_at = $1 WHERE story_id = $2 AND version = $3 AND embargo_lifted_at IS NULL`, [
    now,
    storyId,
    version,
  ]);
  return r.rowCount === 1;
}

/** Chain ids whose latest, live version has an embargo that has passed and was not lifted yet. */
export async function selectDueEmbargoes(sql: Sql, now: string): Promise<string[]> {
  const r = await sql.query<{ story_id: string }>(
    `SELECT v.story_id FROM versions v JOIN stories s ON s.id = v.story_id AND s.latest_version = v.version
      WHERE v.embargo_until IS NOT NULL AND v.embargo_lifted_at IS NULL AND v.embargo_until <= $1
        AND v.pub_status = 'usable'`,
    [now],
  );
  return r.rows.map((x) => x.story_id);
}

/** Versions newest first with who published them, one keyset page. */
export async function selectVersionActs(sql: Sql, q: VersionActQuery): Promise<VersionAct[]> {
  const { text, args } = versionActsSql(q);
  const rows = (
    await sql.query<{
      story_id: string;
      version: number;
      kind: string;
      version_created_at: string;
      by_actor: string;
      headline: string | null;
      language: string | null;
    }>(text, args)
  ).rows;
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

/** The statement of a page of version acts and its arguments (exported for query-plan tests). */
export function versionActsSql(q: VersionActQuery): { text: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const arg = (v: string | number) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (q.actorId !== undefined) where.push(`(by_actor::json ->> 'id') = ${arg(q.actorId)}`);
  if (q.storyId !== undefined) where.push(`story_id = ${arg(q.storyId)}`);
  if (q.before) where.push(`(version_created_at, story_id, version) < (${arg(q.before.at)}, ${arg(q.before.storyId)}, ${arg(q.before.version)})`);
  const limit = arg(Math.min(Math.max(q.limit, 1), 500));
  return {
    text: `SELECT story_id, version, kind, version_created_at, by_actor,
            content::json ->> 'headline' AS headline, content::json ->> 'language' AS language
       FROM versions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY version_created_at DESC, story_id DESC, version DESC LIMIT ${limit}`,
    args,
  };
}
