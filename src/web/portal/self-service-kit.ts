// What the topics, notifications, developers and usage pages share: the signed-in seat as the flow's
// `Seat`, their words, field errors from a ValidationError, a not-found answer, and small live streams
// (Server-Sent Events) that a page script listens to, closed before the server stops.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Seat } from '../../flow/self-service.ts';
import { NotFoundError } from '../../model/errors.ts';
import { ValidationError } from '../../model/validate.ts';
import { languageOf } from '../account/pages.ts';
import { PRIVATE_HEADERS } from '../account/sessions.ts';
import type { PortalContext } from './context.ts';
import { SELF_STRINGS, type SelfStrings } from './self-service-strings.ts';

export const ULID = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** The signed-in seat (the guard ran: a seat always has a subscriber). */
export function seatOf(req: FastifyRequest): Seat {
  const u = req.user!;
  return { id: u.id, name: u.name, subscriberId: u.subscriberId! };
}

export function wordsOf(req: FastifyRequest): SelfStrings {
  return SELF_STRINGS[languageOf(req, req.user ?? null)];
}

/** The field errors of a refused act, by form field name (`/url` → `url`); other errors are thrown again. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ValidationError)) throw e;
  const out: Record<string, string> = {};
  for (const f of e.errors) out[f.field.replace(/^\//, '') || 'form'] ??= f.message;
  return out;
}

/** Runs `fn`; a thing of another subscriber (or none) answers the portal's 404 page. */
export async function orNotFound(portal: PortalContext, req: FastifyRequest, reply: FastifyReply, fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof NotFoundError) {
      return portal.simple(
        req,
        reply,
        404,
        (t) => t.notFoundTitle,
        (t) => t.notFound,
      );
    }
    throw e;
  }
}

/** Open page streams of one portal scope, ended before the server closes (it would wait for them). */
export class PageStreams {
  private open = new Set<ServerResponse>();

  constructor(app: FastifyInstance) {
    app.addHook('preClose', async () => {
      for (const res of this.open) res.end(': closed: server shutting down\n\n');
      this.open.clear();
    });
  }

  /**
   * Takes over the response as an event stream; `onClose` runs when the reader leaves. The heartbeat
   * keeps proxies from closing a quiet stream and calls `tick` (a check that needs no wake-up).
   */
  start(reply: FastifyReply, opts: { heartbeatMs?: number; tick?: () => void; onClose: () => void }): (event: string, data: unknown) => void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { ...PRIVATE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'x-accel-buffering': 'no', connection: 'keep-alive' });
    res.write('retry: 3000\n\n');
    this.open.add(res);
    const beat = setInterval(() => {
      res.write(': ping\n\n');
      opts.tick?.();
    }, opts.heartbeatMs ?? 10_000);
    beat.unref();
    res.on('close', () => {
      clearInterval(beat);
      this.open.delete(res);
      opts.onClose();
    });
    return (event, data) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
  }
}

/**
 * Runs `check` after each head move, once after each of `delaysMs` (the alert engine records its
 * notifications a moment after the publish; a search finds the story at once).
 */
export function afterEachPublish(portal: PortalContext, check: () => void, delaysMs: readonly number[] = [150, 600, 1500, 4000]): () => void {
  const timers = new Set<NodeJS.Timeout>();
  const unsubscribe = portal.rt.hub.subscribe(() => {
    for (const ms of delaysMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        check();
      }, ms);
      t.unref();
      timers.add(t);
    }
  });
  return () => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
  };
}
