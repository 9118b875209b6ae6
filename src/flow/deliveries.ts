// What reached whom: the per-subscriber reading of the log that every channel shares. It answers
// "did this subscriber already receive this story?" (so follow-ups always pass) by deriving it from the
// story's history and the subscriber's entitlements over time (both kept for good, so no per-delivery
// record is kept: at 10,000 subscribers that record was a million rows per hundred stories), keeps the
// usage counters, and scans the log for a subscriber's entitled events.
import type { FlowEvent, FlowItem } from '../model/story.ts';
import type { Store } from '../model/store.ts';
import type { Channel, Product, Subscriber, UsageRow } from '../model/subscribers.ts';
import { decide, needsHistory, productsAt, receivedBefore, type Decision, type Entitled } from './entitlement.ts';
import { planDelivery, type DeliveryPlan, type PlanOptions } from './delivery-loop.ts';

const FLUSH_MS = 1000;
// Admin acts in this process (flow/admin.ts) drop the cached subscriber at once; the time-to-live bounds
// how long a change made by another process (the CLI) or a removed subscriber could linger.
const SUBSCRIBER_TTL_MS = 30_000;

export class Deliveries {
  private pendingUsage = new Map<string, UsageRow>();
  private subscribers = new Map<string, { at: number; subscriber: Subscriber | null }>();
  /** Per set of products, the decision on the last event asked about (one entry per distinct set). */
  private lastDecisions = new Map<string, { event: FlowEvent; decision: Decision | null }>();
  private today = { until: 0, day: '' };
  private timer: NodeJS.Timeout;
  private closed = false;
  /** The counters' latest write, settled (its failure is its caller's). */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {
    // Counters are written in batches: with thousands of streams, one write per delivery would make
    // the database the bottleneck of fan-out.
    this.timer = setInterval(() => void this.flush().catch(() => {}), FLUSH_MS);
    this.timer.unref();
  }

  /** The subscriber with its products, cached so every request and stream does not read it again. */
  async subscriber(id: string): Promise<Subscriber | null> {
    const hit = this.cachedSubscriber(id);
    if (hit !== undefined) return hit;
    const subscriber = await this.store.subscribers.getSubscriber(id);
    this.subscribers.set(id, { at: Date.now(), subscriber });
    return subscriber;
  }

  /**
   * Forgets the cached subscriber (or every one: a product change touches all who have it), so the next
   * read sees a change of its entitlements. Called by the admin acts right after they are stored.
   */
  invalidate(subscriberId?: string): void {
    if (subscriberId === undefined) this.subscribers.clear();
    else this.subscribers.delete(subscriberId);
  }

  /** The cached subscriber (null: known not to exist), or undefined when it must be read. */
  cachedSubscriber(id: string): Subscriber | null | undefined {
    const hit = this.subscribers.get(id);
    return hit && hit.at + SUBSCRIBER_TTL_MS > Date.now() ? hit.subscriber : undefined;
  }

  /**
   * The delivery loop (`planDelivery`) over `items`, looking up a story's history whenever the plan asks
   * for it, so the plan stops only at a hold, the limit or the end of the items. Decisions that need no
   * history are shared by subscribers with the same products.
   */
  async plan(items: readonly FlowItem[], position: number, products: Entitled, now: number, options: PlanOptions = {}): Promise<DeliveryPlan> {
    const history = new Map<number, boolean>();
    const entitlements = { products, history, decideFirst: this.decideFirst };
    const deliver: FlowItem[] = [];
    const limit = options.limit ?? Infinity;
    for (;;) {
      const plan = planDelivery(items, position, entitlements, now, { ...options, limit: limit - deliver.length });
      deliver.push(...plan.deliver);
      position = plan.position;
      if (plan.needsHistory === null) return { ...plan, deliver };
      history.set(plan.needsHistory.seq, await this.alreadyReceived(products, plan.needsHistory));
    }
  }

  /** `decideWithoutHistory` in the form the delivery loop takes. */
  readonly decideFirst = (products: Entitled, event: FlowEvent, now: number): Decision | null => this.decideWithoutHistory(products, event, now);

  /**
   * The decision when no history is needed (every first publish, and follow-ups the products pass),
   * synchronously; null when it needs the story's history (`plan` looks it up). Fan-out to thousands of streams stays one loop, and
   * subscribers with the same products share one decision per event.
   */
  decideWithoutHistory(products: Entitled, event: FlowEvent, now = Date.now()): Decision | null {
    const signature = signatureOf(products, event);
    const last = this.lastDecisions.get(signature);
    if (last && last.event === event) return last.decision;
    const decision = needsHistory(products, event) ? null : decide(products, event, false, now);
    // A hold turns into a delivery as time passes; skips and deliveries stay what they are.
    if (decision?.action !== 'hold') this.lastDecisions.set(signature, { event, decision });
    return decision;
  }

  /**
   * True when an earlier event of the story reached the subscriber: one the entitlements in force at its
   * time passed. Derived from the story's history and the subscriber's timeline, so the answer is the
   * same for every channel, whichever ran first, and the same on a replay after the products changed.
   */
  async alreadyReceived(products: Entitled, event: FlowEvent): Promise<boolean> {
    return receivedBefore(products, await this.store.subscribers.storyEventsBefore(event.storyId, event.seq));
  }

  /** Counts `n` deliveries to a subscriber by a channel (usage, the basis of billing). */
  count(subscriberId: string, channel: Channel, n: number, now?: Date): void {
    if (n === 0 || this.closed) return;
    const day = now ? now.toISOString().slice(0, 10) : this.utcDay();
    const key = `${subscriberId}|${channel}|${day}`;
    const row = this.pendingUsage.get(key);
    if (row) row.count += n;
    else this.pendingUsage.set(key, { subscriberId, channel, day, count: n });
  }

  /** Today's UTC date (YYYY-MM-DD), formatted once a day rather than once per delivery. */
  private utcDay(): string {
    const t = Date.now();
    if (t >= this.today.until) this.today = { until: (Math.floor(t / 86_400_000) + 1) * 86_400_000, day: new Date(t).toISOString().slice(0, 10) };
    return this.today.day;
  }

  /**
   * Writes pending counters (the usage route calls it so counts are current). A write already under way
   * (the timer's) is waited for too: its counters have left `pendingUsage` but are not stored yet, and on
   * a store that writes asynchronously (PostgreSQL) a reader would otherwise miss them.
   */
  async flush(): Promise<void> {
    const earlier = this.writing;
    if (this.pendingUsage.size === 0) return earlier;
    const usage = [...this.pendingUsage.values()];
    this.pendingUsage.clear();
    const write = earlier.then(() => this.store.subscribers.addUsage(usage));
    this.writing = write.catch(() => {});
    await write;
  }

  /** Flushes and stops the timer; later records are dropped. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => {});
    this.closed = true;
  }
}

const signatures = new WeakMap<readonly Product[], string>();

/**
 * What the products in force at `at` decide by: their ids and the time their filters took effect (an
 * edited product is another version). Subscribers with the same products in force then share decisions.
 */
function signatureOf(entitled: Entitled, event: FlowEvent): string {
  // Most subscribers never changed: one period, no date to parse on the fan-out's hot path.
  const products = entitled.length === 1 && 'products' in entitled[0] ? entitled[0].products : productsAt(entitled, Date.parse(event.at));
  let s = signatures.get(products);
  if (s === undefined)
    signatures.set(
      products,
      (s = products
        .map((p) => `${p.id}@${p.updatedAt}`)
        .sort()
        .join(',')),
    );
  return s;
}

/** Where a scan of the log for one subscriber stopped, and what it found. */
export interface Scan {
  items: FlowItem[];
  /** The last position decided (delivered or skipped); the next scan starts after it. */
  position: number;
  /** When the scan stopped at a held event (delayed tier): the time it becomes visible. */
  holdUntil: number | null;
  /** The first log position read, null when nothing was (callers detect pruned gaps with it). */
  firstSeq: number | null;
}

/**
 * Reads the log after `after` and keeps the subscriber's entitled events, up to `limit` items or
 * `maxScan` events read. Stops before a held event so a delayed tier never skips past it.
 */
export async function scanEntitled(
  store: Store,
  deliveries: Deliveries,
  subscriber: Subscriber,
  after: number,
  opts: {
    limit: number;
    maxScan?: number;
    accept?: (e: FlowEvent, item: FlowItem) => boolean;
    now?: number;
    head?: number;
    /** Where to read the log from (the stream fan-out's cache of recent events); the store by default. */
    read?: (after: number, limit: number) => Promise<FlowItem[]>;
  },
): Promise<Scan> {
  // A known head at or before the position means nothing to read: no query (the cheap, common poll).
  if (opts.head !== undefined && opts.head > 0 && after >= opts.head) return { items: [], position: after, holdUntil: null, firstSeq: null };
  const maxScan = opts.maxScan ?? 5000;
  const now = opts.now ?? Date.now();
  const accept = opts.accept;
  const items: FlowItem[] = [];
  let position = after;
  let scanned = 0;
  let firstSeq: number | null = null;
  // Read about what the page needs, growing when entitlement skips much: every row read is a version
  // parsed, so reading 500 rows for a page of 20 would be most of a request's cost.
  let batchSize = Math.min(500, opts.limit);
  const read = opts.read ?? ((after: number, limit: number) => store.readLog({ after, limit }));
  while (items.length < opts.limit && scanned < maxScan) {
    const batch = await read(position, Math.min(batchSize, maxScan - scanned));
    batchSize = Math.min(500, batchSize * 2);
    if (batch.length === 0) break;
    firstSeq ??= batch[0].event.seq;
    const plan = await deliveries.plan(batch, position, subscriber.entitlements, now, {
      limit: opts.limit - items.length,
      accept: accept && ((item) => accept(item.event, item)),
    });
    items.push(...plan.deliver);
    for (const item of batch) if (item.event.seq > position && item.event.seq <= plan.position) scanned++;
    position = plan.position;
    if (plan.hold) return { items, position, holdUntil: plan.hold.notBefore, firstSeq };
  }
  return { items, position, holdUntil: null, firstSeq };
}
