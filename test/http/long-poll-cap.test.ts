// A subscriber may hold only so many waiting long-polls (GET /v1/feed?wait=): past the cap a new one is
// a 429 with Retry-After and a reason; other subscribers and plain polls are not affected, and a
// long-poll that answers or is dropped frees its place.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { addProduct, addSubscriber, call, startServer, until } from './subscriber-helpers.ts';

it('the per-subscriber long-poll cap answers 429 with Retry-After, and a finished long-poll frees its place', async () => {
  const s = await startServer({ webhooks: false, env: { NEWSFLOW_LONG_POLLS_PER_SUBSCRIBER: '3' } });
  const aborts: AbortController[] = [];
  const held: Promise<Response | null>[] = [];
  try {
    await addProduct(s, { name: 'All' });
    const greedy = await addSubscriber(s, 'Greedy', ['All']);
    const other = await addSubscriber(s, 'Other', ['All']);
    const longPoll = (key: string) => {
      const ac = new AbortController();
      aborts.push(ac);
      return fetch(`${s.url}/v1/feed?wait=30`, { headers: { authorization: `Bearer ${key}` }, signal: ac.signal });
    };
    for (let i = 0; i < 3; i++) held.push(longPoll(greedy.key).catch(() => null));
    // The three are waiting once a fourth is refused. A store that looks keys up asynchronously
    // (PostgreSQL) may let a fourth sent at once overtake one of them, and that one would then be held
    // for its whole wait: the fourth goes once the three have had time to be counted.
    await new Promise((r) => setTimeout(r, 500));
    // A fourth that is held instead (the three not all counted yet on a loaded machine) is dropped after
    // half a second, which frees its place, and sent again: a refusal answers at once.
    const tryFourth = async (): Promise<Response | null> => {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), 500);
      try {
        return await fetch(`${s.url}/v1/feed?wait=30`, { headers: { authorization: `Bearer ${greedy.key}` }, signal: ac.signal });
      } catch {
        return null;
      } finally {
        clearTimeout(timer);
      }
    };
    let fourth = await tryFourth();
    await until('three long-polls held', async () => {
      if (fourth?.status === 429) return true;
      fourth = await tryFourth();
      return fourth?.status === 429;
    });
    if (!fourth) throw new Error('no fourth long-poll answered');
    assert.equal(fourth.status, 429);
    assert.ok(Number(fourth.headers.get('retry-after')) > 0, 'Retry-After says when to come back');
    assert.match(((await fourth.json()) as { message: string }).message, /long-polls waiting \(limit 3\)/);

    // A plain poll (no wait) and another subscriber's long-poll still pass.
    assert.equal((await call(s, greedy.key, 'GET', '/v1/feed')).status, 200);
    const others = longPoll(other.key).catch(() => null);
    const early = await Promise.race([others, new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    assert.equal(early, 'waiting', "another subscriber's long-poll is held, not refused");
    aborts.at(-1)!.abort();
    await others;

    // One dropped long-poll frees a place.
    aborts[0].abort();
    let status = 429;
    for (let i = 0; i < 50 && status === 429; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const r = await fetch(`${s.url}/v1/feed?wait=1`, { headers: { authorization: `Bearer ${greedy.key}` } });
      status = r.status;
      await r.body?.cancel();
    }
    assert.equal(status, 200, 'a place frees up when a long-poll ends');
  } finally {
    for (const ac of aborts) ac.abort();
    await Promise.all(held);
    await s.stop();
  }
});
