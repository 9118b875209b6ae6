// Where a subscriber's reader starts in the flow log: after a cursor it was given, at the first event
// since an instant, or at the head. Shared by the feed, the stream and webhook subscriptions.
import type { FastifyRequest } from 'fastify';
import { decodeCursor, encodeCursor } from '../flow/cursor.ts';
import { DEFAULT_RETENTION_DAYS } from '../flow/retention.ts';
import type { Store } from '../model/store.ts';
import { HttpError } from './errors.ts';

/**
 * Where a reader starts: after its cursor, at the first event since an instant, or at the head ("now").
 * A garbled cursor is a 400; one older than the log's retention a 410 naming the oldest cursor kept.
 */
export async function startPosition(
  store: Store,
  q: { cursor?: string | null; since?: string | null },
  opts: { knownHead?: number; checkRetention?: boolean; retentionDays?: number } = {},
): Promise<number> {
  if (q.cursor) {
    const seq = decodeCursor(q.cursor);
    if (seq === null)
      throw new HttpError(400, 'bad cursor: it was not issued by this server or was cut short; start again without a cursor or with since=<ISO time>');
    if (seq > (opts.knownHead ?? 0)) {
      const head = await store.headSeq();
      if (seq > head) throw new HttpError(400, `bad cursor: it points past the end of the log (position ${seq}, head ${head})`);
    }
    if (opts.checkRetention !== false) await checkRetention(store, seq, opts.retentionDays);
    return seq;
  }
  if (q.since) {
    const at = Date.parse(q.since);
    if (Number.isNaN(at)) throw new HttpError(400, `since must be an ISO 8601 time, not "${q.since}"`);
    const position = await store.subscribers.positionBefore(new Date(at).toISOString());
    const oldest = await store.oldestSeq();
    return Math.max(position, oldest - 1);
  }
  return store.headSeq();
}

/** Throws 410, naming the oldest cursor kept, when events after `position` were pruned from the log. */
export async function checkRetention(store: Store, position: number, retentionDays = DEFAULT_RETENTION_DAYS): Promise<void> {
  const oldest = await store.oldestSeq();
  if (position < oldest - 1) {
    throw new HttpError(410, `cursor is older than the log's retention of ${retentionDays} days; resume from the oldest cursor available`, {
      oldest_cursor: encodeCursor(oldest - 1),
    });
  }
}

/** The cursor a client resumes from: the Last-Event-ID header wins over ?cursor=. */
export function resumeCursor(req: Pick<FastifyRequest, 'headers'> & { query: { cursor?: string } }): string | undefined {
  const header = req.headers['last-event-id'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return fromHeader?.trim() || req.query.cursor || undefined;
}
