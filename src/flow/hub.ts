// The hub wakes live readers (streams, long-polls, webhook workers) when the log head moves.
// It carries only "the head is now N": readers then read the log itself, so a reader woken by another
// process's write sees exactly what a reader woken in-process sees.
import type { Store } from '../model/store.ts';

export type HeadListener = (head: number) => void;

export class Hub {
  private listeners = new Set<HeadListener>();
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private unwatch: (() => void) | null = null;

  constructor(private readonly store: Store) {}

  /** The last head this hub has seen. */
  get lastHead(): number {
    return this.head;
  }

  /** Calls `fn` each time the head moves; returns the function that stops it. */
  subscribe(fn: HeadListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Tells every listener the head moved to `head` (writers in this process call it after commit). */
  advance(head: number): void {
    if (head <= this.head) return;
    this.head = head;
    for (const fn of this.listeners) {
      try {
        fn(head);
      } catch {
        // One broken listener must not stop the others from hearing about the event.
      }
    }
  }

  /**
   * Follows the store's head so writes of other processes (a CLI import, a second server) reach live
   * readers: pushed by the store when it can (PostgreSQL's LISTEN/NOTIFY) with a slow safety poll
   * beside it, else polled every `intervalMs` (SQLite's file).
   */
  async start(intervalMs = 200, safetyPollMs = 5000): Promise<void> {
    this.head = Math.max(this.head, await this.store.headSeq());
    const tick = async () => {
      try {
        this.advance(await this.store.headSeq());
      } catch {
        // A transient read failure (database busy) is retried on the next tick.
      }
    };
    let every = intervalMs;
    if (this.store.watchHead) {
      this.unwatch = this.store.watchHead((head) => this.advance(head));
      // The push is the mechanism; the poll only bounds the delay if a notification were ever lost.
      every = Math.max(intervalMs, safetyPollMs);
    }
    this.timer = setInterval(() => void tick(), every);
    this.timer.unref();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }
}
