// The pull feed: GET /v1/feed. A subscriber asks for what happened after its cursor, optionally waiting
// (long-poll) until something it is entitled to arrives.
import type { FastifyReply } from 'fastify';
import type { TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { encodeCursor } from '../../flow/cursor.ts';
import { scanEntitled, type Deliveries } from '../../flow/deliveries.ts';
import type { Hub } from '../../flow/hub.ts';
import { renderedJson } from '../../flow/render.ts';
import type { KeyRing } from '../../flow/keys.ts';
import type { StreamFanout } from '../../flow/streams.ts';
import type { Store } from '../../model/store.ts';
import type { Subscriber } from '../../model/subscribers.ts';
import { requireRole } from '../auth.ts';
import { checkRetention, startPosition } from '../cursor-position.ts';
import { subscriberOf } from '../subscriber-of-request.ts';
import { HttpError } from '../errors.ts';
import { deliveryAlert, deliveryFormat, FORMAT_DESCRIPTION } from '../delivery-options.ts';
import { renderList } from '../../formats/render.ts';
import type { DeliveryFormat } from '../../flow/render.ts';

const MAX_WAIT_S = 60;

/** Resolves when the hub's head passes `head`, at `until`, or when the client goes away. */
function waitForHead(hub: Hub, head: number, until: number, reply: FastifyReply, waiting: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    if (hub.lastHead > head) return resolve();
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      reply.raw.off('close', done);
      waiting.delete(done);
      resolve();
    };
    waiting.add(done);
    const timer = setTimeout(done, Math.max(0, until - Date.now()));
    const unsubscribe = hub.subscribe((h) => { if (h > head) done(); });
    // The response's close, not the request's: a GET request 'closes' as soon as it has been read.
    reply.raw.once('close', done);
  });
}

/** Requests per minute per subscriber, counted in a fixed window (one process; good enough to protect the server). */
class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  allow(subscriber: Subscriber, now = Date.now()): number | null {
    if (!subscriber.rateLimit) return null;
    let w = this.windows.get(subscriber.id);
    if (!w || w.start + 60_000 <= now) this.windows.set(subscriber.id, (w = { start: now, count: 0 }));
    w.count++;
    return w.count > subscriber.rateLimit ? Math.ceil((w.start + 60_000 - now) / 1000) : null;
  }
}

const FeedQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 100, description: 'next_cursor of the previous answer' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  wait: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_WAIT_S, default: 0, description: 'seconds to wait for a first item (long-poll)' })),
  since: Type.Optional(Type.String({ maxLength: 40, description: 'first call only: start at this ISO time instead of now' })),
  access_token: Type.Optional(Type.String({ maxLength: 200 })),
  format: Type.Optional(Type.String({ maxLength: 20, description: FORMAT_DESCRIPTION + ', or atom for the whole page' })),
  alert: Type.Optional(Type.String({ maxLength: 40, description: 'a saved search id: only what it matches (kills always pass)' })),
}, { additionalProperties: false });

/** What the feed uses: the log (through the stream fan-out's cache of recent events) and the deliveries. */
export interface FeedRouteDeps {
  baseUrl: string;
  store: Store;
  hub: Hub;
  keys: KeyRing;
  deliveries: Deliveries;
  fanout: StreamFanout;
  retentionDays: number;
}

export async function feedRoutes(app: TypedApp, rt: FeedRouteDeps): Promise<void> {
  const subscriberKey = requireRole(rt.keys, 'subscriber');
  const deliveries = rt.deliveries;
  const limiter = new RateLimiter();
  // A server stopping answers its long-polls at once (with what they have and their cursor), so closing
  // never waits out a minute-long wait.
  let closing = false;
  const waiting = new Set<() => void>();
  app.addHook('preClose', async () => {
    closing = true;
    for (const wake of [...waiting]) wake();
  });
  app.addHook('onClose', async () => { await deliveries.flush().catch(() => {}); });

  app.get('/v1/feed', {
    onRequest: subscriberKey,
    schema: {
      tags: ['subscriber flow'], security: [{ bearer: [] }], querystring: FeedQuery,
      summary: 'Events after a cursor that the subscriber is entitled to, each with the full story version',
    },
  }, async (req, reply) => {
    const q = req.query;
    const subscriber = await subscriberOf(rt, req);
    const retryAfter = limiter.allow(subscriber);
    if (retryAfter !== null) {
      void reply.header('retry-after', String(retryAfter));
      throw new HttpError(429, `rate limit of ${subscriber.rateLimit} feed requests a minute reached; retry in ${retryAfter} s`);
    }
    const format = deliveryFormat(req, subscriber, ['atom']);
    const alert = await deliveryAlert(rt, req);
    const limit = q.limit ?? 100;
    const deadline = Date.now() + (q.wait ?? 0) * 1000;
    // The hub's head (polled every 200 ms, moved at once by writers in this process) spares the hot
    // path of a poll at the head any query; retention is checked only when there is something to read.
    let position = await startPosition(rt.store, q, { knownHead: rt.hub.lastHead, checkRetention: false });
    for (let first = true; ; first = false) {
      const fanout = rt.fanout;
      const scan = await scanEntitled(rt.store, deliveries, subscriber, position, {
        limit, head: rt.hub.lastHead, read: (after, n) => fanout.readAfter(after, n),
        accept: alert ? (_e, item) => alert.passes(item) : undefined,
      });
      // Checked whenever there was something to read (a poll at the head stays query-free); the read
      // may come from memory, so a gap in what was read cannot be trusted to reveal pruning.
      if (first && (scan.firstSeq !== null || position < rt.hub.lastHead)) await checkRetention(rt.store, position, rt.retentionDays);
      position = scan.position;
      if (scan.items.length > 0 || Date.now() >= deadline || req.socket.destroyed || closing) {
        deliveries.count(subscriber.id, 'feed', scan.items.length);
        if (format === 'atom') {
          // One page of the flow as an Atom feed; the next page is linked and named in a header.
          const next = encodeCursor(position);
          const self = `${rt.baseUrl}/v1/feed`;
          const atom = renderList('atom', scan.items.map((i) => i.version), {
            baseUrl: rt.baseUrl,
            feed: { id: `${self}?subscriber=${subscriber.id}`, title: `newsflow: ${subscriber.name}`, link: self, updated: scan.items.at(-1)?.event.at ?? new Date().toISOString() },
          });
          return reply.type(atom.contentType).header('x-next-cursor', next)
            .header('link', `<${self}?format=atom&cursor=${next}>; rel="next"`).send(atom.body);
        }
        // Built from cached item JSON (the same version goes to every subscriber of the same format).
        const items = scan.items.map((i) => renderedJson(i, format as DeliveryFormat)).join(',');
        return reply.type('application/json; charset=utf-8')
          .send(`{"items":[${items}],"next_cursor":${JSON.stringify(encodeCursor(position))}}`);
      }
      if (scan.holdUntil !== null) {
        // Nothing after a held event may go first, so only time (not new events) can help.
        await new Promise<void>((r) => {
          const done = () => { clearTimeout(timer); waiting.delete(done); r(); };
          const timer = setTimeout(done, Math.max(0, Math.min(deadline, scan.holdUntil!) - Date.now()));
          waiting.add(done);
        });
      } else {
        await waitForHead(rt.hub, position, deadline, reply, waiting);
      }
    }
  });
}
