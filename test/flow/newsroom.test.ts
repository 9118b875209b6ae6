// The newsroom's acts and the order of the log under concurrent publishes.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { ConflictError } from '../../src/model/errors.ts';
import { diffText, tokenize } from '../../src/flow/diff.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

let rt: Runtime;
before(async () => {
  rt = await openRuntime(tempDbFile());
});
after(async () => {
  await rt.close();
});

describe('versions and the log', () => {
  it('concurrent publishes of many stories: one total order, versions 1..n per story, no gaps', async () => {
    const stories = await Promise.all(Array.from({ length: 20 }, (_, i) => rt.newsroom.createDraft(sampleContent({ headline: `قصة ${i}` }), SYSTEM_ACTOR)));
    const head0 = await rt.store.headSeq();
    const results = await Promise.allSettled(stories.flatMap((s) => [rt.newsroom.publish(s.id, SYSTEM_ACTOR), rt.newsroom.publish(s.id, SYSTEM_ACTOR)]));
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<any>).value);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    assert.equal(ok.length, 20, 'each story is published exactly once');
    assert.ok(
      refused.every((e) => e instanceof ConflictError),
      'the duplicate publish is a conflict, not a crash',
    );
    const log = await rt.store.readLog({ after: head0, limit: 1000 });
    assert.equal(log.length, 20);
    const seqs = log.map((i) => i.event.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    assert.equal(seqs[seqs.length - 1] - seqs[0], 19, 'no gaps in the sequence');
    assert.ok(log.every((i) => i.version.version === 1 && i.event.kind === 'published'));
  });

  it('updates of one story race: each succeeds once per version number', async () => {
    const s = await rt.newsroom.createDraft(sampleContent(), SYSTEM_ACTOR);
    await rt.newsroom.publish(s.id, SYSTEM_ACTOR);
    const attempts = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => rt.newsroom.correct(s.id, `تصحيح ${i}`, { urgency: 3 }, SYSTEM_ACTOR)));
    const won = attempts.filter((a) => a.status === 'fulfilled');
    assert.ok(won.length >= 1);
    const versions = await rt.store.listVersions(s.id);
    assert.deepEqual(
      versions.map((v) => v.version),
      versions.map((_, i) => i + 1),
    );
  });

  it('embargoed stories are lifted by an event when due', async () => {
    // Far enough ahead that a slow publish (a loaded machine, PostgreSQL) never reaches it before the first check.
    const until = new Date(Date.now() + 30_000).toISOString();
    const s = await rt.newsroom.createDraft(sampleContent({ embargoUntil: until }), SYSTEM_ACTOR);
    const pub = await rt.newsroom.publish(s.id, SYSTEM_ACTOR);
    assert.equal(pub.event.embargoUntil, until);
    assert.deepEqual(await rt.newsroom.liftDueEmbargoes(new Date()), []);
    const lifted = await rt.newsroom.liftDueEmbargoes(new Date(Date.now() + 31_000));
    assert.deepEqual(
      lifted.map((i) => [i.event.kind, i.event.storyId]),
      [['embargo-lifted', s.id]],
    );
    assert.deepEqual(lifted[0].event.by, SYSTEM_ACTOR, 'a scheduled lift is newsflow itself');
  });

  it('an editor lifts an embargo early, once; a story without one has nothing to lift', async () => {
    const editor = { type: 'user' as const, id: 'u1', name: 'Aylin' };
    const s = await rt.newsroom.createDraft(sampleContent({ embargoUntil: new Date(Date.now() + 3_600_000).toISOString() }), editor);
    await rt.newsroom.publish(s.id, editor);
    const lifted = await rt.newsroom.liftEmbargo(s.id, editor);
    assert.deepEqual(lifted.event.by, editor);
    assert.equal(await rt.store.headSeq(), lifted.event.seq);
    await assert.rejects(rt.newsroom.liftEmbargo(s.id, editor), /no embargo to lift/);
    const plain = await rt.newsroom.createDraft(sampleContent(), editor);
    await assert.rejects(rt.newsroom.liftEmbargo(plain.id, editor), /only a published story's embargo can be lifted/);
  });

  it('translates a draft never published from its draft, and refuses a killed story', async () => {
    const editor = { type: 'user' as const, id: 'u1', name: 'Aylin' };
    const s = await rt.newsroom.createDraft(sampleContent({ keywords: ['مياه'], hashtags: ['مياه'] }), editor);
    const t = await rt.newsroom.translate(s.id, 'en-gb', editor);
    assert.equal(t.draft.language, 'en-GB', 'the tag is canonical');
    assert.deepEqual(t.draft.keywords, [], "keywords are the translator's, in the new language");
    assert.equal(t.status, 'draft');
    assert.deepEqual(t.createdBy, editor);
    await rt.newsroom.publish(s.id, editor);
    await rt.newsroom.kill(s.id, 'legal', editor);
    await assert.rejects(rt.newsroom.translate(s.id, 'tr', editor), /a killed story cannot be translated/);
  });

  it('translations share a group', async () => {
    const ar = await rt.newsroom.createDraft(sampleContent(), SYSTEM_ACTOR);
    const en = await rt.newsroom.createDraft(
      sampleContent({ language: 'en', headline: 'Water conference closes in Amman', translationOf: ar.id }),
      SYSTEM_ACTOR,
    );
    assert.equal(en.translationGroup, ar.translationGroup);
  });
});

describe('word-level diff', () => {
  it('keeps Arabic words with their harakat whole', () => {
    assert.deepEqual(tokenize('الأَسْرَى، في السجون'), ['الأَسْرَى', '،', ' ', 'في', ' ', 'السجون']);
    const parts = diffText('أفرجت السلطات عن ١٢ أسيراً', 'أفرجت السلطات عن ١٣ أسيراً');
    assert.deepEqual(parts, [
      { op: 'equal', text: 'أفرجت السلطات عن ' },
      { op: 'delete', text: '١٢' },
      { op: 'insert', text: '١٣' },
      { op: 'equal', text: ' أسيراً' },
    ]);
  });
});
