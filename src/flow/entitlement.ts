// Entitlement: may this subscriber get this event, now? One pure function used by every channel (feed,
// stream, webhooks, search), so no channel can leak what another would withhold.
import type { FlowEvent } from '../model/story.ts';
import type { Product } from '../model/subscribers.ts';

/** `deliver` now, `skip` for good, or `hold` until `notBefore` (a delayed tier); a reader must not pass a hold. */
export type Decision = { action: 'deliver' } | { action: 'skip' } | { action: 'hold'; notBefore: number };

const FOLLOW_UPS = new Set<FlowEvent['kind']>(['updated', 'corrected', 'killed', 'embargo-lifted']);

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
 * The decision for one event. `alreadyReceived`: an earlier event of the same story reached this
 * subscriber; its follow-ups then always pass (a kill means "remove what you have"), except that an
 * embargoed update waits for the lift like everything embargoed.
 */
export function decide(products: readonly Product[], event: FlowEvent, alreadyReceived: boolean, now: number): Decision {
  const at = Date.parse(event.at);
  const embargoed = isEmbargoed(event);
  let earliest = Infinity;
  for (const p of products) {
    if (embargoed && !p.embargoRights) continue;
    if (!matchesProduct(p, event)) continue;
    earliest = Math.min(earliest, at + p.delaySeconds * 1000);
  }
  if (earliest === Infinity && alreadyReceived && FOLLOW_UPS.has(event.kind) && products.length > 0) {
    if (!embargoed || products.some((p) => p.embargoRights)) {
      earliest = at + Math.min(...products.map((p) => p.delaySeconds)) * 1000;
    }
  }
  if (earliest === Infinity) return { action: 'skip' };
  return earliest <= now ? { action: 'deliver' } : { action: 'hold', notBefore: earliest };
}

/** The yes/no form: may the subscriber with these products have the event at `now`? */
export function entitled(products: readonly Product[], event: FlowEvent, alreadyReceived: boolean, now: number = Date.now()): boolean {
  return decide(products, event, alreadyReceived, now).action === 'deliver';
}

/** True when deciding this event depends on what the subscriber received before (its answer differs). */
export function needsHistory(products: readonly Product[], event: FlowEvent): boolean {
  if (!FOLLOW_UPS.has(event.kind)) return false;
  return decide(products, event, false, Infinity).action === 'skip' && decide(products, event, true, Infinity).action !== 'skip';
}

/** True when the event is flagged as embargoed for a subscriber that got it before the lift. */
export function embargoFlag(event: FlowEvent): { until: string } | null {
  return isEmbargoed(event) ? { until: event.embargoUntil! } : null;
}
