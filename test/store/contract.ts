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

    it('stores users with a lowercased unique e-mail, changes them, lists staff and seats apart', async () => {
      const u = await store.users.create({
        email: ' Rana@Agency.TEST ',
        name: 'رنا',
        role: 'reporter',
        language: 'ar',
        passwordHash: 'h1',
        mustChangePassword: true,
      });
      assert.equal(u.email, 'rana@agency.test');
      assert.equal(u.subscriberId, null);
      assert.equal(u.active, true);
      assert.equal(u.mustChangePassword, true);
      assert.deepEqual(await store.users.getByEmail('RANA@agency.test'), u);
      await assert.rejects(
        store.users.create({ email: 'rana@agency.test', name: 'x', role: 'editor', passwordHash: 'h', mustChangePassword: false }),
        ConflictError,
      );
      const seat = await store.users.create({
        email: 'seat@paper.test',
        name: 'Seat',
        role: 'seat',
        subscriberId: 'sub-1',
        passwordHash: 'h2',
        mustChangePassword: false,
      });
      assert.equal(seat.language, 'en');
      assert.ok((await store.users.list({ staff: true })).some((x) => x.id === u.id));
      assert.ok(!(await store.users.list({ staff: true })).some((x) => x.id === seat.id));
      assert.deepEqual(
        (await store.users.list({ subscriberId: 'sub-1' })).map((x) => x.id),
        [seat.id],
      );
      const changed = await store.users.update(u.id, { role: 'editor', active: false, name: 'Rana' });
      assert.equal(changed.role, 'editor');
      assert.equal(changed.active, false);
      assert.equal(changed.language, 'ar', 'fields not named stay');
      assert.equal(await store.users.passwordHash(u.id), 'h1');
      const reset = await store.users.setPassword(u.id, 'h3', false);
      assert.equal(reset.mustChangePassword, false);
      assert.equal(await store.users.passwordHash(u.id), 'h3');
      await assert.rejects(store.users.update('nobody', { name: 'x' }), NotFoundError);
      await assert.rejects(store.users.setPassword('nobody', 'h', false), NotFoundError);
    });

    it('keeps sessions, ends all of a user at once, prunes stale ones', async () => {
      const u = await store.users.create({ email: `s${Math.random()}@agency.test`, name: 'S', role: 'editor', passwordHash: 'h', mustChangePassword: false });
      const t0 = new Date('2026-01-01T08:00:00Z');
      await store.users.saveSession({ id: 'sa', userId: u.id, data: '{"a":1}' }, t0);
      await store.users.saveSession({ id: 'sb', userId: u.id, data: '{}' }, t0);
      await store.users.saveSession({ id: 'anon', userId: null, data: '{}' }, t0);
      await store.users.saveSession({ id: 'sa', userId: u.id, data: '{"a":2}' }, new Date('2026-01-01T09:00:00Z'));
      const sa = (await store.users.getSession('sa'))!;
      assert.equal(sa.data, '{"a":2}');
      assert.equal(sa.createdAt, t0.toISOString(), 'saving again keeps the creation time');
      assert.equal(sa.lastSeenAt, '2026-01-01T09:00:00.000Z');
      await store.users.touchSession('sb', new Date('2026-01-01T10:00:00Z'));
      assert.equal((await store.users.getSession('sb'))!.lastSeenAt, '2026-01-01T10:00:00.000Z');
      assert.equal(await store.users.deleteSessionsOf(u.id), 2);
      assert.equal(await store.users.getSession('sa'), null);
      assert.ok(await store.users.getSession('anon'));
      assert.ok((await store.users.pruneSessions(new Date('2026-01-01T08:30:00Z'), new Date('2000-01-01T00:00:00Z'))) >= 1);
      assert.equal(await store.users.getSession('anon'), null);
      await store.users.deleteSession('nothing');
    });

    it('counts failed sign-ins per key in a window and forgets them on request', async () => {
      const now = new Date();
      const key = `account:${Math.random()}`;
      await store.users.recordFailedSignIn([key, 'address:192.0.2.1'], new Date(now.getTime() - 120_000));
      await store.users.recordFailedSignIn([key], now);
      assert.equal(await store.users.countFailedSignIns(key, new Date(now.getTime() - 60_000)), 1);
      assert.equal(await store.users.countFailedSignIns(key, new Date(now.getTime() - 600_000)), 2);
      await store.users.clearFailedSignIns(key);
      assert.equal(await store.users.countFailedSignIns(key, new Date(0)), 0);
      assert.ok((await store.users.countFailedSignIns('address:192.0.2.1', new Date(0))) >= 1);
    });

    it('makes one session secret and keeps it', async () => {
      const a = await store.users.sessionSecret();
      assert.ok(a.length >= 32);
      assert.equal(await store.users.sessionSecret(), a);
    });
  });
}
