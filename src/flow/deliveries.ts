// What reached whom: the per-subscriber reading of the log that every channel shares. It answers
// "did this subscriber already receive this story?" (so follow-ups always pass), keeps the compact
// delivery record and the usage counters, and scans the log for a subscriber's entitled events.
import type { FlowEvent, FlowItem } from '../model/story.ts';
import type { Store } from '../store/store.ts';
import type { Channel, DeliveryRecord, Product, Subscriber, UsageRow } from '../store/subscribers.ts';
import { decide, needsHistory, type Decision } from './entitlement.ts';

const FLUSH_MS = 1000;
const SUBSCRIBER_TTL_MS = 2000;

export class Deliveries {
  private pendingRecords = new Map<string, DeliveryRecord>();
  private pendingUsage = new Map<string, UsageRow>();
  private subscribers = new Map<string, { at: number; subscriber: Subscriber | null }>();
  private timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly store: Store) {
    // Counters and the record are written in batches: with thousands of streams, one write per
    // delivery would make the database the bottleneck of fan-out.
    this.timer = setInterval(() => void this.flush().catch(() => {}), FLUSH_MS);
    this.timer.unref();
  }

  /** The subscriber with its products, cached briefly so every request does not read it again. */
  async subscriber(id: string): Promise<Subscriber | null> {
    const hit = this.subscribers.get(id);
    if (hit && hit.at + SUBSCRIBER_TTL_MS > Date.now()) return hit.subscriber;
    const subscriber = await this.store.subscribers.getSubscriber(id);
    this.subscribers.set(id, { at: Date.now(), subscriber });
    return subscriber;
  }

  /** The decision for one event, reading the subscriber's history only when it can change the answer. */
  async decide(subscriberId: string, products: readonly Product[], event: FlowEvent, now = Date.now()): Promise<Decision> {
    const received = needsHistory(products, event) ? await this.alreadyReceived(subscriberId, products, event) : false;
    return decide(products, event, received, now);
  }

  /**
   * True when an earlier event of the story reached the subscriber: recorded by a channel, or derived
   * from the log (an earlier event its products pass), so the answer does not depend on which
   * channel ran first or whether a recent record is still waiting to be written.
   */
  async alreadyReceived(subscriberId: string, products: readonly Product[], event: FlowEvent): Promise<boolean> {
    const pending = this.pendingRecords.get(`${subscriberId}\0${event.storyId}`);
    if (pending && pending.seq < event.seq) return true;
    if (await this.store.subscribers.receivedBefore(subscriberId, event.storyId, event.seq)) return true;
    let received = false;
    for (const earlier of await this.store.subscribers.storyEventsBefore(event.storyId, event.seq)) {
      if (decide(products, earlier, received, Infinity).action === 'deliver') received = true;
      if (received) return true;
    }
    return false;
  }

  /** Notes that these events reached a subscriber by a channel (usage and the delivery record). */
  /** `copies`: how many connections of the subscriber got them (each counts as a delivery). */
  record(subscriberId: string, channel: Channel, events: readonly FlowEvent[], now = new Date(), copies = 1): void {
    if (events.length === 0 || copies === 0 || this.closed) return;
    const day = now.toISOString().slice(0, 10);
    const key = `${subscriberId}|${channel}|${day}`;
    const row = this.pendingUsage.get(key);
    if (row) row.count += events.length * copies;
    else this.pendingUsage.set(key, { subscriberId, channel, day, count: events.length * copies });
    for (const e of events) {
      const k = `${subscriberId}\0${e.storyId}`;
      const had = this.pendingRecords.get(k);
      if (!had || had.seq > e.seq) this.pendingRecords.set(k, { subscriberId, storyId: e.storyId, seq: e.seq });
    }
  }

  /** Writes pending counters and records (the usage route calls it so counts are current). */
  async flush(): Promise<void> {
    if (this.pendingUsage.size === 0 && this.pendingRecords.size === 0) return;
    const usage = [...this.pendingUsage.values()];
    const records = [...this.pendingRecords.values()];
    this.pendingUsage.clear();
    this.pendingRecords.clear();
    await this.store.subscribers.addUsage(usage);
    await this.store.subscribers.recordDeliveries(records);
  }

  /** Flushes and stops the timer; later records are dropped. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => {});
    this.closed = true;
  }
}

const perStore = new WeakMap<Store, Deliveries>();

/** The one Deliveries of a store, shared by every channel of the process. */
export function deliveriesFor(store: Store): Deliveries {
  let d = perStore.get(store);
  if (!d) perStore.set(store, (d = new Deliveries(store)));
  return d;
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
  store: Store, deliveries: Deliveries, subscriber: Subscriber, after: number,
  opts: {
    limit: number; maxScan?: number; accept?: (e: FlowEvent, item: FlowItem) => boolean; now?: number; head?: number;
    /** Where to read the log from (the stream fan-out's cache of recent events); the store by default. */
    read?: (after: number, limit: number) => Promise<FlowItem[]>;
  },
): Promise<Scan> {
  // A known head at or before the position means nothing to read: no query (the cheap, common poll).
  if (opts.head !== undefined && opts.head > 0 && after >= opts.head) return { items: [], position: after, holdUntil: null, firstSeq: null };
  const maxScan = opts.maxScan ?? 5000;
  const now = opts.now ?? Date.now();
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
    for (const item of batch) {
      const d = await deliveries.decide(subscriber.id, subscriber.products, item.event, now);
      if (d.action === 'hold') return { items, position, holdUntil: d.notBefore, firstSeq };
      position = item.event.seq;
      scanned++;
      if (d.action === 'deliver' && (!opts.accept || opts.accept(item.event, item))) {
        items.push(item);
        if (items.length >= opts.limit) break;
      }
    }
  }
  return { items, position, holdUntil: null, firstSeq };
}
