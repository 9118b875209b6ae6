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
  /** When these filters took effect (the creation time, or the last edit's). */
  updatedAt: string;
}

export type NewProduct = Omit<Product, 'id' | 'createdAt' | 'updatedAt'>;

/** The filters of a product an admin may change (its name stays: subscribers and the CLI name it). */
export type ProductFilters = Omit<NewProduct, 'name'>;

/**
 * The products a subscriber had in force from `from` (ms since the epoch) until the next period began,
 * each with the filters in force then. The first period reaches back to the beginning (`-Infinity`), so a
 * new subscriber may still read the flow it was created with from the start of the log.
 */
export interface EntitlementPeriod {
  from: number;
  products: readonly Product[];
}

/** A subscriber's entitlements over time, oldest period first. */
export type Timeline = readonly EntitlementPeriod[];

/** A product's filters from the time they took effect. */
export interface ProductVersion {
  productId: string;
  effectiveAt: string;
  product: Product;
}

/** A subscriber's set of products from the time it took effect. */
export interface SubscriptionChange {
  effectiveAt: string;
  productIds: string[];
}

/**
 * Merges a subscriber's changes of products and the versions of those products into one timeline: a period
 * starts wherever either changed. The first change of each reaches back to the beginning.
 */
export function entitlementTimeline(changes: readonly SubscriptionChange[], versions: readonly ProductVersion[]): Timeline {
  if (changes.length === 0) return [];
  const byProduct = new Map<string, { from: number; product: Product }[]>();
  for (const v of [...versions].sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt))) {
    const list = byProduct.get(v.productId) ?? [];
    list.push({ from: list.length === 0 ? -Infinity : Date.parse(v.effectiveAt), product: v.product });
    byProduct.set(v.productId, list);
  }
  const sorted = [...changes].sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt));
  const starts = new Set<number>([-Infinity]);
  sorted.forEach((c, i) => i > 0 && starts.add(Date.parse(c.effectiveAt)));
  for (const list of byProduct.values()) for (const v of list) starts.add(v.from);
  const timeline: EntitlementPeriod[] = [];
  for (const from of [...starts].sort((a, b) => a - b)) {
    let change = sorted[0];
    for (let i = 1; i < sorted.length && Date.parse(sorted[i].effectiveAt) <= from; i++) change = sorted[i];
    const products: Product[] = [];
    for (const id of change.productIds) {
      let inForce: Product | null = null;
      for (const v of byProduct.get(id) ?? []) if (v.from <= from) inForce = v.product;
      if (inForce) products.push(inForce);
    }
    const last = timeline[timeline.length - 1];
    if (last && sameProducts(last.products, products)) continue;
    timeline.push({ from, products });
  }
  return timeline;
}

function sameProducts(a: readonly Product[], b: readonly Product[]): boolean {
  return a.length === b.length && a.every((p, i) => p.id === b[i].id && p.updatedAt === b[i].updatedAt);
}

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
  /** How many people of the subscriber may sign in to the portal; null means no limit set. */
  seatLimit: number | null;
  createdAt: string;
  /** The products in force over time, which the entitlement rule judges each event by. */
  entitlements: Timeline;
}

export interface NewSubscriber {
  name: string;
  /** Product ids or names. */
  products: string[];
  rateLimit?: number | null;
  defaultFormat?: string;
  seatLimit?: number | null;
}

/** What an admin may change of a subscriber besides its products. */
export interface SubscriberChanges {
  name?: string;
  rateLimit?: number | null;
  defaultFormat?: string;
  seatLimit?: number | null;
}

/** A subscriber as the API shows it: its current products, not the timeline the rule reads. */
export function subscriberView(s: Subscriber): Omit<Subscriber, 'entitlements'> {
  const { entitlements: _, ...view } = s;
  return view;
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
  /** Paused by the subscriber since then: nothing is delivered and the cursor waits; null when running. */
  pausedAt: string | null;
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

/** Where stories reached a subscriber: the API channels, stories read in the portal, and downloads. */
export type Channel = 'feed' | 'stream' | 'webhook' | 'ws' | 'portal' | 'download';

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
  /** Changes a product's filters from `now` on (the earlier versions stay in its history). NotFoundError if missing. */
  updateProduct(id: string, filters: ProductFilters, now?: Date): Promise<Product>;
  /** A product's filter versions, oldest first. */
  productHistory(id: string): Promise<ProductVersion[]>;

  /** Creates a subscriber; every product must exist (NotFoundError naming the missing one). */
  createSubscriber(s: NewSubscriber, now?: Date): Promise<Subscriber>;
  getSubscriber(id: string): Promise<Subscriber | null>;
  listSubscribers(): Promise<Subscriber[]>;
  /** Changes a subscriber's name, rate limit, default format or seat limit. NotFoundError if missing. */
  updateSubscriber(id: string, changes: SubscriberChanges): Promise<Subscriber>;
  /** Sets the subscriber's products (ids or names, each must exist) from `now` on; the earlier sets stay in its history. */
  setSubscriberProducts(id: string, products: string[], now?: Date): Promise<Subscriber>;
  /** The subscriber's sets of products, oldest first. */
  subscriptionHistory(id: string): Promise<SubscriptionChange[]>;

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
  /**
   * Extends the lease `owner` holds; false when it no longer holds it (another worker took over) or the
   * subscription was deleted or paused meanwhile: the worker then stops before its next message.
   */
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
  /** Pauses a subscription (nothing delivered, the cursor waits) or resumes it (due at once). NotFoundError if missing. */
  setWebhookPaused(id: string, paused: boolean, now?: Date): Promise<Webhook>;
  /** The signing secret of a subscription that was not deleted (to sign a test event); null when none. */
  webhookSecret(id: string): Promise<string | null>;
  /** Records an attempt that is not part of the outbox (a test event): the subscription's state is unchanged. */
  addAttempt(attempt: Omit<WebhookAttempt, 'id'>): Promise<void>;

  /** Adds to the usage counters. */
  addUsage(rows: UsageRow[]): Promise<void>;
  /** A subscriber's counters, optionally between two days (inclusive), oldest day first. */
  usage(subscriberId: string, from?: string, to?: string): Promise<UsageRow[]>;
}
