// The server's periodic duties: lifting embargoes when they fall due (each lift is an event), merging
// what the search index collected, and pruning the flow log past its retention (versions stay: they are
// the archive); and once at start, completing the search index if an interrupted import left it short.
import type { Runtime } from './runtime.ts';
import { pruneFlowLog } from './retention.ts';

export interface MaintenanceOptions {
  /** Days of flow log kept (NEWSFLOW_LOG_RETENTION_DAYS). */
  retentionDays?: number;
  embargoEveryMs?: number;
  pruneEveryMs?: number;
  onError?: (e: unknown) => void;
}

/** Starts the periodic duties; returns the function that stops them. */
export function startMaintenance(rt: Pick<Runtime, 'store' | 'newsroom'>, opts: MaintenanceOptions = {}): () => void {
  const onError = opts.onError ?? (() => {});
  let tidying = false;
  const everySecond = () => {
    rt.newsroom.liftDueEmbargoes().catch(onError);
    // On the same second's tick, what the search index collected since is merged (PostgreSQL's GIN
    // pending list); one merge at a time, however long a busy second's takes.
    if (tidying) return;
    tidying = true;
    rt.store.search
      .tidy()
      .catch(onError)
      .finally(() => (tidying = false));
  };
  const prune = () => void pruneFlowLog(rt.store, opts.retentionDays).catch(onError);
  const timers = [setInterval(everySecond, opts.embargoEveryMs ?? 1000), setInterval(prune, opts.pruneEveryMs ?? 3_600_000)];
  for (const t of timers) t.unref();
  everySecond();
  prune();
  // An import killed before or during its indexing pass leaves published stories unsearchable: the
  // index is completed in the background while the server serves (/healthz says so meanwhile).
  void rt.store.search.catchUp().catch(onError);
  return () => timers.forEach(clearInterval);
}
