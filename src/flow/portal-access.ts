// What a subscriber's seats see in the portal, read through the one entitlement rule
// (src/flow/entitlement.ts) the feed, stream and webhooks use — never a rule of the portal's own:
// the wire newest first, a story's versions the subscriber received, and the live tail of the log.
import type { FlowEvent, FlowItem } from '../model/story.ts';
import type { Store } from '../model/store.ts';
import type { Subscriber } from '../model/subscribers.ts';
import type { Deliveries } from './deliveries.ts';
import { decide, type Decision } from './entitlement.ts';

/** What a seat may filter the wire by (the routing columns of each event). */
export interface WireFilter {
  language?: string;
  category?: string;
  urgency?: number;
  mediaType?: string;
}

export function matchesWireFilter(e: FlowEvent, f: WireFilter): boolean {
  if (f.language && !(e.language === f.language || e.language.startsWith(`${f.language}-`))) return false;
  if (f.category && !e.categories.includes(f.category)) return false;
  if (f.urgency !== undefined && e.urgency > f.urgency) return false;
  if (f.mediaType && e.mediaType !== f.mediaType) return false;
  return true;
}

/**
 * True when the subscriber has the event now: the rule's decision, with "already received" derived from
 * the story's history (as Deliveries.plan does for the feed). A held event (delay tier) is not had yet.
 */
export async function hasEvent(store: Store, deliveries: Deliveries, subscriber: Subscriber, e: FlowEvent, now: number): Promise<boolean> {
  return (await decideNow(store, deliveries, subscriber, e, now)).action === 'deliver';
}

/** The rule's decision on the event for the subscriber at `now` (deliver, skip, or hold until a time). */
export async function decideNow(store: Store, deliveries: Deliveries, subscriber: Subscriber, e: FlowEvent, now: number): Promise<Decision> {
  const first = deliveries.decideWithoutHistory(subscriber.entitlements, e, now);
  if (first) return first;
  return decide(subscriber.entitlements, e, await receivedByNow(store, subscriber, e, now), now);
}

/**
 * True when an earlier event of the story has reached the subscriber by `now`. Stricter than the flow's
 * "received" (which counts a held event too): the feed never passes a held event, so a follow-up of a
 * story still held for a delayed tier is not shown before the story itself.
 */
async function receivedByNow(store: Store, subscriber: Subscriber, e: FlowEvent, now: number): Promise<boolean> {
  const received = false;
  for (const earlier of await store.subscribers.storyEventsBefore(e.storyId, e.seq)) {
    if (decide(subscriber.entitlements, earlier, received, now).action === 'deliver') return true;
  }
  return received;
}

export interface WirePageResult {
  items: FlowItem[];
  /** `before` for the next (older) page; null when the log's start was reached. */
  next: number | null;
  /** The log head the page was read at (the live tail starts after it). */
  head: number;
}

/**
 * The subscriber's wire, newest first: log events before `before` (the head when absent) the rule lets
 * the subscriber have now and the filter passes, up to `limit`, reading at most `maxScan` events back.
 */
export async function wirePage(
  store: Store,
  deliveries: Deliveries,
  subscriber: Subscriber,
  opts: { before?: number; limit: number; filter?: WireFilter; now?: number; maxScan?: number },
): Promise<WirePageResult> {
  const now = opts.now ?? Date.now();
  const head = await store.headSeq();
  let before = Math.min(opts.before ?? head + 1, head + 1);
  const maxScan = opts.maxScan ?? 5000;
  const items: FlowItem[] = [];
  let scanned = 0;
  let chunk = Math.max(50, opts.limit * 2);
  while (items.length < opts.limit && before > 1 && scanned < maxScan) {
    const after = Math.max(0, before - 1 - chunk);
    const batch = await store.readLog({ after, limit: before - 1 - after });
    scanned += before - 1 - after;
    for (let i = batch.length - 1; i >= 0 && items.length < opts.limit; i--) {
      const item = batch[i];
      before = item.event.seq;
      if (opts.filter && !matchesWireFilter(item.event, opts.filter)) continue;
      if (await hasEvent(store, deliveries, subscriber, item.event, now)) items.push(item);
    }
    if (items.length < opts.limit) before = after + 1;
    chunk = Math.min(1000, chunk * 2);
  }
  return { items, next: before > 1 ? before : null, head };
}

/** One story as the subscriber has it: its events the rule passed, oldest first, and their versions. */
export interface StoryAccess {
  events: FlowEvent[];
  /** Version numbers the subscriber received (a lift re-delivers a version: counted once). */
  versions: number[];
  /** The newest event the subscriber has. */
  latest: FlowEvent;
}

/** The story as the subscriber has it now, or null when it has nothing of it (the portal answers 404). */
export async function storyAccess(store: Store, subscriber: Subscriber, storyId: string, now = Date.now()): Promise<StoryAccess | null> {
  const all = await store.subscribers.storyEventsBefore(storyId, Number.MAX_SAFE_INTEGER);
  const events: FlowEvent[] = [];
  let received = false;
  for (const e of all) {
    // Each event judged as the flow judged it: with what the subscriber had received before it.
    // Each event judged as the flow judges it, with what reached the subscriber before it; a held
    // event has not reached it yet (see receivedByNow).
    if (decide(subscriber.entitlements, e, received, now).action === 'deliver') {
      events.push(e);
      received = true;
    }
  }
  if (events.length === 0) return null;
  const versions = [...new Set(events.map((e) => e.version))].sort((a, b) => a - b);
  return { events, versions, latest: events[events.length - 1] };
}
