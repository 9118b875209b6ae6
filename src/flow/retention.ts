// Log retention: how long the flow log keeps events for resuming readers. Versions stay for good (they
// are the archive); only the log positions older than the retention go, and cursors pointing before
// them are answered with 410 and the oldest cursor still available.
import type { Store } from '../model/store.ts';

/** Days of log kept unless NEWSFLOW_LOG_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;

/** Deletes log events older than the retention; returns how many went. */
export async function pruneFlowLog(store: Store, days = DEFAULT_RETENTION_DAYS, now = new Date()): Promise<number> {
  return store.subscribers.pruneLog(new Date(now.getTime() - days * 86_400_000));
}
