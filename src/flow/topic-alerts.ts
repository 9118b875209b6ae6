// The topic alert engine: for every seat following a topic (a saved search), it reads the flow log after
// the follow's cursor, keeps what the subscriber is entitled to now (through the one delivery loop, so a
// delayed tier waits and an embargo is respected exactly as on the feed) and what the topic's query
// matches, and records, in one durable transaction with the new cursor, the in-portal notifications and
// the e-mails to send (an outbox). The sender then mails what is due: at once for immediate follows (a
// burst in one mail), at the next full hour or at the daily hour for digests, and marks it sent. A crash
// between a mail and its mark resends that mail (at-least-once); follow+story+version is the dedupe key,
// so a re-scan or an embargo lift never queues the same version twice. Woken by the hub; a timer only
// waits for what is due later (a hold, a digest, a retry).
import Database from 'better-sqlite3';
import { embargoFlag } from './entitlement.ts';
import { parseQuery, SearchIndex, type ParsedQuery } from '../search/index.ts';
import { scanEntitled, type Deliveries } from './deliveries.ts';
import type { Hub } from './hub.ts';
import { composeAlertMail } from './alert-mail.ts';
import type { FlowItem } from '../model/story.ts';
import type { Store } from '../model/store.ts';
import {
  FOLLOW_MODES,
  type AlertEntry,
  type Follow,
  type FollowMode,
  type FollowProgress,
  type Mailer,
  type PendingAlert,
  type Recipients,
} from '../model/topics.ts';
import { NotFoundError } from '../model/errors.ts';
import { ValidationError } from '../model/validate.ts';

/** The time and timers the engine runs by; tests give a clock they move by hand. */
export interface AlertClock {
  now(): number;
  /** Calls `fn` after `ms`; returns what cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const realClock: AlertClock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    // Timers longer than ~24.8 days overflow; the engine re-plans long before that anyway.
    const t = setTimeout(fn, Math.min(Math.max(0, ms), 2 ** 31 - 1));
    t.unref();
    return () => clearTimeout(t);
  },
};

export interface TopicAlertOptions {
  /** The portal's public address: links in the mails point at `<publicUrl>/portal/...`. */
  publicUrl: string;
  /** Null: e-mail alerts are off (no SMTP configured); notifications still work. */
  mailer: Mailer | null;
  recipients: Recipients;
  clock?: AlertClock;
  /** UTC hour at which daily digests go out (6). */
  dailyHourUtc?: number;
  /** First wait after the mail server failed; each later failure doubles it up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Most stories in one mail (a larger burst or digest goes in several). */
  maxPerMail?: number;
  /** How long sent mails are kept as the dedupe record (the log's retention). */
  keepSentDays?: number;
  onError?: (e: unknown) => void;
}

/** Events an alert can be about: new stories and new versions, and the lift that shows an embargoed one. */
export const ALERTED = new Set(['published', 'updated', 'corrected', 'embargo-lifted']);
const SCAN_LIMIT = 200;
/** Log events a pass keeps in memory for all follows to read. */
const SHARED_READ = 2000;
const HOUR = 3_600_000;

/** When a digest of this mode, collecting at `now`, goes out: the next full hour, or the next daily hour. */
export function digestDue(mode: FollowMode, now: number, dailyHourUtc = 6): number {
  if (mode === 'immediate') return now;
  if (mode === 'hourly') return (Math.floor(now / HOUR) + 1) * HOUR;
  const day = Math.floor(now / (24 * HOUR)) * 24 * HOUR;
  const today = day + dailyHourUtc * HOUR;
  return today > now ? today : today + 24 * HOUR;
}

export class TopicAlerts {
  private readonly clock: AlertClock;
  private readonly opts: Required<Omit<TopicAlertOptions, 'mailer' | 'recipients' | 'clock' | 'onError' | 'publicUrl'>>;
  private unsubscribe: (() => void) | null = null;
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Failed sends in a row per follow (the backoff); forgotten at a restart, which simply retries sooner. */
  private failures = new Map<string, number>();
  private prunedAt = 0;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly deliveries: Deliveries,
    private readonly options: TopicAlertOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.opts = {
      dailyHourUtc: options.dailyHourUtc ?? 6,
      retryBaseMs: options.retryBaseMs ?? 30_000,
      retryMaxMs: options.retryMaxMs ?? HOUR,
      maxPerMail: options.maxPerMail ?? 50,
      keepSentDays: options.keepSentDays ?? 31,
    };
  }

  /** E-mail alerts are on (a mailer was configured). */
  get mailing(): boolean {
    return this.options.mailer !== null;
  }

  start(): this {
    this.unsubscribe = this.hub.subscribe(() => void this.wake());
    void this.wake();
    return this;
  }

  /** Stops: no new work; the pass under way finishes (a mail in flight is sent and recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.cancelTimer?.();
    await this.running?.catch(() => {});
  }

  /**
   * A seat of `subscriberId` follows a topic from now on: the cursor starts at the log head, so old stories
   * are not alerted. A saved search of another subscriber is a NotFoundError, as if it did not exist.
   */
  async follow(f: { userId: string; subscriberId: string; savedSearchId: string; mode: FollowMode; notify: boolean }): Promise<Follow> {
    const saved = await this.store.savedSearches.get(f.savedSearchId);
    if (!saved || saved.subscriberId !== f.subscriberId) throw new NotFoundError(`no saved search ${f.savedSearchId}`);
    if (!FOLLOW_MODES.includes(f.mode)) throw new ValidationError([{ field: '/mode', message: `use one of ${FOLLOW_MODES.join(', ')}` }]);
    const head = Math.max(this.hub.lastHead, await this.store.headSeq());
    return this.store.topics.follow({ ...f, cursor: head }, new Date(this.clock.now()));
  }

  /** Runs a pass now (or once more after the one under way); resolves when the work is done. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } catch (e) {
        this.options.onError?.(e);
        this.plan(this.clock.now() + this.opts.retryBaseMs);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    const head = Math.max(this.hub.lastHead, await this.store.headSeq());
    let nextHold = Infinity;
    const follows = await this.store.topics.followsBehind(head);
    // Every follow reads the same stretch of log: read it once per pass, not once per follow.
    const read = follows.length > 0 ? await this.sharedRead(follows[0].cursor, head) : undefined;
    let progress: { followId: string; progress: FollowProgress }[] = [];
    const matcher = new PassMatcher();
    try {
      for (const follow of follows) {
        if (this.stopped) break;
        try {
          nextHold = Math.min(nextHold, await this.scan(follow, head, read, matcher, progress));
        } catch (e) {
          // One broken topic (a query that no longer parses) must not stop the others.
          this.options.onError?.(e);
        }
        // All follows' progress in one transaction (one fsync), in bounded batches.
        if (progress.length >= 500) {
          await this.store.topics.advanceAll(progress);
          progress = [];
        }
      }
    } finally {
      matcher.close();
    }
    await this.store.topics.advanceAll(progress);
    if (this.stopped) return;
    if (this.options.mailer) await this.sendDue();
    const due = await this.store.topics.nextAlertDue();
    this.plan(Math.min(nextHold, due ? Date.parse(due) : Infinity));
    const now = this.clock.now();
    if (now - this.prunedAt > 24 * HOUR) {
      this.prunedAt = now;
      await this.store.topics.pruneSent(new Date(now - this.opts.keepSentDays * 24 * HOUR));
    }
  }

  /** A reader of the log after `from` (up to `head`) kept in memory for one pass; the store beyond it. */
  private async sharedRead(from: number, head: number): Promise<(after: number, limit: number) => Promise<FlowItem[]>> {
    const cached = await this.store.readLog({ after: from, limit: Math.min(SHARED_READ, head - from) });
    const complete = cached.length === 0 || cached[cached.length - 1].event.seq >= head;
    return async (after, limit) => {
      if (after >= from) {
        let i = 0;
        while (i < cached.length && cached[i].event.seq <= after) i++;
        const out = cached.slice(i, i + limit);
        if (out.length === limit || complete) return out;
      }
      return this.store.readLog({ after, limit });
    };
  }

  /** Examines the log after the follow's cursor; returns when a held event becomes visible (Infinity: none). */
  private async scan(
    follow: Follow,
    head: number,
    read: ((after: number, limit: number) => Promise<FlowItem[]>) | undefined,
    matcher: PassMatcher,
    out: { followId: string; progress: FollowProgress }[],
  ): Promise<number> {
    const saved = await this.store.savedSearches.get(follow.savedSearchId);
    const subscriber = await this.deliveries.subscriber(follow.subscriberId);
    // A topic of another subscriber can never be followed into this one's alerts.
    if (!saved || !subscriber || saved.subscriberId !== subscriber.id) return Infinity;
    let cursor = follow.cursor;
    while (cursor < head && !this.stopped) {
      const now = this.clock.now();
      const scan = await scanEntitled(this.store, this.deliveries, subscriber, cursor, {
        limit: SCAN_LIMIT,
        now,
        head,
        read,
        accept: (e, item) => ALERTED.has(e.kind) && matcher.passes(saved.query, item),
      });
      const entries = scan.items.map(entryOf(follow.id));
      const dueAt = new Date(digestDue(follow.mode, now, this.opts.dailyHourUtc)).toISOString();
      if (scan.position > cursor || entries.length > 0) {
        out.push({
          followId: follow.id,
          progress: {
            cursor: scan.position,
            notifications: follow.notify ? entries : [],
            pending: this.options.mailer ? entries.map((e) => ({ ...e, dueAt })) : [],
          },
        });
      }
      if (scan.holdUntil !== null) return scan.holdUntil;
      if (scan.position <= cursor) break;
      cursor = scan.position;
    }
    return Infinity;
  }

  /** Mails every follow's due alerts; a failure postpones that follow's alone. */
  private async sendDue(): Promise<void> {
    const mailer = this.options.mailer!;
    const now = new Date(this.clock.now());
    for (const followId of await this.store.topics.followsWithDueAlerts(now)) {
      if (this.stopped) return;
      const follow = await this.store.topics.getFollow(followId);
      if (!follow) continue;
      const pending = await this.store.topics.pendingAlerts(followId, now);
      const recipient = await this.options.recipients.recipient(follow.userId);
      const saved = await this.store.savedSearches.get(follow.savedSearchId);
      // A removed or disabled seat, or one now at another subscriber, gets nothing: its queue is dropped.
      if (!recipient?.active || recipient.subscriberId !== follow.subscriberId || !saved) {
        await this.store.topics.markSent(followId, pending, now);
        continue;
      }
      // A story withdrawn while its alert waited (a digest waits up to a day) is not announced any more.
      const withdrawn: PendingAlert[] = [];
      for (const p of pending) if ((await this.store.getStory(p.storyId))?.status === 'killed') withdrawn.push(p);
      if (withdrawn.length > 0) await this.store.topics.markSent(followId, withdrawn, now);
      const latest = latestPerStory(pending.filter((p) => !withdrawn.includes(p)));
      if (latest.length === 0) continue;
      try {
        for (let i = 0; i < latest.length; i += this.opts.maxPerMail) {
          const batch = latest.slice(i, i + this.opts.maxPerMail);
          await mailer.send(
            composeAlertMail({
              recipient,
              topicName: saved.name,
              mode: follow.mode,
              digest: follow.mode !== 'immediate',
              alerts: batch,
              publicUrl: this.options.publicUrl,
            }),
          );
          // Older versions of a story in the same mail count as sent with it.
          const ids = new Set(batch.map((a) => a.storyId));
          await this.store.topics.markSent(
            followId,
            pending.filter((p) => ids.has(p.storyId)),
            new Date(this.clock.now()),
          );
        }
        this.failures.delete(followId);
      } catch (e) {
        const n = (this.failures.get(followId) ?? 0) + 1;
        this.failures.set(followId, n);
        const wait = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** (n - 1));
        await this.store.topics.postpone(followId, new Date(this.clock.now() + wait));
        this.options.onError?.(
          new Error(`alert e-mail to seat ${follow.userId} not sent (attempt ${n}, next in ${Math.round(wait / 1000)} s): ${(e as Error).message}`),
        );
      }
    }
  }

  /** Sets the one timer for the next thing due later (a hold ending, a digest, a retry). */
  private plan(at: number): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopped || !Number.isFinite(at)) return;
    this.cancelTimer = this.clock.setTimer(at - this.clock.now(), () => void this.wake());
  }
}

/**
 * Judges the new versions of one pass against every topic: each version is indexed once in a scratch
 * index of the pass (not once per topic, which cost ~2 ms per topic per story), and each distinct query is
 * searched once over them. The version is indexed as `Alert` indexes it (usable, published), so a topic
 * matches what the same saved search matches as a feed or webhook alert.
 */
export class PassMatcher {
  private db: Database.Database | null = null;
  private index: SearchIndex | null = null;
  private indexed = new Set<string>();
  private generation = 0;
  private results = new Map<string, { generation: number; matching: Set<string> }>();
  private parsed = new Map<string, ParsedQuery>();

  passes(query: string, item: FlowItem): boolean {
    const id = item.version.revisionId;
    if (!this.indexed.has(id)) {
      this.index ??= new SearchIndex((this.db = new Database(':memory:')));
      this.index.indexVersion({ ...item.version, storyId: id, pubStatus: 'usable', kind: 'published' });
      this.indexed.add(id);
      this.generation++;
    }
    let r = this.results.get(query);
    if (!r || r.generation !== this.generation) {
      let parsed = this.parsed.get(query);
      if (!parsed) this.parsed.set(query, (parsed = parseQuery(query)));
      const matching = new Set<string>();
      for (let offset = 0; ; offset += 200) {
        const page = this.index!.search(parsed, { limit: 200, offset, sort: 'recency' });
        for (const h of page.hits) matching.add(h.storyId);
        if (page.hits.length < 200) break;
      }
      this.results.set(query, (r = { generation: this.generation, matching }));
    }
    return r.matching.has(id);
  }

  close(): void {
    this.db?.close();
    this.db = this.index = null;
  }
}

function entryOf(followId: string): (item: FlowItem) => AlertEntry {
  return (item) => ({
    followId,
    storyId: item.event.storyId,
    version: item.event.version,
    seq: item.event.seq,
    kind: item.event.kind,
    headline: item.version.content.headline,
    language: item.version.content.language,
    urgency: item.version.content.urgency,
    embargoUntil: embargoFlag(item.event)?.until ?? null,
    at: item.event.at,
  });
}

/** One entry per story, its latest version, in the order the stories first appeared. */
function latestPerStory(pending: PendingAlert[]): PendingAlert[] {
  const byStory = new Map<string, PendingAlert>();
  for (const p of pending) byStory.set(p.storyId, p);
  return [...byStory.values()];
}

/** Starts the engine as the composition root does; returns what stops it. */
export function startTopicAlerts(rt: { store: Store; hub: Hub; deliveries: Deliveries }, options: TopicAlertOptions): TopicAlerts {
  return new TopicAlerts(rt.store, rt.hub, rt.deliveries, options).start();
}
