// A topic's live view in the portal: every open view is a reader of the flow log with its own cursor,
// fed on each head move from one shared read of the new events, through the one delivery loop
// (scanEntitled: a delayed tier waits, an embargo holds, exactly as on the feed) and the topic's query
// (judged as the alert engine judges it: each new version indexed once per pass for all views). So a
// publish reaches hundreds of open views with one log read and one scratch index, not a search each.
import type { Store } from '../model/store.ts';
import type { FlowItem } from '../model/story.ts';
import { scanEntitled, type Deliveries } from './deliveries.ts';
import type { Hub } from './hub.ts';
import { ALERTED, PassMatcher } from './topic-alerts.ts';

interface View {
  subscriberId: string;
  query: string;
  cursor: number;
  send: (item: FlowItem) => void;
}

export class TopicLive {
  private views = new Set<View>();
  private unsubscribe: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly deliveries: Deliveries,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  /** Sends the new stories `query` matches that the subscriber may see, from now on; returns what stops it. */
  async open(subscriberId: string, query: string, send: (item: FlowItem) => void): Promise<() => void> {
    const view: View = { subscriberId, query, cursor: Math.max(this.hub.lastHead, await this.store.headSeq()), send };
    this.views.add(view);
    this.unsubscribe ??= this.hub.subscribe(() => void this.wake());
    return () => {
      this.views.delete(view);
      if (this.views.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = null;
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
      }
    };
  }

  /** Runs a pass now (or once more after the one under way). */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } catch (e) {
        this.onError(e);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    const head = Math.max(this.hub.lastHead, await this.store.headSeq());
    const views = [...this.views].filter((v) => v.cursor < head);
    if (views.length === 0) return;
    const from = Math.min(...views.map((v) => v.cursor));
    const cached = await this.store.readLog({ after: from, limit: Math.min(2000, head - from) });
    const read = async (after: number, limit: number) => {
      let i = 0;
      while (i < cached.length && cached[i].event.seq <= after) i++;
      const out = cached.slice(i, i + limit);
      return out.length === limit || cached.length === 0 || cached[cached.length - 1].event.seq >= head ? out : this.store.readLog({ after, limit });
    };
    const matcher = new PassMatcher();
    let nextHold = Infinity;
    try {
      for (const view of views) {
        const subscriber = await this.deliveries.subscriber(view.subscriberId);
        if (!subscriber) continue;
        try {
          const scan = await scanEntitled(this.store, this.deliveries, subscriber, view.cursor, {
            limit: 50,
            head,
            read,
            accept: (e, item) => ALERTED.has(e.kind) && matcher.passes(view.query, item),
          });
          view.cursor = Math.max(view.cursor, scan.position);
          for (const item of scan.items) view.send(item);
          if (scan.items.length === 50) this.again = true;
          if (scan.holdUntil !== null) nextHold = Math.min(nextHold, scan.holdUntil);
        } catch (e) {
          // One broken view (a query that no longer parses) must not stop the others.
          this.onError(e);
          view.cursor = head;
        }
      }
    } finally {
      matcher.close();
    }
    if (Number.isFinite(nextHold) && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          void this.wake();
        },
        Math.max(50, nextHold - Date.now()),
      );
      this.timer.unref();
    }
  }
}
