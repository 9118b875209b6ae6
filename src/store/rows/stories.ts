// A story's light row (the desk's lists, translations) as both stores read it: the columns, the row and
// its mapping to the model (the stories table is the same on SQLite and PostgreSQL).
import type { Actor } from '../../model/actor.ts';
import type { Story, StoryListing, StoryListStatus, StoryWorkflow } from '../../model/story.ts';

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
