// The rows of the topic tables (follows, pending alert e-mails, notifications) as both stores read them,
// and their mapping to the model: the tables are the same on SQLite and PostgreSQL (the PostgreSQL schema
// mirrors SQLite's), so the mapping is written once.
import type { Follow, FollowMode, Notification, PendingAlert } from '../../model/topics.ts';

export interface FollowRow {
  id: string;
  user_id: string;
  subscriber_id: string;
  saved_search_id: string;
  mode: FollowMode;
  notify: number;
  cursor: number;
  created_at: string;
}

export interface PendingRow {
  follow_id: string;
  story_id: string;
  version: number;
  seq: number;
  kind: string;
  headline: string;
  language: string;
  urgency: number;
  embargo_until: string | null;
  at: string;
  due_at: string;
}

export interface NotificationRow {
  id: number;
  user_id: string;
  follow_id: string;
  saved_search_id: string;
  story_id: string;
  version: number;
  headline: string;
  language: string;
  seen: number;
  at: string;
}

export const toFollow = (r: FollowRow): Follow => ({
  id: r.id,
  userId: r.user_id,
  subscriberId: r.subscriber_id,
  savedSearchId: r.saved_search_id,
  mode: r.mode,
  notify: r.notify === 1,
  cursor: r.cursor,
  createdAt: r.created_at,
});

export const toPending = (r: PendingRow): PendingAlert => ({
  followId: r.follow_id,
  storyId: r.story_id,
  version: r.version,
  seq: r.seq,
  kind: r.kind,
  headline: r.headline,
  language: r.language,
  urgency: r.urgency,
  embargoUntil: r.embargo_until,
  at: r.at,
  dueAt: r.due_at,
});

export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  userId: r.user_id,
  followId: r.follow_id,
  savedSearchId: r.saved_search_id,
  storyId: r.story_id,
  version: r.version,
  headline: r.headline,
  language: r.language,
  seen: r.seen === 1,
  at: r.at,
});
