// The audit trail: who changed what, when. Every admin act (products, subscribers, keys, webhooks) and
// every newsroom act records one entry, with the actor that made it (a user or an API key).
import type { Actor } from './actor.ts';

export type AuditTargetType = 'product' | 'subscriber' | 'key' | 'webhook' | 'story' | 'user';

export interface AuditEntry {
  /** Increasing: newer entries have larger ids (the keyset of pagination). */
  id: number;
  at: string;
  actor: Actor;
  /** What was done, e.g. `product.update`, `subscriber.products`. */
  action: string;
  targetType: AuditTargetType;
  targetId: string;
  /** The story concerned, when the act was about one. */
  storyId: string | null;
  /** What changed (before/after, the fields given): JSON. */
  details: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'storyId'> & { storyId?: string | null };

export interface AuditFilter {
  actorId?: string;
  storyId?: string;
  targetType?: AuditTargetType;
  targetId?: string;
  /** Only entries older than this id (the next page). */
  before?: number;
  limit?: number;
}

export interface AuditStore {
  record(entry: NewAuditEntry, now?: Date): Promise<AuditEntry>;
  /** Newest first. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
}
