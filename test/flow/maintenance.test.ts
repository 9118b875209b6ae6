// The server's periodic duties, on a real store: an embargo that falls due is lifted by an event.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startMaintenance } from '../../src/flow/maintenance.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

it('lifts a due embargo with an embargo-lifted event, once', async () => {
  const rt = await openRuntime(tempDbFile());
  const d = await rt.newsroom.createDraft(sampleContent({ embargoUntil: new Date(Date.now() + 300).toISOString() }), SYSTEM_ACTOR);
  const pub = await rt.newsroom.publish(d.id, SYSTEM_ACTOR);
  const stop = startMaintenance(rt, { embargoEveryMs: 50 });
  try {
    const deadline = Date.now() + 5000;
    let kinds: string[] = [];
    while (Date.now() < deadline) {
      kinds = (await rt.store.readLog({ after: pub.event.seq - 1, limit: 10 })).map((i) => i.event.kind);
      if (kinds.includes('embargo-lifted')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200));
    kinds = (await rt.store.readLog({ after: pub.event.seq - 1, limit: 10 })).map((i) => i.event.kind);
    assert.deepEqual(kinds, ['published', 'embargo-lifted']);
  } finally {
    stop();
    await rt.close();
  }
});
