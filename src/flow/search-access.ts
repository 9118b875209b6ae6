// Who may find what: newsroom staff search everything; a subscriber finds only the stories its
// products entitle it to. The answer comes from the entitlement rule itself (src/flow/entitlement.ts),
// asked about the story as it stands, judged with the entitlements in force when it was published (as
// the flow judged it), so search cannot drift from what the flow would deliver.
import type { SearchDocMeta, SearchFilters } from '../model/search.ts';
import { SYSTEM_ACTOR } from '../model/actor.ts';
import type { FlowEvent, MediaType, Urgency } from '../model/story.ts';
import type { Subscriber } from '../model/subscribers.ts';
import { decide } from './entitlement.ts';

/** The filters that limit a subscriber's search to what it is entitled to. */
export function subscriberSearchFilter(subscriber: Subscriber, embargoed: Set<string>, now = Date.now()): Pick<SearchFilters, 'allowed'> {
  const products = subscriber.entitlements;
  const clock = { now, iso: new Date(now).toISOString(), pastNow: new Date(now + 1).toISOString() };
  return { allowed: (doc) => decide(products, standingOf(doc, embargoed.has(doc.storyId), clock), false, now).action === 'deliver' };
}

/**
 * The story a search found, as the event the rule judges: its version's routing columns, dated when it was
 * first published (a delayed tier finds it when the flow would have sent it). A story the index dates
 * after `now`, or not at all (an imported item's own date), counts as published now. While it is under
 * embargo the event carries an embargo that outlasts its date: the index knows only that it runs past
 * `now`, which is all the rule asks. Search judges a story on its own merits, as a first publish:
 * nothing here knows what the subscriber had before.
 */
function standingOf(doc: SearchDocMeta, underEmbargo: boolean, clock: { now: number; iso: string; pastNow: string }): FlowEvent {
  const published = Date.parse(doc.publishedAt);
  return {
    seq: 0,
    kind: 'published',
    storyId: doc.storyId,
    version: doc.version,
    at: published <= clock.now ? doc.publishedAt : clock.iso,
    language: doc.language,
    categories: doc.categories,
    urgency: doc.urgency as Urgency,
    mediaType: doc.mediaType as MediaType,
    // The rule never asks who did it; a search hit is no act of anyone's.
    by: SYSTEM_ACTOR,
    embargoUntil: underEmbargo ? clock.pastNow : null,
  };
}
