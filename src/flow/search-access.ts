// Who may find what: newsroom staff search everything; a subscriber finds only the stories its
// products entitle it to, by the same rule the flow uses (src/flow/entitlement.ts).
import type { SearchDocMeta, SearchFilters } from '../model/search.ts';
import type { FlowEvent, MediaType, Urgency } from '../model/story.ts';
import type { Product, Subscriber } from '../model/subscribers.ts';
import { matchesProduct } from './entitlement.ts';

/** The filters that limit a subscriber's search to what it is entitled to. */
export function subscriberSearchFilter(subscriber: Subscriber, embargoed: Set<string>, now = Date.now()): Pick<SearchFilters, 'allowed'> {
  const products = subscriber.products;
  return { allowed: (doc) => products.some((p) => visibleTo(p, doc, embargoed, now)) };
}

function visibleTo(p: Product, doc: SearchDocMeta, embargoed: Set<string>, now: number): boolean {
  if (embargoed.has(doc.storyId) && !p.embargoRights) return false;
  if (p.delaySeconds > 0 && Date.parse(doc.publishedAt) + p.delaySeconds * 1000 > now) return false;
  const event: FlowEvent = {
    seq: 0, kind: 'published', storyId: doc.storyId, version: doc.version, at: doc.publishedAt, language: doc.language,
    categories: doc.categories, urgency: doc.urgency as Urgency, mediaType: doc.mediaType as MediaType, embargoUntil: null,
  };
  return matchesProduct(p, event);
}
