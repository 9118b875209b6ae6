// A story's rows as both stores read them (the stories table is the same on SQLite and PostgreSQL): the
// whole story with its draft, and the light row of the desk's lists and translations; the columns, the
// row and its mapping to the model.
import type { Actor } from '../../model/actor.ts';
import type { Story, StoryContent, StoryListing, StoryListStatus, StoryWorkflow } from '../../model/story.ts';

export interface StoryRow {
  id: string;
  status: Story['status'];
  revision: number;
  draft: string;
  latest_version: number;
  translation_group: string;
  created_at: string;
  updated_at: string;
  first_published_at: string | null;
  created_by: string;
  updated_by: string;
  workflow: StoryWorkflow;
  submitted_at: string | null;
  submitted_by: string | null;
}

// The draft column is NULL while the draft is just the latest version (after every publish, and for
// imported stories): the text is then stored once, in versions, not twice.
export const STORY_COLUMNS = `s.id, s.status, s.revision, coalesce(s.draft, v.content) AS draft, s.latest_version, s.translation_group,
  s.created_at, s.updated_at, s.first_published_at, s.created_by, s.updated_by, s.workflow, s.submitted_at, s.submitted_by`;
export const STORY_FROM = `stories s LEFT JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version`;

export function toStory(r: StoryRow): Story {
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
    createdBy: JSON.parse(r.created_by) as Actor,
    updatedBy: JSON.parse(r.updated_by) as Actor,
    workflow: r.workflow,
    submittedAt: r.submitted_at,
    submittedBy: r.submitted_by ? (JSON.parse(r.submitted_by) as Actor) : null,
  };
}

export interface ListingRow {
  id: string;
  list_status: StoryListStatus;
  status: Story['status'];
  workflow: StoryWorkflow;
  headline: string;
  language: string;
  desk: string | null;
  urgency: StoryListing['urgency'];
  latest_version: number;
  translation_group: string;
  embargo_until: string | null;
  created_at: string;
  updated_at: string;
  created_by: string;
  updated_by: string;
  submitted_by: string | null;
}

export const LISTING_COLUMNS = `id, list_status, status, workflow, headline, language, desk, urgency, latest_version, translation_group,
  embargo_until, created_at, updated_at, created_by, updated_by, submitted_by`;

export function toListing(r: ListingRow): StoryListing {
  return {
    id: r.id,
    listStatus: r.list_status,
    status: r.status,
    workflow: r.workflow,
    headline: r.headline,
    language: r.language,
    desk: r.desk,
    urgency: r.urgency,
    latestVersion: r.latest_version,
    translationGroup: r.translation_group,
    embargoUntil: r.embargo_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: JSON.parse(r.created_by) as Actor,
    updatedBy: JSON.parse(r.updated_by) as Actor,
    submittedBy: r.submitted_by ? (JSON.parse(r.submitted_by) as Actor) : null,
  };
}
