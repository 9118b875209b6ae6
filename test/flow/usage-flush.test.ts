// Usage counters are current when read: a flush asked for while an earlier one is still writing (the
// timer's) waits for it, on both stores. On PostgreSQL the write is asynchronous, and the usage route
// answered without the counters that had just left memory for the database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deliveries } from '../../src/flow/deliveries.ts';
import type { Store } from '../../src/model/store.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { tempDbFile } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';

const stores: [string, () => Promise<Store>][] = [
  ['sqlite', async () => new SqliteStore(tempDbFile())],
  ['postgres', async () => PostgresStore.open(await freshDatabase())],
];

for (const [name, open] of stores) {
  describe(`usage counters: ${name}`, () => {
    it('a flush waits for the write already under way, so what it reads after is current', async () => {
      const store = await open();
      const deliveries = new Deliveries(store);
      try {
        const sub = await store.subscribers.createSubscriber({ name: 'Counted', products: [] });
        const day = new Date(Date.UTC(2026, 10, 30, 12));
        deliveries.count(sub.id, 'feed', 3, day);
        const timers = deliveries.flush(); // the periodic write, still under way
        deliveries.count(sub.id, 'stream', 2, day);
        await deliveries.flush(); // the usage route's
        assert.deepEqual(
          (await store.subscribers.usage(sub.id, '2026-11-30', '2026-11-30')).map((r) => [r.channel, r.count]),
          [
            ['feed', 3],
            ['stream', 2],
          ],
        );
        await timers;
        const again = deliveries.flush(); // nothing pending: still waits for nothing under way
        await again;
        deliveries.count(sub.id, 'feed', 1, day);
        void deliveries.flush();
        await deliveries.flush();
        assert.deepEqual(
          (await store.subscribers.usage(sub.id, '2026-11-30', '2026-11-30')).map((r) => [r.channel, r.count]),
          [
            ['feed', 4],
            ['stream', 2],
          ],
        );
      } finally {
        await deliveries.close();
        await store.close();
      }
    });
  });
}
