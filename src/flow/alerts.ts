// Alerts: a saved search used as a delivery filter. An event passes when the subscriber is entitled
// to it and either its story matches the query (judged on the search index, which the publish
// updated in the same transaction) or it is a follow-up of a story this subscriber already received
// (an update, correction or kill must reach whoever has the story, even if it no longer matches).
import type { FlowEvent } from '../model/story.ts';
import { parseQuery, type ParsedQuery } from '../search/index.ts';
import type { Store } from '../store/store.ts';
import type { SavedSearch } from '../store/saved-searches.ts';

export class Alert {
  readonly parsed: ParsedQuery;

  constructor(private readonly store: Store, readonly saved: SavedSearch) {
    this.parsed = parseQuery(saved.query);
  }

  /** True when the event's story matches the saved query, or the event follows up a story already received. */
  passes(event: FlowEvent, alreadyReceived: boolean): boolean {
    if (alreadyReceived && event.kind !== 'published') return true;
    if (event.kind === 'killed') return false;
    return this.store.search.query(this.parsed.text, { storyIds: [event.storyId], limit: 1 }).total > 0;
  }
}
