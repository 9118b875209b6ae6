// What a subscriber's request may add to its flow: the story format (`?format=`, else the
// subscriber's configured default) and an alert (`?alert=<saved search id>`).
import type { FastifyRequest } from 'fastify';
import { alertFor, type Alert } from '../flow/alerts.ts';
import { DELIVERY_FORMATS, defaultFormatOf, type DeliveryFormat } from '../flow/render.ts';
import type { Deliveries } from '../flow/deliveries.ts';
import type { Store } from '../model/store.ts';
import { negotiate, NegotiationError, type OutputFormat } from '../formats/negotiate.ts';
import type { Subscriber } from '../model/subscribers.ts';
import { ownSavedSearch } from './subscriber-of-request.ts';

export const FORMAT_DESCRIPTION = `story format: ${DELIVERY_FORMATS.join(', ')} (default: the subscriber's configured format, else ninjs 3.2)`;

// Media ranges that say nothing about the story format: the envelope is JSON (or an event stream)
// whatever the story inside it is, so these keep the subscriber's own format.
const GENERIC_RANGES = new Set(['*/*', 'application/*', 'application/json', 'text/event-stream']);

/**
 * The story format a request asks for, among `extra` page formats too (Atom for the feed): `?format=`
 * first, then an `Accept` that names a story format (`application/ninjs+json`, NewsML-G2, `text/html` …),
 * else the subscriber's configured format. An Accept naming nothing this endpoint serves is a 406.
 */
export function deliveryFormat(
  req: Pick<FastifyRequest, 'headers'> & { query: { format?: string } },
  subscriber: Subscriber,
  extra: OutputFormat[] = [],
): DeliveryFormat | OutputFormat {
  const requested = req.query.format?.trim().toLowerCase();
  const allowed: OutputFormat[] = [...DELIVERY_FORMATS, ...extra];
  const fallback = defaultFormatOf(subscriber);
  if (requested) {
    if (!allowed.includes(requested as OutputFormat)) throw new NegotiationError(`format "${requested}" is not available here`, allowed);
    return requested as OutputFormat;
  }
  const accept = req.headers.accept?.trim();
  if (!accept) return fallback;
  const ranges = accept
    .split(',')
    .map((r) => r.split(';')[0].trim().toLowerCase())
    .filter(Boolean);
  if (ranges.every((r) => GENERIC_RANGES.has(r))) return fallback;
  return negotiate({ accept, allowed, defaultFormat: fallback }).format;
}

/** The alert a request names, if it belongs to the subscriber. */
export async function deliveryAlert(
  rt: { store: Store; deliveries: Deliveries },
  req: Pick<FastifyRequest, 'apiKey'> & { query: { alert?: string } },
): Promise<Alert | null> {
  const id = req.query.alert;
  return id ? alertFor(await ownSavedSearch(rt, req, id)) : null;
}
