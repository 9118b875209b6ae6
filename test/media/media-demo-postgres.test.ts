// The demo photos on PostgreSQL: the child process that makes them opens the server's own store (the
// database NEWSFLOW_DATABASE_URL names, not a SQLite file beside it), so the demo stories find them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDemoNewsroom } from '../../src/flow/demo.ts';
import { configWith } from '../../src/server/config.ts';
import { demoPhotosInChild } from '../../src/server/demo-photos.ts';
import { openConfiguredRuntime } from '../../src/server/runtime.ts';
import { tempDir } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';

test('on PostgreSQL the demo photos are made in the database the server uses', async () => {
  const config = configWith({ NEWSFLOW_DATA: tempDir('newsflow-media-demo-pg-'), NEWSFLOW_DATABASE_URL: await freshDatabase() });
  const photos = await demoPhotosInChild(config, 120_000);
  assert.ok(photos.size >= 5, `made ${photos.size} demo photos`);
  const rt = await openConfiguredRuntime(config);
  try {
    assert.equal(rt.store.kind, 'postgres');
    for (const id of photos.values()) {
      const a = await rt.store.media.getAsset(id);
      assert.ok(a, `asset ${id} is in the PostgreSQL store`);
      assert.equal(a.state, 'done');
      assert.equal(a.renditions.length, 9);
    }
    await loadDemoNewsroom(rt, photos);
    const [story] = await rt.store.listStories({ status: 'published', limit: 1 });
    const v = await rt.store.getVersion(story.id, story.latestVersion);
    assert.ok(v!.content.photos[0].mediaId);
  } finally {
    await rt.close();
  }
});
