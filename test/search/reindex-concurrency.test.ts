// A rebuild of the search index shares the store with writers: it works in short transactions, so a
// publish from another connection gets in while the rebuild runs, and a story killed during the
// rebuild is not written back into the index.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openRuntime } from '../../src/server/runtime.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

it('publishes and kills from another connection interleave with a rebuild, and win', async () => {
  const file = tempDbFile();
  const a = await openRuntime(file);
  const items = Array.from({ length: 3000 }, (_, i) => ({
    content: sampleContent({ headline: `خبر أرشيفي رقم ${i}`, provenance: { originalIds: { archive: `r-${i}` } } }),
    publishedAt: new Date(Date.UTC(2018, 0, 1) + i * 60_000).toISOString(),
  }));
  await a.store.importPublished(items, { deferIndex: true });
  const victim = (await a.store.listStories({ limit: 1 }))[0];

  const b = await openRuntime(file); // another connection, as another process would have
  let rebuildDone = false;
  const rebuild = a.store.search.reindex().then((r) => {
    rebuildDone = true;
    return r;
  });
  await new Promise((r) => setTimeout(r, 5));
  const d = await b.newsroom.createDraft(sampleContent({ headline: 'خبر عاجل عن الزنجبيل' }), SYSTEM_ACTOR);
  await b.newsroom.publish(d.id, SYSTEM_ACTOR);
  await b.newsroom.kill(victim.id, 'نُشر بالخطأ', SYSTEM_ACTOR);
  assert.equal(rebuildDone, false, 'the publish and the kill did not wait for the whole rebuild');
  const r = await rebuild;
  assert.ok(r.indexed >= 2999);
  assert.equal((await a.store.search.query('الزنجبيل', {})).total, 1, 'the story published during the rebuild is searchable');
  const victimHits = (await a.store.search.query(victim.draft.headline, { limit: 200 })).hits.filter((h) => h.storyId === victim.id);
  assert.deepEqual(victimHits, [], 'the story killed during the rebuild stays out of search');
  await b.close();
  await a.close();
});
