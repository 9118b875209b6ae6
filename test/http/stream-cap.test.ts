// A subscriber may hold only so many open streams: past the cap a new one is a 429 with a reason.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { addProduct, addSubscriber, startServer } from './subscriber-helpers.ts';

it('the per-subscriber stream cap answers 429, and a closed stream frees its place', async () => {
  const s = await startServer({ env: { NEWSFLOW_STREAMS_PER_SUBSCRIBER: '2' } });
  const aborts: AbortController[] = [];
  try {
    await addProduct(s, { name: 'All' });
    const { key } = await addSubscriber(s, 'Capped', ['All']);
    const open = async () => {
      const ac = new AbortController();
      aborts.push(ac);
      return fetch(`${s.url}/v1/stream?access_token=${key}`, { signal: ac.signal });
    };
    assert.equal((await open()).status, 200);
    assert.equal((await open()).status, 200);
    const third = await open();
    assert.equal(third.status, 429);
    assert.match(((await third.json()) as { message: string }).message, /limit 2/);
    aborts[0].abort();
    let status = 429;
    for (let i = 0; i < 50 && status === 429; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const r = await open();
      status = r.status;
      if (status === 429) await r.body?.cancel();
    }
    assert.equal(status, 200, 'a place frees up when a stream closes');
  } finally {
    for (const ac of aborts) ac.abort();
    await s.stop();
  }
});
