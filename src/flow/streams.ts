// Live fan-out to open streams (SSE, WebSocket). Connections of one subscriber form a group that reads
// the log in order from one position; every send goes through "seq greater than the last one sent on
// this connection", which is what makes the replay/live seam gapless and duplicate-free: a connection
// that joins with an older cursor rewinds its group, and the others simply skip what they already have.
// Frames are serialized once per event and format and the same buffer is written to every socket.
import type { FlowItem } from '../model/story.ts';
import type { Store } from '../model/store.ts';
import type { Subscriber } from '../model/subscribers.ts';
import { encodeCursor } from './cursor.ts';
import type { Deliveries } from './deliveries.ts';
import { planDelivery, type Entitlements } from './delivery-loop.ts';
import type { Hub } from './hub.ts';
import { defaultFormatOf, renderForSubscriber, renderKey, type DeliveryFormat } from './render.ts';

/** What a transport gives the fan-out: a byte sink with back-pressure information. */
export interface StreamSink {
  write(frame: Buffer): void;
  /** Bytes queued and not yet taken by the client. */
  buffered(): number;
  close(reason: string): void;
}

/** How events are framed on a transport (SSE text, a WebSocket message). */
export type Framer = (item: FlowItem, format: DeliveryFormat) => Buffer;

export const sseFrame: Framer = (item, format) =>
  Buffer.from(`id: ${encodeCursor(item.event.seq)}\nevent: ${item.event.kind}\ndata: ${JSON.stringify(renderForSubscriber(item, null, format))}\n\n`);

export const jsonFrame: Framer = (item, format) => Buffer.from(JSON.stringify(renderForSubscriber(item, null, format)));

/** What one connection asked for beyond its subscriber's entitlement. */
export interface ConnectionOptions {
  /** The story format; null means the subscriber's configured default. */
  format?: DeliveryFormat | null;
  /** An alert: only events passing it are sent (a saved search). */
  filter?: ((item: FlowItem) => boolean) | null;
}

export interface StreamOptions {
  /** Heartbeat interval (comments that keep proxies from closing an idle stream). */
  heartbeatMs?: number;
  /** A client with more than this many bytes unsent is disconnected; it resumes from its cursor. */
  maxBufferedBytes?: number;
  /** How often open streams' keys are checked for revocation. */
  revocationCheckMs?: number;
}

export interface StreamConnection {
  readonly subscriberId: string;
  readonly keyId: string;
  readonly channel: 'stream' | 'ws';
  lastSent: number;
  close(reason: string): void;
}

class Connection implements StreamConnection {
  closed = false;
  constructor(
    readonly subscriberId: string,
    readonly keyId: string,
    readonly channel: 'stream' | 'ws',
    public lastSent: number,
    readonly sink: StreamSink,
    readonly framer: Framer,
    private readonly onClose: (c: Connection) => void,
    readonly options: ConnectionOptions = {},
  ) {}

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.sink.close(reason);
  }
}

const BATCH = 200;
/** The longest the live fan-out holds the event loop before letting other work (requests) in. */
const SLICE_MS = 2;
/**
 * The clock is read every this many groups: a few subscribers are always fed in one run (a machine
 * busy enough to stall the process mid-loop does not split them), and 1,000 do not read it 1,000 times.
 */
const SLICE_GROUPS = 16;
const FRAME_CACHE = 4096;

class Group {
  conns = new Set<Connection>();
  /** Joined but not yet fed: they enter at the next batch boundary, after the rewind they need. */
  joining = new Set<Connection>();
  private pumping = false;
  private again = false;
  private holdTimer: NodeJS.Timeout | null = null;
  private entitlements: Entitlements | null = null;

  constructor(
    readonly subscriberId: string,
    public position: number,
    private readonly fanout: StreamFanout,
  ) {}

  add(c: Connection): void {
    this.joining.add(c);
    void this.pump();
  }

  remove(c: Connection): void {
    this.conns.delete(c);
    this.joining.delete(c);
  }

  get empty(): boolean {
    return this.conns.size === 0 && this.joining.size === 0;
  }

  /** Reads on from the group's position and sends to every connection; one pump at a time. */
  async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        await this.run();
      } while (this.again && !this.empty);
    } catch {
      // A failed read (database busy) is retried at the next head move or heartbeat.
    } finally {
      this.pumping = false;
    }
  }

  private admitJoining(): void {
    for (const c of this.joining) {
      this.position = Math.min(this.position, c.lastSent);
      this.conns.add(c);
    }
    this.joining.clear();
  }

  /**
   * The live path, synchronously: a group at the head with nothing joining, its subscriber cached, the new
   * events in the shared cache and decidable without history (a first publish, a follow-up its products
   * pass). One head move then feeds thousands of groups in a few slices (feedAll), with no promise per group. Returns
   * false, having done what it could, when the rest needs the async pump.
   */
  feedLive(): boolean {
    if (this.pumping || this.joining.size > 0) return false;
    if (this.conns.size === 0) return true;
    const deliveries = this.fanout.deliveries;
    const subscriber = deliveries.cachedSubscriber(this.subscriberId);
    if (!subscriber) return false;
    const batch = this.fanout.cachedAfter(this.position, BATCH);
    if (batch === null || batch.length === BATCH) return false;
    // No history on this path: a follow-up that needs it stops the plan, and the pump takes over.
    const plan = planDelivery(batch, this.position, this.entitlementsOf(subscriber), Date.now());
    this.position = plan.position;
    for (const item of plan.deliver) this.send(item, subscriber);
    this.count(subscriber, plan.deliver.length);
    return plan.hold === null && plan.needsHistory === null;
  }

  /** The loop's view of the subscriber, built once per subscriber object rather than once per event. */
  private entitlementsOf(subscriber: Subscriber): Entitlements {
    if (this.entitlements?.products !== subscriber.entitlements) {
      this.entitlements = { products: subscriber.entitlements, decideFirst: this.fanout.deliveries.decideFirst };
    }
    return this.entitlements;
  }

  private async run(): Promise<void> {
    const deliveries = this.fanout.deliveries;
    for (;;) {
      this.admitJoining();
      if (this.conns.size === 0) return;
      const subscriber = deliveries.cachedSubscriber(this.subscriberId) ?? (await deliveries.subscriber(this.subscriberId));
      if (!subscriber) {
        for (const c of this.conns) c.close('subscriber removed');
        return;
      }
      const batch = this.fanout.cachedAfter(this.position, BATCH) ?? (await this.fanout.readAfter(this.position, BATCH));
      if (batch.length === 0) return;
      const plan = await deliveries.plan(batch, this.position, subscriber.entitlements, Date.now());
      this.position = plan.position;
      for (const item of plan.deliver) this.send(item, subscriber);
      this.count(subscriber, plan.deliver.length);
      if (plan.hold) {
        this.scheduleHold(plan.hold.notBefore);
        return;
      }
      // A long replay lets sockets flush between batches, so it does not pile up in memory.
      if (batch.length === BATCH) await new Promise((r) => setImmediate(r));
    }
  }

  /** Writes one delivered item to every connection that has not had it (and whose alert passes it). */
  private send(item: FlowItem, subscriber: Subscriber): void {
    const format = defaultFormatOf(subscriber);
    // Connections of a group mostly share format and transport: look the frame up once for them.
    let frameFormat: DeliveryFormat | null = null;
    let frameFramer: Framer | null = null;
    let frame: Buffer = Buffer.alloc(0);
    for (const c of this.conns) {
      if (c.closed || item.event.seq <= c.lastSent) continue;
      c.lastSent = item.event.seq;
      if (c.options.filter && !c.options.filter(item)) continue;
      const f = c.options.format ?? format;
      if (f !== frameFormat || c.framer !== frameFramer) {
        frame = this.fanout.frame(item, f, c.framer);
        frameFormat = f;
        frameFramer = c.framer;
      }
      c.sink.write(frame);
      if (c.sink.buffered() > this.fanout.maxBufferedBytes) c.close('client too slow: too much unsent; resume from your last cursor');
    }
  }

  /** Usage: each connection that got the items counts, per channel. */
  private count(subscriber: Subscriber, items: number): void {
    if (items === 0) return;
    for (const c of this.conns) this.fanout.deliveries.count(subscriber.id, c.channel, items);
  }

  private scheduleHold(at: number): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = null;
        void this.pump();
      },
      Math.max(0, at - Date.now()) + 5,
    );
    this.holdTimer.unref();
  }

  stop(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
  }
}

export class StreamFanout {
  readonly maxBufferedBytes: number;
  private groups = new Map<string, Group>();
  private recent: FlowItem[] = [];
  /** The log positions (from, to] whose events are all in `recent`. */
  private cacheFrom = 0;
  private cacheTo = 0;
  private extending: Promise<void> | null = null;
  private frames = new Map<string, Buffer>();
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: () => void;
  private checkingKeys = false;
  private feeding = false;
  private feedAgain = false;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    readonly deliveries: Deliveries,
    opts: StreamOptions = {},
  ) {
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.cacheFrom = this.cacheTo = hub.lastHead;
    // The new events are read into the shared cache once, before any group looks for them.
    this.unsubscribe = hub.subscribe(
      () =>
        void this.extend()
          .catch(() => {})
          .then(() => this.feedAll()),
    );
    const heartbeat = setInterval(() => this.heartbeat(), opts.heartbeatMs ?? 15_000);
    const revocation = setInterval(() => void this.closeRevoked(), opts.revocationCheckMs ?? 500);
    heartbeat.unref();
    revocation.unref();
    this.timers.push(heartbeat, revocation);
  }

  /**
   * Feeds every group after a head move, in slices of about SLICE_MS with a turn of the event loop
   * between them: 1,000 streams take tens of milliseconds to write, and a request (a search) arriving
   * meanwhile should wait for one slice, not for all of it. One pass at a time; a head move during a
   * pass runs one more pass after it. Each group's own position and each connection's "seq greater
   * than the last one sent" keep order and exactly-once whatever the slicing.
   */
  private feedAll(): void {
    if (this.feeding) {
      this.feedAgain = true;
      return;
    }
    this.feeding = true;
    this.feedAgain = false;
    const groups = [...this.groups.values()];
    let next = 0;
    const slice = () => {
      const end = performance.now() + SLICE_MS;
      while (next < groups.length) {
        const g = groups[next++];
        let fed = false;
        try {
          fed = g.feedLive();
        } catch {
          // Whatever failed (a sink, an alert) is met again, and handled, by the pump.
        }
        if (!fed) void g.pump();
        if (next % SLICE_GROUPS === 0 && next < groups.length && performance.now() >= end) {
          setImmediate(slice);
          return;
        }
      }
      this.feeding = false;
      if (this.feedAgain && !this.closed) setImmediate(() => this.feedAll());
    };
    slice();
  }

  /** Open connections of one subscriber (the stream routes cap them). */
  connectionsOf(subscriberId: string): number {
    const g = this.groups.get(subscriberId);
    return g ? g.conns.size + g.joining.size : 0;
  }

  /** Number of open connections (metrics, tests). */
  get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.conns.size + g.joining.size;
    return n;
  }

  /** Opens a connection that receives the subscriber's events after `after`, in order, then live. */
  open(
    subscriberId: string,
    keyId: string,
    after: number,
    sink: StreamSink,
    framer: Framer,
    channel: 'stream' | 'ws' = 'stream',
    options: ConnectionOptions = {},
  ): StreamConnection {
    let group = this.groups.get(subscriberId);
    if (!group) this.groups.set(subscriberId, (group = new Group(subscriberId, after, this)));
    const conn = new Connection(
      subscriberId,
      keyId,
      channel,
      after,
      sink,
      framer,
      (c) => {
        const g = this.groups.get(c.subscriberId);
        if (!g) return;
        g.remove(c);
        if (g.empty) {
          g.stop();
          this.groups.delete(c.subscriberId);
        }
      },
      options,
    );
    group.add(conn);
    return conn;
  }

  /** Log items after `position` when the shared cache holds them (and what follows), else null. */
  cachedAfter(position: number, limit: number): FlowItem[] | null {
    if (position < this.cacheFrom) return null;
    // At the cache's end: nothing more only when the cache has caught up with the known head.
    if (position >= this.cacheTo) return position === this.cacheTo && this.extending === null && this.cacheTo >= this.hub.lastHead ? [] : null;
    const from = this.indexAfter(position);
    return this.recent.slice(from, from + limit);
  }

  /** Log items after `position`, from the shared cache of recent events when it covers them. */
  async readAfter(position: number, limit: number): Promise<FlowItem[]> {
    if (position < this.cacheFrom) return this.store.readLog({ after: position, limit });
    if (position >= this.cacheTo) await this.extend();
    const from = this.indexAfter(position);
    return this.recent.slice(from, from + limit);
  }

  /** Index in the cache of the first item after `position` (binary search). */
  private indexAfter(position: number): number {
    let lo = 0;
    let hi = this.recent.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.recent[mid].event.seq <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Reads new log events into the cache, once however many groups ask at the same time. */
  private extend(): Promise<void> {
    this.extending ??= (async () => {
      try {
        const items = await this.store.readLog({ after: this.cacheTo, limit: 1000 });
        if (items.length === 0) return;
        this.recent.push(...items);
        this.cacheTo = items[items.length - 1].event.seq;
        if (this.recent.length > FRAME_CACHE) {
          const dropped = this.recent.splice(0, this.recent.length - FRAME_CACHE);
          this.cacheFrom = dropped[dropped.length - 1].event.seq;
        }
      } finally {
        this.extending = null;
      }
    })();
    return this.extending;
  }

  /** The frame for an item, serialized once per (event, format, transport). */
  frame(item: FlowItem, format: DeliveryFormat, framer: Framer): Buffer {
    const key = `${framer === sseFrame ? 's' : framer === jsonFrame ? 'j' : 'x'}:${renderKey(item, format)}`;
    let buf = this.frames.get(key);
    if (!buf) {
      buf = framer(item, format);
      if (this.frames.size >= FRAME_CACHE) this.frames.delete(this.frames.keys().next().value!);
      this.frames.set(key, buf);
    }
    return buf;
  }

  private heartbeatFrame = Buffer.from(': heartbeat\n\n');

  private heartbeat(): void {
    for (const g of this.groups.values()) {
      for (const c of g.conns) if (c.framer === sseFrame) c.sink.write(this.heartbeatFrame);
      void g.pump();
    }
  }

  /** Closes every stream whose key was revoked since it opened. */
  private async closeRevoked(): Promise<void> {
    if (this.checkingKeys || this.groups.size === 0) return;
    this.checkingKeys = true;
    try {
      const byKey = new Map<string, Connection[]>();
      for (const g of this.groups.values()) {
        for (const c of [...g.conns, ...g.joining]) {
          const list = byKey.get(c.keyId) ?? [];
          list.push(c);
          byKey.set(c.keyId, list);
        }
      }
      for (const id of await this.store.subscribers.revokedKeys([...byKey.keys()])) {
        for (const c of byKey.get(id) ?? []) c.close('API key revoked');
      }
    } catch {
      // Checked again shortly.
    } finally {
      this.checkingKeys = false;
    }
  }

  /** Closes every connection and stops the timers. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe();
    for (const g of [...this.groups.values()]) {
      for (const c of [...g.conns, ...g.joining]) c.close('server shutting down');
      g.stop();
    }
    this.groups.clear();
  }
}
