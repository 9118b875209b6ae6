// Waking readers on every node without polling: the append transaction ends with
// `pg_notify('newsflow_log', <head seq>)`, delivered at commit to every connection that LISTENs. One
// dedicated connection per process listens (a pooled client would be handed to queries and lose it).
// A notification is only a hint that the head moved — readers read the log from their own cursors —
// so one lost while the connection was down costs nothing: after reconnecting the listener reads the
// head once and hands it on, and readers catch up from where they were.
import pg from 'pg';

/** The channel the append transaction notifies on; the payload is the new head's sequence number. */
export const LOG_CHANNEL = 'newsflow_log';

/** How the connection shows in pg_stat_activity (operators and tests find the listener by it). */
export const LISTENER_APPLICATION = 'newsflow-listener';

export interface HeadListenerOptions {
  /** First wait before reconnecting (ms, default 100); it doubles per failed try up to maxDelayMs. */
  minDelayMs?: number;
  /** Longest wait between reconnection tries (ms, default 5000). */
  maxDelayMs?: number;
  /** Told each time the listener is (again) listening, and each time it lost its connection. */
  onState?: (state: 'listening' | 'lost', error?: unknown) => void;
}

export interface HeadListener {
  /** True while a connection is open and LISTENing. */
  readonly listening: boolean;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

/** Listens on `url` for head moves and calls `onHead` with each; reconnects by itself with backoff. */
export function listenForHead(url: string, onHead: (head: number) => void, opts: HeadListenerOptions = {}): HeadListener {
  const minDelay = opts.minDelayMs ?? 100;
  const maxDelay = opts.maxDelayMs ?? 5000;
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;

  const tell = (head: number) => {
    if (!Number.isFinite(head) || head < 0) return;
    try {
      onHead(head);
    } catch {
      // The hub's own listeners are guarded; nothing a reader does may stop the listener.
    }
  };

  // Called once per client, whichever of 'error' and 'end' comes first.
  const lose = (c: pg.Client, error?: unknown) => {
    if (client !== c) return;
    client = null;
    listening = false;
    c.end().catch(() => {});
    if (stopped) return;
    opts.onState?.('lost', error);
    schedule();
  };

  const schedule = () => {
    if (stopped || timer) return;
    const delay = Math.min(maxDelay, minDelay * 2 ** Math.min(failures, 16));
    failures++;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
  };

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, application_name: LISTENER_APPLICATION, keepAlive: true });
    client = c;
    c.on('error', (e) => lose(c, e));
    c.on('end', () => lose(c));
    c.on('notification', (msg) => {
      if (msg.channel === LOG_CHANNEL) tell(Number(msg.payload));
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${LOG_CHANNEL}`);
      // Whatever was committed while nobody listened (before the first connection, or while it was
      // down) is told as one head: readers read on from their cursors.
      const { rows } = await c.query<{ head: number }>('SELECT coalesce(max(seq), 0)::bigint AS head FROM events');
      if (client !== c || stopped) return;
      listening = true;
      failures = 0;
      opts.onState?.('listening');
      tell(Number(rows[0].head));
    } catch (e) {
      lose(c, e);
    }
  };

  void connect();
  // Keeps the process from exiting only through the timer it unrefs: a client socket holds the loop
  // open while listening, as any open connection of the store does.
  return {
    get listening() {
      return listening;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      listening = false;
      await c?.end().catch(() => {});
    },
  };
}
