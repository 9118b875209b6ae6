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
    it('keeps usage counters for the portal and download channels beside the API ones', async () => {
      const sub = await store.subscribers.createSubscriber({ name: `usage ${Math.random()}`, products: [] });
      await store.subscribers.addUsage([
        { subscriberId: sub.id, channel: 'portal', day: '2026-11-30', count: 3 },
        { subscriberId: sub.id, channel: 'download', day: '2026-11-30', count: 1 },
        { subscriberId: sub.id, channel: 'portal', day: '2026-11-30', count: 2 },
        { subscriberId: sub.id, channel: 'feed', day: '2026-11-30', count: 7 },
      ]);
      assert.deepEqual(
        (await store.subscribers.usage(sub.id, '2026-11-30', '2026-11-30')).map((u) => [u.channel, u.count]),
        [
          ['download', 1],
          ['feed', 7],
          ['portal', 5],
        ],
      );
    });

    it('topics: a follow keeps its cursor when followed again, records each story version once, never moves back', async () => {
      const sub = await store.subscribers.createSubscriber({ name: `topics ${Math.random()}`, products: [] });
      const saved = await store.savedSearches.create({ subscriberId: sub.id, name: 'olives', query: 'olives' });
      const f = await store.topics.follow({ userId: 'u1', subscriberId: sub.id, savedSearchId: saved.id, mode: 'immediate', notify: true, cursor: 10 });
      assert.equal(f.cursor, 10);
      const again = await store.topics.follow({ userId: 'u1', subscriberId: sub.id, savedSearchId: saved.id, mode: 'daily', notify: false, cursor: 99 });
      assert.equal(again.id, f.id);
      assert.equal(again.mode, 'daily');
      assert.equal(again.notify, false);
      assert.equal(again.cursor, 10, 'following again changes how, not from where');
      assert.deepEqual(
        (await store.topics.listFollows('u1')).map((x) => x.id),
        [f.id],
      );
      assert.ok((await store.topics.followsBehind(11)).some((x) => x.id === f.id));
      assert.ok(!(await store.topics.followsBehind(10)).some((x) => x.id === f.id));

      const entry = (storyId: string, version: number, seq: number) => ({
        followId: f.id,
        storyId,
        version,
        seq,
        kind: 'published',
        headline: `<b>${storyId}</b>`,
        language: 'ar',
        urgency: 4,
        embargoUntil: null,
        at: '2026-11-30T10:00:00.000Z',
      });
      const due = '2026-11-30T11:00:00.000Z';
      await store.topics.advance(f.id, {
        cursor: 12,
        notifications: [entry('s1', 1, 11), entry('s2', 1, 12)],
        pending: [{ ...entry('s1', 1, 11), dueAt: due }],
      });
      // A re-scan of the same events (a crash before the cursor moved elsewhere) records nothing twice.
      await store.topics.advance(f.id, { cursor: 11, notifications: [entry('s1', 1, 11)], pending: [{ ...entry('s1', 1, 11), dueAt: due }] });
      assert.equal((await store.topics.getFollow(f.id))!.cursor, 12, 'the cursor never moves back');
      const notes = await store.topics.notifications('u1');
      assert.deepEqual(
        notes.map((n) => [n.storyId, n.headline, n.seen, n.savedSearchId]),
        [
          ['s2', '<b>s2</b>', false, saved.id],
          ['s1', '<b>s1</b>', false, saved.id],
        ],
      );
      assert.equal(await store.topics.markSeen('u2', [notes[0].id]), 0, "another user's notification is not touched");
      assert.equal(await store.topics.markSeen('u1', [notes[0].id]), 1);
      assert.deepEqual(
        (await store.topics.notifications('u1', { unseenOnly: true })).map((n) => n.storyId),
        ['s1'],
      );

      assert.deepEqual(await store.topics.pendingAlerts(f.id, new Date('2026-11-30T10:59:59Z')), [], 'not due yet');
      assert.ok(!(await store.topics.followsWithDueAlerts(new Date('2026-11-30T10:59:59Z'))).includes(f.id));
      assert.ok((await store.topics.followsWithDueAlerts(new Date(due))).includes(f.id));
      assert.equal(await store.topics.nextAlertDue(), due);
      await store.topics.postpone(f.id, new Date('2026-11-30T12:00:00Z'));
      assert.deepEqual(await store.topics.pendingAlerts(f.id, new Date(due)), []);
      const queued = await store.topics.pendingAlerts(f.id, new Date('2026-11-30T12:00:00Z'));
      assert.deepEqual(
        queued.map((q) => [q.storyId, q.version, q.headline]),
        [['s1', 1, '<b>s1</b>']],
      );
      await store.topics.markSent(f.id, queued, new Date('2026-11-30T12:00:01Z'));
      assert.equal(await store.topics.nextAlertDue(), null);
      // A sent version queued again (its embargo lift) stays sent.
      await store.topics.advance(f.id, { cursor: 13, notifications: [], pending: [{ ...entry('s1', 1, 13), dueAt: due }] });
      assert.equal(await store.topics.nextAlertDue(), null);
      assert.equal(await store.topics.pruneSent(new Date('2026-11-30T12:00:00Z')), 0);
      assert.equal(await store.topics.pruneSent(new Date('2026-12-31T00:00:00Z')), 1);

      assert.equal(await store.topics.unfollow(f.id), true);
      assert.equal(await store.topics.unfollow(f.id), false);
      assert.deepEqual(await store.topics.notifications('u1'), [], "a follow's notifications go with it");
      // Deleting the saved search ends its follows too.
      const g = await store.topics.follow({ userId: 'u3', subscriberId: sub.id, savedSearchId: saved.id, mode: 'hourly', notify: true, cursor: 0 });
      await store.savedSearches.delete(saved.id);
      assert.equal(await store.topics.getFollow(g.id), null);
    });
  });
}
