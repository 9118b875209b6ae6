// Entitlement: may this subscriber get this event, now? One pure function used by every channel (feed,
// stream, webhooks, search), so no channel can leak what another would withhold.
//
// Entitlements are time-versioned: a subscriber's products and each product's filters change, each change
// with the time it took effect (a `Timeline`). Every event is judged with the entitlements in force at the
// event's own time, never the clock's, so replaying the log later answers as the live delivery did; and a
// follow-up (update, correction, kill, lift) of a story the subscriber received under the entitlements in
// force then still reaches it, even after it lost the product: a kill must reach whoever had the story.
import type { FlowEvent } from '../model/story.ts';
import type { EntitlementPeriod, Product, Timeline } from '../model/subscribers.ts';

/** `deliver` now, `skip` for good, or `hold` until `notBefore` (a delayed tier); a reader must not pass a hold. */
export type Decision = { action: 'deliver' } | { action: 'skip' } | { action: 'hold'; notBefore: number };

/**
 * What the rule judges by: a subscriber's timeline, or a plain list of products in force at every time
 * (a subscriber whose entitlements never changed, and the rule's own tests).
 */
export type Entitled = Timeline | readonly Product[];

const FOLLOW_UPS = new Set<FlowEvent['kind']>(['updated', 'corrected', 'killed', 'embargo-lifted']);

/** The products in force at `at` (ms): the last period that began at or before it. */
export function productsAt(entitled: Entitled, at: number): readonly Product[] {
  if (entitled.length === 0 || !isPeriod(entitled[0])) return entitled as readonly Product[];
  const timeline = entitled as Timeline;
  for (let i = timeline.length - 1; i >= 0; i--) if (timeline[i].from <= at) return timeline[i].products;
  return [];
}

/**
 * The products a follow-up is delivered under when none in force passes it: those in force at `at`, or,
 * when the subscriber has none left, the last ones it held (their delay and embargo rights still apply,
 * so losing every product never brings a delayed tier's follow-ups forward).
 */
function followUpProducts(entitled: Entitled, at: number, inForce: readonly Product[]): readonly Product[] {
  if (inForce.length > 0 || entitled.length === 0 || !isPeriod(entitled[0])) return inForce;
  const timeline = entitled as Timeline;
  for (let i = timeline.length - 1; i >= 0; i--) if (timeline[i].from <= at && timeline[i].products.length > 0) return timeline[i].products;
  return inForce;
}

function isPeriod(x: Product | EntitlementPeriod): x is EntitlementPeriod {
  return (x as EntitlementPeriod).products !== undefined;
}

/**
 * True when the event's version was under embargo when it was logged. Judged against the event's own
 * time, not the clock, so replaying the log later gives the same answer; the lift is its own event.
 */
export function isEmbargoed(event: FlowEvent): boolean {
  return event.kind !== 'embargo-lifted' && event.kind !== 'killed' && event.embargoUntil !== null && Date.parse(event.embargoUntil) > Date.parse(event.at);
}

/** True when the version's routing columns pass the product's filters (embargo and delay aside). */
export function matchesProduct(p: Product, e: FlowEvent): boolean {
  if (p.languages.length > 0) {
    const lang = e.language.toLowerCase();
    if (!p.languages.some((l) => lang === l.toLowerCase() || lang.startsWith(l.toLowerCase() + '-'))) return false;
  }
  if (p.categories.length > 0 && !e.categories.some((c) => p.categories.includes(c))) return false;
  if (p.maxUrgency !== null && e.urgency > p.maxUrgency) return false;
  if (p.mediaTypes.length > 0 && !p.mediaTypes.includes(e.mediaType)) return false;
  return true;
}

/**
 * The decision for one event, with the products in force at the event's time. `alreadyReceived`: an
 * earlier event of the same story reached this subscriber (each judged with the entitlements in force at
 * its own time); its follow-ups then always pass (a kill means "remove what you have"), with the shortest
 * delay of the products in force (or of the last it held, when it has none left); an embargoed update
 * still waits for the lift unless one of those products has embargo rights.
 */
export function decide(entitled: Entitled, event: FlowEvent, alreadyReceived: boolean, now: number): Decision {
  const at = Date.parse(event.at);
  const products = productsAt(entitled, at);
  const embargoed = isEmbargoed(event);
  let earliest = Infinity;
  for (const p of products) {
    if (embargoed && !p.embargoRights) continue;
    if (!matchesProduct(p, event)) continue;
    earliest = Math.min(earliest, at + p.delaySeconds * 1000);
  }
  if (earliest === Infinity && alreadyReceived && FOLLOW_UPS.has(event.kind)) {
    const under = followUpProducts(entitled, at, products);
    if (under.length > 0 && (!embargoed || under.some((p) => p.embargoRights))) {
      earliest = at + Math.min(...under.map((p) => p.delaySeconds)) * 1000;
    }
  }
  if (earliest === Infinity) return { action: 'skip' };
  return earliest <= now ? { action: 'deliver' } : { action: 'hold', notBefore: earliest };
}

/** The yes/no form: may the subscriber with these entitlements have the event at `now`? */
export function entitled(entitled: Entitled, event: FlowEvent, alreadyReceived: boolean, now: number = Date.now()): boolean {
  return decide(entitled, event, alreadyReceived, now).action === 'deliver';
}

/** True when deciding this event depends on what the subscriber received before (its answer differs). */
export function needsHistory(entitled: Entitled, event: FlowEvent): boolean {
  if (!FOLLOW_UPS.has(event.kind)) return false;
  return decide(entitled, event, false, Infinity).action === 'skip' && decide(entitled, event, true, Infinity).action !== 'skip';
}

/**
 * True when an earlier event of the story reached the subscriber: `earlier` is the story's events before
 * the one being decided, oldest first, each judged with the entitlements in force at its own time.
 */
export function receivedBefore(entitled: Entitled, earlier: readonly FlowEvent[]): boolean {
  let received = false;
  for (const e of earlier) {
    if (decide(entitled, e, received, Infinity).action === 'deliver') received = true;
    if (received) return true;
  }
  return false;
}

/** True when the event is flagged as embargoed for a subscriber that got it before the lift. */
export function embargoFlag(event: FlowEvent): { until: string } | null {
  return isEmbargoed(event) ? { until: event.embargoUntil! } : null;
}
