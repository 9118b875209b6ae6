// What a subscriber's request may add to its flow: the story format (`?format=`, else the
// subscriber's configured default) and an alert (`?alert=<saved search id>`).
import type { FastifyRequest } from 'fastify';
import { Alert } from '../flow/alerts.ts';
import { DELIVERY_FORMATS, defaultFormatOf, type DeliveryFormat } from '../flow/render.ts';
import type { Runtime } from '../flow/runtime.ts';
import { NegotiationError, type OutputFormat } from '../formats/negotiate.ts';
import type { Subscriber } from '../store/subscribers.ts';
import { ownSavedSearch } from './routes/saved-searches.ts';

export const FORMAT_DESCRIPTION = `story format: ${DELIVERY_FORMATS.join(', ')} (default: the subscriber's configured format, else ninjs 3.2)`;

/** The story format a request asks for, among `extra` page formats too (Atom for the feed). */
export function deliveryFormat(req: FastifyRequest, subscriber: Subscriber, extra: OutputFormat[] = []): DeliveryFormat | OutputFormat {
  const requested = (req.query as { format?: string }).format?.trim().toLowerCase();
  const allowed: OutputFormat[] = [...DELIVERY_FORMATS, ...extra];
  if (requested) {
    if (!allowed.includes(requested as OutputFormat)) throw new NegotiationError(`format "${requested}" is not available here`, allowed);
    return requested as OutputFormat;
  }
  if (extra.includes('atom') && /application\/atom\+xml/.test(req.headers.accept ?? '')) return 'atom';
  return defaultFormatOf(subscriber);
}

/** The alert a request names, if it belongs to the subscriber. */
export async function deliveryAlert(rt: Runtime, req: FastifyRequest): Promise<Alert | null> {
  const id = (req.query as { alert?: string }).alert;
  return id ? new Alert(await ownSavedSearch(rt, req, id)) : null;
}
