// The flow log's reading contract beyond test/store/contract.ts, on both stores: readLog's optional
// languages prefilter returns only those languages, in log order, and an empty list filters nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../src/model/store.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';

const stores: [string, () => Promise<Store>][] = [
  ['sqlite', async () => new SqliteStore(tempDbFile())],
  ['postgres', async () => PostgresStore.open(await freshDatabase())],
];

for (const [name, open] of stores) {
  describe(`flow log: ${name}`, () => {
    it('readLog prefilters by language when asked', async () => {
      const store = await open();
      try {
        await store.importPublished(
          ['ar', 'tr', 'en', 'ar'].map((language, i) => ({
            content: sampleContent({ language }),
            publishedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          })),
          { deferIndex: true },
        );
        assert.deepEqual(
          (await store.readLog({ after: 0, limit: 10, languages: ['ar', 'en'] })).map((i) => [i.event.seq, i.event.language]),
          [
            [1, 'ar'],
            [3, 'en'],
            [4, 'ar'],
          ],
        );
        assert.deepEqual(
          (await store.readLog({ after: 1, limit: 1, languages: ['ar'] })).map((i) => i.event.seq),
          [4],
        );
        assert.equal((await store.readLog({ after: 0, limit: 10, languages: [] })).length, 4);
        assert.equal((await store.readLog({ after: 0, limit: 10 })).length, 4);
      } finally {
        await store.close();
      }
    });
  });
}
