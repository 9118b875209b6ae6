// A log event's row as both stores read it, and its mapping to the model (the events table is the same on
// SQLite and PostgreSQL).
import type { Actor } from '../../model/actor.ts';
import type { FlowEvent } from '../../model/story.ts';

export interface EventRow {
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
  actor: string;
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
    by: JSON.parse(r.actor) as Actor,
  };
}
