// The delivery loop: "read after a cursor, decide, stop at a hold", written once. Every reader of the log
// for a subscriber (the pull feed, webhooks, the stream's replay, its pump and its live path) plans what
// to send with `planDelivery` and only does the I/O around it: reading the items, fetching a story's
// history when the plan asks for it, writing what the plan delivers, storing the position it reached.
// It is pure (no store, no clock of its own), so what it decides can be tested item by item.
import type { FlowEvent, FlowItem } from '../model/story.ts';
import { decide, needsHistory, type Decision, type Entitled } from './entitlement.ts';

/** What the loop knows about one subscriber: its entitlements over time and what it learned of its history. */
export interface Entitlements {
  /** The subscriber's timeline (products in force over time), which each event is judged by at its own time. */
  products: Entitled;
  /**
   * For follow-ups the products no longer pass: whether the subscriber had the story before that event,
   * keyed by the event's log position. Filled by the caller from the story's history when a plan asks
   * (`needsHistory`); follow-ups of a story delivered earlier in the same plan need no entry.
   */
  history?: ReadonlyMap<number, boolean>;
  /**
   * The decision for an event that needs no history, null when it does: `decide(products, e, false, now)`
   * unless the caller shares decisions between subscribers with the same entitlements (the fan-out does).
   */
  decideFirst?: (products: Entitled, event: FlowEvent, now: number) => Decision | null;
}

export interface PlanOptions {
  /** Deliver at most this many items; the position then stops at the last one delivered. */
  limit?: number;
  /** A channel's own filter (an alert, a webhook's event kinds): entitled items it refuses are passed over. */
  accept?: (item: FlowItem) => boolean;
}

export interface DeliveryPlan {
  /** The items to send, in log order. */
  deliver: FlowItem[];
  /** The last position decided (delivered or passed over); the next plan starts after it. */
  position: number;
  /** Set when the plan stopped before an event not visible yet (embargo, delayed tier): when it becomes so. */
  hold: { notBefore: number } | null;
  /**
   * Set when the plan stopped before a follow-up whose answer depends on the story's history, which
   * `entitlements.history` did not give: the caller looks it up and plans again from `position`.
   */
  needsHistory: FlowEvent | null;
}

// The live fan-out plans once per subscriber and event: no fresh options object each time.
const NO_OPTIONS: PlanOptions = {};

/** The decision for events that need no history, when the caller shares none. */
function decideAlone(products: Entitled, event: FlowEvent, now: number): Decision | null {
  return needsHistory(products, event) ? null : decide(products, event, false, now);
}

/**
 * Plans the delivery of `items` (log items after `position`, in log order) to one subscriber at `now`:
 * what to deliver, the position reached and any hold. It never passes a hold, so a delayed tier or an
 * embargo never skips what is not visible yet; it stops the same way before a follow-up whose answer
 * needs history it was not given. Items at or before `position` are passed over (a rewound read).
 */
export function planDelivery(
  items: readonly FlowItem[],
  position: number,
  entitlements: Entitlements,
  now: number,
  options: PlanOptions = NO_OPTIONS,
): DeliveryPlan {
  const { products, history } = entitlements;
  const decideFirst = entitlements.decideFirst ?? decideAlone;
  const limit = options.limit ?? Infinity;
  const deliver: FlowItem[] = [];
  // Stories entitled in this plan but refused by the channel's filter still count as received.
  let filteredStories: Set<string> | null = null;
  for (const item of items) {
    if (deliver.length >= limit) break;
    const event = item.event;
    if (event.seq <= position) continue;
    let d = decideFirst(products, event, now);
    if (d === null) {
      const had = history?.get(event.seq) ?? (receivedHere(deliver, filteredStories, event.storyId) || undefined);
      if (had === undefined) return { deliver, position, hold: null, needsHistory: event };
      d = decide(products, event, had, now);
    }
    if (d.action === 'hold') return { deliver, position, hold: { notBefore: d.notBefore }, needsHistory: null };
    position = event.seq;
    if (d.action !== 'deliver') continue;
    if (!options.accept || options.accept(item)) deliver.push(item);
    else (filteredStories ??= new Set()).add(event.storyId);
  }
  return { deliver, position, hold: null, needsHistory: null };
}

/** True when this plan already delivered (or passed to a refusing filter) an event of the story. */
function receivedHere(deliver: readonly FlowItem[], filtered: Set<string> | null, storyId: string): boolean {
  return filtered?.has(storyId) === true || deliver.some((i) => i.event.storyId === storyId);
}
