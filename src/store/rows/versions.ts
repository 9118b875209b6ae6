// A frozen version's row as both stores read it, and its mapping to the model (the versions table is the
// same on SQLite and PostgreSQL).
import type { Actor } from '../../model/actor.ts';
import type { StoryContent, StoryVersion } from '../../model/story.ts';

export interface VersionRow {
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

export function toVersion(r: VersionRow): StoryVersion {
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
