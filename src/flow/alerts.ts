// Alerts: a saved search used as a delivery filter, on top of the subscriber's entitlement. An event
// passes when the version it carries matches the query — judged on that version itself, in a small
// scratch index of its own, so replaying the log later gives the same answer as live delivery did.
// A kill always passes: it tells whoever has the story to remove it, and does no harm to anyone else.
import Database from 'better-sqlite3';
import type { FlowItem } from '../model/story.ts';
import { parseQuery, SearchIndex, type ParsedQuery } from '../search/index.ts';
import type { SavedSearch } from '../model/saved-searches.ts';

const SCRATCH_ID = 'alert-scratch';

export class Alert {
  readonly parsed: ParsedQuery;
  private scratch: SearchIndex | null = null;
  private decided = new Map<string, boolean>();

  constructor(readonly saved: SavedSearch) {
    this.parsed = parseQuery(saved.query);
  }

  /** True when the item's version matches the saved query, or the item is a kill. */
  passes(item: FlowItem): boolean {
    if (item.event.kind === 'killed') return true;
    const key = item.version.revisionId;
    let ok = this.decided.get(key);
    if (ok === undefined) {
      this.scratch ??= new SearchIndex(new Database(':memory:'));
      // One document at a time: the version is indexed alone under a fixed id and searched.
      this.scratch.indexVersion({ ...item.version, storyId: SCRATCH_ID, pubStatus: 'usable', kind: 'published' });
      ok = this.scratch.search(this.parsed, { limit: 1 }).total > 0;
      if (this.decided.size > 10_000) this.decided.clear();
      this.decided.set(key, ok);
    }
    return ok;
  }
}

const alerts = new Map<string, Alert>();
const ALERTS_KEPT = 1000;

/**
 * The Alert of a saved search, reused across requests and webhook runs: its scratch index and its
 * decisions per version are built once, not on every feed poll. Keyed by id and query text.
 */
export function alertFor(saved: SavedSearch): Alert {
  const key = `${saved.id}\u0000${saved.query}`;
  let alert = alerts.get(key);
  if (!alert) {
    if (alerts.size >= ALERTS_KEPT) alerts.delete(alerts.keys().next().value!);
    alerts.set(key, (alert = new Alert(saved)));
  }
  return alert;
}
