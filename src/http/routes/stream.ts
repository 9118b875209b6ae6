// The live stream: GET /v1/stream (Server-Sent Events). `id:` is the cursor, `event:` the kind, `data:`
// the delivered item. Resumes from Last-Event-ID (or ?cursor=): first what was missed, then live.
// GET /v1/ws is the same stream over a WebSocket: one JSON text message per item, resume by ?cursor=.
import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { jsonFrame, sseFrame, type StreamFanout } from '../../flow/streams.ts';
import type { Deliveries } from '../../flow/deliveries.ts';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import { requireRole } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { resumeCursor, startPosition } from '../cursor-position.ts';
import { subscriberOf } from '../subscriber-of-request.ts';
import { deliveryAlert, deliveryFormat, FORMAT_DESCRIPTION } from '../delivery-options.ts';
import type { DeliveryFormat } from '../../flow/render.ts';
import type { ConnectionOptions } from '../../flow/streams.ts';
import type { Subscriber } from '../../model/subscribers.ts';

const StreamQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    since: Type.Optional(Type.String({ maxLength: 40 })),
    access_token: Type.Optional(Type.String({ maxLength: 200, description: 'the key, for browser EventSource' })),
    format: Type.Optional(Type.String({ maxLength: 20, description: FORMAT_DESCRIPTION })),
    alert: Type.Optional(Type.String({ maxLength: 40, description: 'a saved search id: only what it matches (kills always pass)' })),
  },
  { additionalProperties: false },
);

/** What the stream routes use: the fan-out the composition root built, and the limits of a connection. */
export interface StreamRouteDeps {
  store: Store;
  keys: KeyRing;
  deliveries: Deliveries;
  fanout: StreamFanout;
  /** Open streams one subscriber may hold (NEWSFLOW_STREAMS_PER_SUBSCRIBER). */
  streamsPerSubscriber: number;
  /** WebSocket ping interval (NEWSFLOW_SSE_HEARTBEAT_MS). */
  heartbeatMs: number;
  retentionDays: number;
}

/** The format and alert filter of a stream connection; 429 when the subscriber holds too many streams. */
async function connectionOptions(
  rt: StreamRouteDeps,
  req: Pick<FastifyRequest, 'apiKey' | 'headers'> & { query: { format?: string; alert?: string } },
  subscriber: Subscriber,
): Promise<ConnectionOptions> {
  const open = rt.fanout.connectionsOf(subscriber.id);
  if (open >= rt.streamsPerSubscriber) {
    throw new HttpError(
      429,
      `subscriber ${subscriber.id} already has ${open} open streams (limit ${rt.streamsPerSubscriber}); close one or resume on an existing stream`,
    );
  }
  const alert = await deliveryAlert(rt, req);
  return { format: deliveryFormat(req, subscriber) as DeliveryFormat, filter: alert && ((item) => alert.passes(item)) };
}

const chunks = new WeakMap<Buffer, Buffer>();
const CRLF = Buffer.from('\r\n');

/** The frame as one HTTP/1.1 chunk, built once per frame (frames are shared between connections). */
function asChunk(frame: Buffer): Buffer {
  let chunk = chunks.get(frame);
  if (!chunk) chunks.set(frame, (chunk = Buffer.concat([Buffer.from(`${frame.length.toString(16)}\r\n`), frame, CRLF])));
  return chunk;
}

export async function streamRoutes(app: TypedApp, rt: StreamRouteDeps): Promise<void> {
  const subscriberKey = requireRole(rt.keys, 'subscriber');
  const fanout = rt.fanout;

  app.get(
    '/v1/stream',
    {
      onRequest: subscriberKey,
      schema: {
        tags: ['subscriber flow'],
        security: [{ bearer: [] }],
        summary: 'Live stream (Server-Sent Events) of entitled events; resumes from Last-Event-ID or ?cursor=',
        querystring: StreamQuery,
      },
    },
    async (req, reply) => {
      const subscriber = await subscriberOf(rt, req);
      // Validated before the stream starts, so a bad cursor is a plain 400/410 answer.
      const after = await startPosition(rt.store, { cursor: resumeCursor(req), since: req.query.since }, { retentionDays: rt.retentionDays });
      const options = await connectionOptions(rt, req, subscriber);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 1000\n: connected\n\n');
      const socket = req.socket;
      socket.setNoDelay(true);
      const conn = fanout.open(
        subscriber.id,
        req.apiKey!.id,
        after,
        {
          // Frames are shared by every subscriber, and so is their chunk framing: one socket write each,
          // without res.write's per-call framing (most of the cost of fan-out at thousands of clients).
          write: (frame) => {
            if (res.chunkedEncoding && !socket.destroyed) socket.write(asChunk(frame));
            else res.write(frame);
          },
          buffered: () => socket.writableLength + res.writableLength,
          close: (reason) => {
            if (!res.writableEnded) res.end(`: closed: ${reason}\n\n`);
            // A client that stopped reading would never take the end: drop its socket.
            setTimeout(() => res.destroy(), 1000).unref();
          },
        },
        sseFrame,
        'stream',
        options,
      );
      res.on('close', () => conn.close('client went away'));
    },
  );

  await app.register(websocket, { options: { maxPayload: 4096 } });
  const positions = new WeakMap<FastifyRequest, { after: number; options: ConnectionOptions }>();
  app.get(
    '/v1/ws',
    {
      websocket: true,
      // Authenticated and positioned before the upgrade, so failures are plain HTTP 401/400/410 answers.
      preHandler: [
        subscriberKey,
        async (req) => {
          const subscriber = await subscriberOf(rt, req);
          const after = await startPosition(rt.store, { cursor: resumeCursor(req), since: req.query.since }, { retentionDays: rt.retentionDays });
          positions.set(req, { after, options: await connectionOptions(rt, req, subscriber) });
        },
      ],
      schema: {
        tags: ['subscriber flow'],
        security: [{ bearer: [] }],
        summary: 'The live stream over a WebSocket: one JSON message {cursor, event, story} per item; resume with ?cursor=',
        querystring: StreamQuery,
      },
    },
    (socket, req) => {
      const start = positions.get(req) ?? { after: 0, options: {} };
      const conn = fanout.open(
        req.apiKey!.subscriberId!,
        req.apiKey!.id,
        start.after,
        {
          write: (frame) => socket.send(frame, { binary: false }),
          buffered: () => socket.bufferedAmount,
          // 4000-range codes are the application's: 4001 revoked, 4008 too slow, 4000 anything else.
          close: (reason) => socket.close(/revoked/.test(reason) ? 4001 : /slow/.test(reason) ? 4008 : 4000, reason.slice(0, 120)),
        },
        jsonFrame,
        'ws',
        start.options,
      );
      const ping = setInterval(() => socket.ping(), rt.heartbeatMs);
      socket.on('close', () => {
        clearInterval(ping);
        conn.close('client went away');
      });
      socket.on('message', () => {}); // the stream is one-way; anything sent is ignored
    },
  );
}
