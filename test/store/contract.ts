// The store contract: written once, run against every Store implementation.
import assert from 'node:assert/strict';
import { describe, it, before, after } from 'node:test';
import { ConflictError, NotFoundError } from '../../src/model/errors.ts';
import type { Store } from '../../src/model/store.ts';
import { hashKey } from '../../src/flow/keys.ts';
import { sampleContent } from '../helpers.ts';

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    it('creates and reads a draft story', async () => {
      const s = await store.createStory(sampleContent());
      assert.equal(s.status, 'draft');
      assert.equal(s.revision, 1);
      assert.equal(s.latestVersion, 0);
      assert.equal(s.translationGroup, s.id);
      const again = await store.getStory(s.id);
      assert.deepEqual(again, s);
      assert.equal(await store.getStory('0000000000000000000000000z'), null);
    });

    it('updates a draft only at the expected revision', async () => {
      const s = await store.createStory(sampleContent());
      const edited = await store.updateDraft(s.id, 1, sampleContent({ headline: 'عنوان جديد' }));
      assert.equal(edited.revision, 2);
      assert.equal(edited.draft.headline, 'عنوان جديد');
      await assert.rejects(store.updateDraft(s.id, 1, sampleContent()), ConflictError);
      const after = await store.getStory(s.id);
      assert.equal(after!.draft.headline, 'عنوان جديد', 'a refused edit changes nothing');
      await assert.rejects(store.updateDraft('0000000000000000000000000z', 1, sampleContent()), NotFoundError);
    });

    it('appends versions and log events in one order', async () => {
      const s = await store.createStory(sampleContent());
      const head0 = await store.headSeq();
      const v1 = await store.appendVersion({ storyId: s.id, kind: 'published', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['draft'] });
      const v2 = await store.appendVersion({
        storyId: s.id,
        kind: 'updated',
        content: sampleContent({ urgency: 2 }),
        expectLatestVersion: 1,
        allowedStatuses: ['published'],
      });
      assert.equal(v1.version.version, 1);
      assert.equal(v2.version.version, 2);
      assert.ok(v2.event.seq > v1.event.seq);
      assert.equal(v1.event.seq, head0 + 1);
      assert.equal(await store.headSeq(), v2.event.seq);
      assert.notEqual(v1.version.revisionId, v2.version.revisionId);
      assert.equal(v2.version.firstPublishedAt, v1.version.versionCreatedAt);
      const log = await store.readLog({ after: head0, limit: 10 });
      assert.deepEqual(
        log.map((i) => [i.event.kind, i.event.version]),
        [
          ['published', 1],
          ['updated', 2],
        ],
      );
      assert.deepEqual(log[1].version, v2.version);
      assert.equal(log[1].event.urgency, 2, 'routing columns are copied from the version');
      const story = await store.getStory(s.id);
      assert.equal(story!.status, 'published');
      assert.equal(story!.latestVersion, 2);
      assert.deepEqual(
        (await store.listVersions(s.id)).map((v) => v.version),
        [1, 2],
      );
    });

    it('refuses a version based on a stale latest version or a wrong status', async () => {
      const s = await store.createStory(sampleContent());
      await store.appendVersion({ storyId: s.id, kind: 'published', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['draft'] });
      const head = await store.headSeq();
      await assert.rejects(
        store.appendVersion({ storyId: s.id, kind: 'updated', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['published'] }),
        ConflictError,
      );
      await store.appendVersion({
        storyId: s.id,
        kind: 'killed',
        content: sampleContent(),
        killReason: 'legal',
        expectLatestVersion: 1,
        allowedStatuses: ['published'],
      });
      await assert.rejects(
        store.appendVersion({ storyId: s.id, kind: 'updated', content: sampleContent(), expectLatestVersion: 2, allowedStatuses: ['draft', 'published'] }),
        ConflictError,
      );
      assert.equal(await store.headSeq(), head + 1, 'refused appends leave the log as it was');
      const killed = await store.getVersion(s.id, 2);
      assert.equal(killed!.pubStatus, 'canceled');
      assert.equal(killed!.killReason, 'legal');
    });

    it('lifts an embargo once, when it is due', async () => {
      const until = new Date(Date.now() + 60_000).toISOString();
      const s = await store.createStory(sampleContent({ embargoUntil: until }));
      await store.appendVersion({
        storyId: s.id,
        kind: 'published',
        content: sampleContent({ embargoUntil: until }),
        expectLatestVersion: 0,
        allowedStatuses: ['draft'],
      });
      assert.ok(!(await store.dueEmbargoes(new Date())).includes(s.id));
      const later = new Date(Date.now() + 120_000);
      assert.ok((await store.dueEmbargoes(later)).includes(s.id));
      const lifted = await store.liftEmbargo(s.id, later);
      assert.equal(lifted!.event.kind, 'embargo-lifted');
      assert.equal(lifted!.event.version, 1);
      assert.equal(await store.liftEmbargo(s.id, later), null);
      assert.ok(!(await store.dueEmbargoes(later)).includes(s.id));
    });

    it('imports published stories once, by their original ids', async () => {
      const items = [1, 2, 3].map((i) => ({
        content: sampleContent({ headline: `خبر ${i}`, provenance: { source: 'test', originalIds: { archive: `t-${i}` } } }),
        publishedAt: '2018-03-0' + i + 'T10:00:00.000Z',
      }));
      const events = await store.importPublished(items);
      assert.equal(events.length, 3);
      assert.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1].seq));
      const again = await store.importPublished(items);
      assert.equal(again.length, 0, 're-import skips stories already present');
      const v = await store.getVersion(events[0].storyId, 1);
      assert.equal(v!.firstPublishedAt, '2018-03-01T10:00:00.000Z');
    });

    it('stores keys as hashes, finds live ones, revokes', async () => {
      const k = await store.createKey({ id: 'key1' + Math.random(), hash: hashKey('secret-a'), prefix: 'secret-a', role: 'editor' });
      assert.equal((await store.findKeyByHash(hashKey('secret-a')))!.id, k.id);
      assert.equal(await store.findKeyByHash(hashKey('secret-b')), null);
      await store.touchKey(k.id);
      assert.ok((await store.listKeys()).find((x) => x.id === k.id)!.lastUsedAt);
      await store.revokeKey(k.id);
      assert.equal(await store.findKeyByHash(hashKey('secret-a')), null);
      await assert.rejects(store.revokeKey('nope'), NotFoundError);
    });

    it('reads the log from any position, in pages', async () => {
      const head = await store.headSeq();
      const all = await store.readLog({ after: 0, limit: 10_000 });
      assert.equal(all[all.length - 1].event.seq, head);
      const page = await store.readLog({ after: all[1].event.seq, limit: 2 });
      assert.deepEqual(
        page.map((i) => i.event.seq),
        all.slice(2, 4).map((i) => i.event.seq),
      );
      assert.ok((await store.oldestSeq()) >= 1);
    });

    it("keeps every version of a product and every set of a subscriber's products, with when each took effect", async () => {
      const t = Date.parse('2026-04-01T08:00:00Z');
      const ar = await store.subscribers.createProduct(
        { name: 'contract ar', languages: ['ar'], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0 },
        new Date(t),
      );
      const tr = await store.subscribers.createProduct(
        { name: 'contract tr', languages: ['tr'], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0 },
        new Date(t),
      );
      assert.equal(ar.updatedAt, ar.createdAt);
      const sub = await store.subscribers.createSubscriber({ name: 'contract sub', products: ['contract ar'], seatLimit: 3 }, new Date(t));
      assert.equal(sub.seatLimit, 3);
      assert.deepEqual(
        sub.entitlements.map((p) => [p.from, p.products.map((x) => x.id)]),
        [[-Infinity, [ar.id]]],
      );
      const narrowed = await store.subscribers.updateProduct(ar.id, { ...ar, categories: ['sport'] }, new Date(t + 1000));
      assert.equal(narrowed.updatedAt, new Date(t + 1000).toISOString());
      assert.equal(narrowed.name, 'contract ar');
      assert.deepEqual(
        (await store.subscribers.productHistory(ar.id)).map((v) => [v.effectiveAt, v.product.categories]),
        [
          [ar.createdAt, []],
          [narrowed.updatedAt, ['sport']],
        ],
      );
      const moved = await store.subscribers.setSubscriberProducts(sub.id, [tr.id], new Date(t + 2000));
      assert.deepEqual(
        moved.products.map((p) => p.id),
        [tr.id],
      );
      assert.deepEqual(
        (await store.subscribers.subscriptionHistory(sub.id)).map((c) => [c.effectiveAt, c.productIds]),
        [
          [sub.createdAt, [ar.id]],
          [new Date(t + 2000).toISOString(), [tr.id]],
        ],
      );
      assert.deepEqual(
        moved.entitlements.map((p) => [p.from, p.products.map((x) => `${x.id}${x.categories.join()}`)]),
        [
          [-Infinity, [ar.id]],
          [t + 1000, [`${ar.id}sport`]],
          [t + 2000, [tr.id]],
        ],
      );
      const renamed = await store.subscribers.updateSubscriber(sub.id, { name: 'renamed', seatLimit: null, rateLimit: 60 });
      assert.deepEqual([renamed.name, renamed.seatLimit, renamed.rateLimit, renamed.defaultFormat], ['renamed', null, 60, sub.defaultFormat]);
      await assert.rejects(store.subscribers.setSubscriberProducts(sub.id, ['no such product']), NotFoundError);
      assert.deepEqual(
        (await store.subscribers.getSubscriber(sub.id))!.products.map((p) => p.id),
        [tr.id],
        'a refused change changes nothing',
      );
      await assert.rejects(store.subscribers.updateProduct('0000000000000000000000000z', { ...ar }), NotFoundError);
      await assert.rejects(store.subscribers.updateSubscriber('0000000000000000000000000z', { name: 'x' }), NotFoundError);
      await assert.rejects(store.subscribers.setSubscriberProducts('0000000000000000000000000z', [ar.id]), NotFoundError);
    });

    it('records audit entries and lists them newest first, filtered, in keyset pages', async () => {
      const key = { type: 'key' as const, id: 'k1', name: 'desk key' };
      const user = { type: 'user' as const, id: 'u1', name: 'Layla' };
      const a = await store.audit.record({ actor: key, action: 'product.update', targetType: 'product', targetId: 'p1', details: { before: 1, after: 2 } });
      const b = await store.audit.record({ actor: user, action: 'story.publish', targetType: 'story', targetId: 's1', storyId: 's1', details: {} });
      const c = await store.audit.record({ actor: key, action: 'key.revoke', targetType: 'key', targetId: 'k9', details: { prefix: 'nf_sub_x' } });
      assert.ok(a.id < b.id && b.id < c.id);
      assert.deepEqual(a.actor, key);
      assert.deepEqual(a.details, { before: 1, after: 2 });
      assert.equal(a.storyId, null);
      assert.deepEqual(
        (await store.audit.list({ actorId: 'k1' })).map((e) => e.id),
        [c.id, a.id],
      );
      assert.deepEqual(
        (await store.audit.list({ storyId: 's1' })).map((e) => e.id),
        [b.id],
      );
      assert.deepEqual(
        (await store.audit.list({ targetType: 'product', targetId: 'p1' })).map((e) => e.id),
        [a.id],
      );
      const page1 = await store.audit.list({ limit: 2 });
      const page2 = await store.audit.list({ limit: 2, before: page1[1].id });
      assert.deepEqual(
        page1.map((e) => e.id),
        [c.id, b.id],
      );
      assert.equal(page2[0].id, a.id);
    });
  });
}
