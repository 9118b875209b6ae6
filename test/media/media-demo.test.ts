// The demo newsroom's own photos: made by a child process (so the server never loads sharp), with their
// caption and credit in the files' metadata, rendered, and shown by the demo stories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDemoNewsroom } from '../../src/flow/demo.ts';
import { configWith } from '../../src/server/config.ts';
import { demoPhotosInChild } from '../../src/server/demo-photos.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { tempDir } from '../helpers.ts';

test('a fresh start’s demo stories show photos the project made, with metadata and renditions', async () => {
  const dir = tempDir('newsflow-media-demo-');
  const config = configWith({ NEWSFLOW_DATA: dir });
  // Generous here: a first start waits DEMO_PHOTOS_WAIT_MS, but this test checks the photos themselves.
  const photos = await demoPhotosInChild(config, 120_000);
  assert.ok(photos.size >= 5, `made ${photos.size} demo photos`);
  const rt = await openRuntime(join(dir, 'newsflow.db'));
  try {
    for (const id of photos.values()) {
      const a = (await rt.store.media.getAsset(id))!;
      assert.equal(a.state, 'done');
      assert.equal(a.renditions.length, 9);
      assert.ok(a.metadata.caption, 'caption read back from the file');
      assert.match(a.metadata.copyright ?? '', /demo photo made by newsflow/);
    }
    await loadDemoNewsroom(rt, photos);
    const [story] = await rt.store.listStories({ status: 'published', limit: 1 });
    const v = await rt.store.getVersion(story.id, story.latestVersion);
    assert.ok(v!.content.photos[0].mediaId);
    assert.equal(v!.content.photos[0].renditions?.length, 9);
  } finally {
    await rt.close();
  }
});
