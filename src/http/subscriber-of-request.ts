// The subscriber a request speaks for (from its API key), and what of the store belongs to it.
import type { FastifyRequest } from 'fastify';
import type { Deliveries } from '../flow/deliveries.ts';
import type { Store } from '../model/store.ts';
import type { SavedSearch } from '../model/saved-searches.ts';
import type { Subscriber } from '../model/subscribers.ts';
import { HttpError } from './errors.ts';

/** The subscriber a request's key belongs to; admin and editor keys have none. */
export async function subscriberOf(rt: { deliveries: Deliveries }, req: Pick<FastifyRequest, 'apiKey'>): Promise<Subscriber> {
  const id = req.apiKey?.subscriberId;
  if (!id) throw new HttpError(403, 'this route delivers to subscribers: use a subscriber key (newsflow key create --role subscriber --subscriber <id>)');
  const subscriber = await rt.deliveries.subscriber(id);
  if (!subscriber) throw new HttpError(403, `the key's subscriber ${id} no longer exists`);
  return subscriber;
}

/** The saved search `id` if it belongs to the requesting subscriber; 404 otherwise (never another's). */
export async function ownSavedSearch(rt: { store: Store; deliveries: Deliveries }, req: Pick<FastifyRequest, 'apiKey'>, id: string): Promise<SavedSearch> {
  const subscriber = await subscriberOf(rt, req);
  const saved = await rt.store.savedSearches.get(id);
  if (!saved || saved.subscriberId !== subscriber.id) throw new HttpError(404, `no saved search ${id}`);
  return saved;
}
