// What a subscriber received is derived from the story's history, not recorded per delivery. When the
// log's retention has pruned a story's first publish, the history is rebuilt from the versions, so a
// follow-up still reaches exactly those who had the story (and nobody who never had it).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pruneFlowLog } from '../../src/flow/retention.ts';
import { addProduct, addSubscriber, call, publish, startServer, update, type FlowServer } from './subscriber-helpers.ts';

describe('follow-ups after the log was pruned', () => {
  let s: FlowServer;
  let arabic: { key: string };
  let turkish: { key: string };
  let urdu: { key: string };
  before(async () => {
    s = await startServer({ webhooks: false });
    await addProduct(s, { name: 'Arabic', languages: ['ar'] });
    await addProduct(s, { name: 'Turkish', languages: ['tr'] });
    await addProduct(s, { name: 'Urdu', languages: ['ur'] });
    arabic = await addSubscriber(s, 'Arabic client', ['Arabic']);
    turkish = await addSubscriber(s, 'Turkish client', ['Turkish']);
    urdu = await addSubscriber(s, 'Urdu client', ['Urdu']);
  });
  after(async () => s.stop());

  it('delivers the update of a story whose publish was pruned to those who had it, and only to them', async () => {
    const story = await publish(s, { language: 'ar', headline: 'خبر قديم' });
    await publish(s, { language: 'tr', headline: 'Yeni haber' });
    // Everything but the newest event becomes older than a retention of one day: the story's publish goes.
    const pruned = await pruneFlowLog(s.rt.store, 1, new Date(Date.now() + 2 * 86_400_000));
    assert.ok(pruned >= 1);

    const heads = await Promise.all([arabic, turkish, urdu].map(async (sub) => (await call(s, sub.key, 'GET', '/v1/feed')).body.next_cursor));
    // The story moves to Urdu: no longer in the Arabic product, and now in the Urdu one.
    const seq = await update(s, story.id, { language: 'ur', headline: 'پرانی خبر' });
    const history = await s.rt.store.subscribers.storyEventsBefore(story.id, seq);
    assert.deepEqual(
      history.map((e) => [e.kind, e.version, e.language]),
      [['published', 1, 'ar']],
      'rebuilt from the versions',
    );
    const [ar, tr, ur] = await Promise.all(
      [arabic, turkish, urdu].map(async (sub, i) => (await call(s, sub.key, 'GET', `/v1/feed?cursor=${heads[i]}`)).body.items),
    );
    assert.deepEqual(
      ar.map((i: any) => [i.event.kind, i.event.storyId]),
      [['updated', story.id]],
      'the Arabic client had it: its follow-up passes',
    );
    assert.deepEqual(tr, [], 'the Turkish client never had it');
    assert.deepEqual(
      ur.map((i: any) => i.event.kind),
      ['updated'],
      'the Urdu client is entitled to the new version itself',
    );
  });
});
