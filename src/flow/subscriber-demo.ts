// The demo subscriber a new store starts with: one product taking the whole flow (embargoes included)
// and a subscriber on it with a key, so `npm start` prints a key that can read the feed right away.
import { productFrom } from '../model/subscribers.ts';
import { issueKey } from './keys.ts';
import type { Runtime } from './runtime.ts';

export const DEMO_PRODUCT = 'Demo world service';

export async function demoSubscriber(rt: Runtime): Promise<{ role: 'subscriber'; secret: string; note: string; subscriberId: string }[]> {
  const products = rt.store.subscribers;
  if (!(await products.getProduct(DEMO_PRODUCT))) {
    await products.createProduct(productFrom({ name: DEMO_PRODUCT, embargoRights: true }));
  }
  const subscriber = await products.createSubscriber({ name: 'Demo subscriber', products: [DEMO_PRODUCT] });
  const { secret } = await issueKey(rt.store, 'subscriber', { subscriberId: subscriber.id, label: 'demo' });
  return [{ role: 'subscriber', secret, subscriberId: subscriber.id, note: `subscriber ${subscriber.id}: GET /v1/feed, /v1/stream` }];
}
