// The subscriber side of the store: products, subscribers, what each subscriber received, webhook
// outboxes and usage counters. Promise-based like Store, so a PostgreSQL twin can implement it too.
import type { EventKind, FlowEvent, MediaType } from './story.ts';
import { validLanguageTags } from './language.ts';

/** Something that can be sold: a filter on the flow ("Arabic text service", "Turkish photo service"). */
export interface Product {
  id: string;
  name: string;
  /** Language tags; empty means every language. `ar` also matches `ar-SA`. */
  languages: string[];
  /** Categories; empty means every category. A version matches when it has at least one of them. */
  categories: string[];
  /** The lowest priority still included (urgency 1 is flash); null means every urgency. */
  maxUrgency: number | null;
  /** Media types; empty means every type. */
  mediaTypes: MediaType[];
  /** Receives embargoed versions before the lift (flagged); everyone else waits for the lift event. */
  embargoRights: boolean;
  /** Events reach this product this many seconds after they happened (a cheaper tier). */
  delaySeconds: number;
  createdAt: string;
}

export type NewProduct = Omit<Product, 'id' | 'createdAt'>;

/** A product from the fields an admin gave (API or CLI), with the defaults of an unrestricted product. */
export function productFrom(b: Partial<NewProduct> & { name: string }): NewProduct {
  return {
    name: b.name,
    languages: validLanguageTags(b.languages ?? [], '/languages'),
    categories: b.categories ?? [],
    maxUrgency: b.maxUrgency ?? null,
    mediaTypes: b.mediaTypes ?? [],
    embargoRights: b.embargoRights ?? false,
    delaySeconds: b.delaySeconds ?? 0,
  };
}

export interface Subscriber {
  id: string;
  name: string;
  products: Product[];
  /** Feed requests per minute; null means unlimited. */
  rateLimit: number | null;
  /** The format deliveries are rendered in when the request does not choose one. */
  defaultFormat: string;
  createdAt: string;
}

export interface NewSubscriber {
  name: string;
  /** Product ids or names. */
  products: string[];
  rateLimit?: number | null;
  defaultFormat?: string;
}

export type WebhookStatus = 'active' | 'failed' | 'deleted';

/** A webhook subscription as shown to its owner (never with its secret). */
export interface Webhook {
  id: string;
  subscriberId: string;
  url: string;
  /** Event kinds delivered; null means every kind. */
  events: EventKind[] | null;
  /** A saved search filtering what is delivered (an alert); null means everything entitled. */
  alertId: string | null;
  /** Last log position delivered or skipped: the outbox cursor. */
  cursor: number;
  status: WebhookStatus;
  /** Failed attempts of the message after the cursor. */
  attempt: number;
  nextAttemptAt: string;
  failingSince: string | null;
  lastError: string | null;
  createdAt: string;
}

/** A webhook with the secret the worker signs with. */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export interface WebhookAttempt {
  id: number;
  webhookId: string;
  seq: number;
  messageId: string;
  attempt: number;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  ok: boolean;
  error: string | null;
}

/** What the worker records after one attempt, with the new state of the subscription, in one transaction. */
export interface AttemptOutcome {
  attempt: Omit<WebhookAttempt, 'id'>;
  state: Pick<Webhook, 'cursor' | 'status' | 'attempt' | 'nextAttemptAt' | 'failingSince' | 'lastError'>;
}

export type Channel = 'feed' | 'stream' | 'webhook' | 'ws' | 'download';

export interface UsageRow {
  subscriberId: string;
  channel: Channel;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  count: number;
}

export interface SubscriberStore {
  createProduct(p: NewProduct, now?: Date): Promise<Product>;
  listProducts(): Promise<Product[]>;
  /** By id or by name. */
  getProduct(idOrName: string): Promise<Product | null>;

  /** Creates a subscriber; every product must exist (NotFoundError naming the missing one). */
  createSubscriber(s: NewSubscriber, now?: Date): Promise<Subscriber>;
  getSubscriber(id: string): Promise<Subscriber | null>;
  listSubscribers(): Promise<Subscriber[]>;

  /**
   * The story's events before `seq`, oldest first, from which what a subscriber received is derived.
   * When retention pruned the story's first events, they are rebuilt from its versions (the archive
   * keeps them), so a follow-up of an old story still reaches everyone who had it.
   */
  storyEventsBefore(storyId: string, seq: number): Promise<FlowEvent[]>;
  /** The log position just before the first event at or after `at` (where a feed `since` starts). */
  positionBefore(at: string): Promise<number>;
  /** Deletes log events older than `before`, keeping the newest one; returns how many went. */
  pruneLog(before: Date): Promise<number>;
  /** Which of these key ids are revoked or gone (open streams of those keys are closed). */
  revokedKeys(keyIds: string[]): Promise<string[]>;

  /** Creates a webhook subscription whose cursor starts at `cursor`. */
  createWebhook(
    w: { subscriberId: string; url: string; secret: string; events: EventKind[] | null; cursor: number; alertId?: string | null },
    now?: Date,
  ): Promise<Webhook>;
  getWebhook(id: string): Promise<Webhook | null>;
  listWebhooks(subscriberId?: string): Promise<Webhook[]>;
  deleteWebhook(id: string): Promise<void>;
  /**
   * Active subscriptions whose next attempt is due, with their secrets; with `owner`, leaving out those
   * another worker holds an unexpired lease on.
   */
  dueWebhooks(now: Date, owner?: string): Promise<WebhookWithSecret[]>;
  /**
   * Atomically takes the delivery lease of a due, active subscription for `owner` until `until`, unless
   * another owner holds an unexpired one. Returns the subscription as stored at the claim (its cursor is the
   * one to resume from), or null when not claimed.
   */
  claimWebhook(id: string, owner: string, until: Date, now?: Date): Promise<WebhookWithSecret | null>;
  /** Extends the lease `owner` holds; false when it no longer holds it (another worker took over). */
  renewWebhook(id: string, owner: string, until: Date): Promise<boolean>;
  /** Gives the lease back if `owner` still holds it, so another worker may deliver at once. */
  releaseWebhook(id: string, owner: string): Promise<void>;
  /** Moves the cursor past events the subscription does not get (no attempt recorded). */
  skipWebhook(id: string, cursor: number, nextAttemptAt?: string): Promise<void>;
  /** Records an attempt and the subscription's new state together. */
  recordAttempt(webhookId: string, outcome: AttemptOutcome): Promise<void>;
  /** Makes a subscription active and due now, optionally from another cursor (redeliver). */
  resetWebhook(id: string, cursor?: number, now?: Date): Promise<Webhook>;
  listAttempts(webhookId: string, limit?: number): Promise<WebhookAttempt[]>;

  /** Adds to the usage counters. */
  addUsage(rows: UsageRow[]): Promise<void>;
  /** A subscriber's counters, optionally between two days (inclusive), oldest day first. */
  usage(subscriberId: string, from?: string, to?: string): Promise<UsageRow[]>;
}
