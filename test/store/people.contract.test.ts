// The store's people parts (users and sessions, sign-in failures, topics, the audit trail, saved searches)
// beyond test/store/contract.ts: written once, run against SQLite and PostgreSQL, which must answer alike.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { ConflictError, NotFoundError } from '../../src/model/errors.ts';
import type { Store } from '../../src/model/store.ts';
import type { AlertEntry } from '../../src/model/topics.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { tempDbFile } from '../helpers.ts';
import { freshDatabase, testCluster } from '../postgres.ts';

/** Where a store lives: `open` opens it (again, for a second node or a restart, on the same data). */
interface Backing {
  open(): Promise<Store>;
}

function peopleContract(name: string, backing: () => Promise<Backing>): void {
  /** A test on a store of its own (some answers, such as the next alert due, are store-wide). */
  const withStore = (fn: (store: Store, b: Backing) => Promise<void>) => async () => {
    const b = await backing();
    const store = await b.open();
    try {
      await fn(store, b);
    } finally {
      await store.close();
    }
  };

  describe(`people parts: ${name}`, () => {
    it(
      'users: conflict and not-found messages, lists in byte order of e-mail, update keeps unnamed fields and stamps the time',
      withStore(async (store) => {
        const t0 = new Date('2026-03-01T08:00:00.000Z');
        const mk = (email: string, over: { subscriberId?: string | null } = {}) =>
          store.users.create({ email, name: email, role: over.subscriberId ? 'seat' : 'editor', passwordHash: 'h', mustChangePassword: false, ...over }, t0);
        const b = await mk('b_desk@agency.test');
        const a = await mk('b-desk@agency.test');
        const c = await mk('a.desk@agency.test');
        const s2 = await mk('z@paper.test', { subscriberId: 'sub-p' });
        const s1 = await mk('m@paper.test', { subscriberId: 'sub-p' });
        await mk('q@other.test', { subscriberId: 'sub-o' });
        assert.equal(b.createdAt, t0.toISOString());
        assert.equal(b.updatedAt, t0.toISOString());
        // Byte order ('-' < '.' < '_'), as SQLite's BINARY collation, whatever the database's locale.
        assert.deepEqual(
          (await store.users.list({ staff: true })).map((u) => u.id),
          [c.id, a.id, b.id],
        );
        assert.deepEqual(
          (await store.users.list({ subscriberId: 'sub-p' })).map((u) => u.email),
          ['m@paper.test', 'z@paper.test'],
        );
        assert.deepEqual(
          (await store.users.list()).map((u) => u.email),
          ['a.desk@agency.test', 'b-desk@agency.test', 'b_desk@agency.test', 'm@paper.test', 'q@other.test', 'z@paper.test'],
        );
        assert.deepEqual(await store.users.list({ subscriberId: 'nobody' }), []);
        await assert.rejects(
          store.users.create({ email: '  B_DESK@Agency.test', name: 'x', role: 'admin', passwordHash: 'h', mustChangePassword: false }),
          (e: Error) => e instanceof ConflictError && e.message === 'a user with the e-mail b_desk@agency.test already exists',
        );
        await assert.rejects(store.users.update('u-none', { name: 'x' }), (e: Error) => e instanceof NotFoundError && e.message === 'no user u-none');
        await assert.rejects(store.users.setPassword('u-none', 'h', true), (e: Error) => e instanceof NotFoundError && e.message === 'no user u-none');
        assert.equal(await store.users.passwordHash('u-none'), null);
        assert.equal(await store.users.get('u-none'), null);
        assert.equal(await store.users.getByEmail('nobody@agency.test'), null);
        assert.deepEqual(await store.users.getByEmail('  M@PAPER.test '), s1);

        const t1 = new Date('2026-03-02T09:00:00.000Z');
        const changed = await store.users.update(s2.id, { language: 'tr', mustChangePassword: true }, t1);
        assert.deepEqual(changed, { ...s2, language: 'tr', mustChangePassword: true, updatedAt: t1.toISOString() });
        assert.deepEqual(await store.users.get(s2.id), changed);
        const t2 = new Date('2026-03-03T09:00:00.000Z');
        const pw = await store.users.setPassword(s2.id, 'h-new', false, t2);
        assert.deepEqual(pw, { ...changed, mustChangePassword: false, updatedAt: t2.toISOString() });
        assert.equal(await store.users.passwordHash(s2.id), 'h-new');
      }),
    );

    it(
      'sessions: a sign-in takes over an anonymous session, touching keeps it alive, pruning counts idle and too-old ones apart',
      withStore(async (store) => {
        const t0 = new Date('2026-04-01T08:00:00.000Z');
        await store.users.saveSession({ id: 'anon-1', userId: null, data: '{"csrf":"x"}' }, t0);
        await store.users.saveSession({ id: 'anon-1', userId: 'u-1', data: '{"csrf":"y"}' }, new Date('2026-04-01T08:05:00.000Z'));
        assert.deepEqual(await store.users.getSession('anon-1'), {
          id: 'anon-1',
          userId: 'u-1',
          data: '{"csrf":"y"}',
          createdAt: '2026-04-01T08:00:00.000Z',
          lastSeenAt: '2026-04-01T08:05:00.000Z',
        });
        await store.users.saveSession({ id: 'old', userId: 'u-2', data: '{}' }, new Date('2026-03-01T08:00:00.000Z'));
        await store.users.touchSession('old', new Date('2026-04-01T08:10:00.000Z'));
        await store.users.saveSession({ id: 'idle', userId: 'u-3', data: '{}' }, new Date('2026-04-01T06:00:00.000Z'));
        await store.users.touchSession('nobody', t0);
        assert.equal(await store.users.getSession('nobody'), null, 'touching an unknown session makes none');
        assert.equal(await store.users.deleteSessionsOf('u-none'), 0);
        // Not seen since before 06:00 (strictly) or created before 2026-03-15.
        assert.equal(await store.users.pruneSessions(new Date('2026-04-01T06:00:00.000Z'), new Date('2026-03-15T00:00:00.000Z')), 1, 'only the too-old one');
        assert.equal(await store.users.getSession('old'), null);
        assert.ok(await store.users.getSession('idle'), 'seen exactly at the idle limit stays');
        assert.equal(await store.users.pruneSessions(new Date('2026-04-01T07:00:00.000Z'), new Date('2026-03-15T00:00:00.000Z')), 1);
        assert.equal(await store.users.getSession('idle'), null);
        assert.ok(await store.users.getSession('anon-1'));
        await store.users.deleteSession('anon-1');
        assert.equal(await store.users.getSession('anon-1'), null);
        assert.equal(await store.users.pruneSessions(new Date('2030-01-01T00:00:00.000Z'), new Date(0)), 0);
      }),
    );

    it(
      'sign-in failures: the window includes its start, several keys at once, a new failure forgets those over a day old',
      withStore(async (store) => {
        const now = new Date('2026-05-01T12:00:00.000Z');
        const ago = (ms: number) => new Date(now.getTime() - ms);
        await store.users.recordFailedSignIn(['account:a', 'address:198.51.100.7'], ago(23.5 * 3_600_000));
        await store.users.recordFailedSignIn(['account:a', 'address:198.51.100.7'], ago(600_000));
        await store.users.recordFailedSignIn(['account:b', 'address:198.51.100.7'], ago(300_000));
        assert.equal(await store.users.countFailedSignIns('account:a', new Date(0)), 2, 'under a day old: kept');
        assert.equal(await store.users.countFailedSignIns('address:198.51.100.7', ago(600_000)), 2, 'a failure exactly at the start counts');
        assert.equal(await store.users.countFailedSignIns('address:198.51.100.7', ago(599_999)), 1);
        // A failure an hour later (with no key at all) forgets what is now over a day old.
        await store.users.recordFailedSignIn([], new Date(now.getTime() + 3_600_000));
        assert.equal(await store.users.countFailedSignIns('account:a', new Date(0)), 1, 'over a day old: forgotten');
        assert.equal(await store.users.countFailedSignIns('address:198.51.100.7', new Date(0)), 2);
        await store.users.clearFailedSignIns('account:a');
        assert.equal(await store.users.countFailedSignIns('account:a', new Date(0)), 0);
        assert.equal(await store.users.countFailedSignIns('account:b', new Date(0)), 1, 'clearing one key leaves the others');
        assert.equal(await store.users.countFailedSignIns('account:none', new Date(0)), 0);
      }),
    );

    it(
      'the session secret is one for every process on the store, even asked at the same moment',
      withStore(async (store, b) => {
        const other = await b.open();
        try {
          const [x, y, z] = await Promise.all([store.users.sessionSecret(), other.users.sessionSecret(), store.users.sessionSecret()]);
          assert.ok(x.length >= 32);
          assert.equal(y, x);
          assert.equal(z, x);
        } finally {
          await other.close();
        }
        const again = await b.open();
        try {
          assert.equal(await again.users.sessionSecret(), await store.users.sessionSecret(), 'kept across a restart');
        } finally {
          await again.close();
        }
      }),
    );

    it(
      'saved searches: byte order of names, the same name for two subscribers, conflict message, delete once',
      withStore(async (store) => {
        const t = new Date('2026-06-01T00:00:00.000Z');
        const olives = await store.savedSearches.create({ subscriberId: 'sub-a', name: 'olives', query: 'olives OR olive oil' }, t);
        await store.savedSearches.create({ subscriberId: 'sub-a', name: 'Ports', query: 'port' }, t);
        await store.savedSearches.create({ subscriberId: 'sub-a', name: 'Économie', query: 'economy' }, t);
        await store.savedSearches.create({ subscriberId: 'sub-b', name: 'olives', query: 'x' }, t);
        assert.deepEqual(olives, { id: olives.id, subscriberId: 'sub-a', name: 'olives', query: 'olives OR olive oil', createdAt: t.toISOString() });
        assert.deepEqual(await store.savedSearches.get(olives.id), olives);
        // Byte order: capitals before small letters, accented letters (two UTF-8 bytes) after both.
        assert.deepEqual(
          (await store.savedSearches.list('sub-a')).map((s) => s.name),
          ['Ports', 'olives', 'Économie'],
        );
        await assert.rejects(
          store.savedSearches.create({ subscriberId: 'sub-a', name: 'olives', query: 'y' }),
          (e: Error) => e instanceof ConflictError && e.message === 'a saved search named "olives" already exists',
        );
        assert.equal((await store.savedSearches.list('sub-a')).length, 3, 'nothing stored by the refused one');
        assert.equal(await store.savedSearches.delete(olives.id), true);
        assert.equal(await store.savedSearches.delete(olives.id), false);
        assert.equal(await store.savedSearches.get(olives.id), null);
        assert.deepEqual(await store.savedSearches.list('sub-none'), []);
      }),
    );

    it(
      'audit: filters combine with the page key, the limit is held between 1 and 500, details come back as stored',
      withStore(async (store) => {
        const editor = { type: 'user' as const, id: 'u-ed', name: 'Editor' };
        const key = { type: 'key' as const, id: 'k-2', name: 'key' };
        const at = new Date('2026-07-01T10:00:00.000Z');
        const entries = [];
        for (let i = 0; i < 6; i++)
          entries.push(
            await store.audit.record(
              {
                actor: i % 2 ? key : editor,
                action: i % 3 ? 'story.publish' : 'user.update',
                targetType: i % 3 ? 'story' : 'user',
                targetId: i % 3 ? `s${i % 2}` : 'u9',
                storyId: i % 3 ? `s${i % 2}` : null,
                details: { i, nested: { list: [1, 'two', null], ar: 'خبر' } },
              },
              at,
            ),
          );
        const ids = entries.map((e) => e.id);
        assert.equal(entries[0].at, at.toISOString());
        assert.deepEqual(entries[4].details, { i: 4, nested: { list: [1, 'two', null], ar: 'خبر' } });
        assert.deepEqual(await store.audit.list({ actorId: 'u-ed' }), [entries[4], entries[2], entries[0]]);
        assert.deepEqual(
          (await store.audit.list({ actorId: 'u-ed', before: ids[4] })).map((e) => e.id),
          [ids[2], ids[0]],
        );
        assert.deepEqual(
          (await store.audit.list({ actorId: 'k-2', storyId: 's1' })).map((e) => e.id),
          [ids[5], ids[1]],
        );
        assert.deepEqual(
          (await store.audit.list({ targetType: 'user' })).map((e) => e.id),
          [ids[3], ids[0]],
        );
        assert.deepEqual(
          (await store.audit.list({ targetId: 's0' })).map((e) => e.id),
          [ids[4], ids[2]],
        );
        assert.deepEqual(await store.audit.list({ targetType: 'webhook' }), []);
        assert.deepEqual(
          (await store.audit.list({ limit: 0 })).map((e) => e.id),
          [ids[5]],
          'a limit below 1 reads one',
        );
        assert.deepEqual(await store.audit.list({ before: ids[0] }), []);
        for (let i = 0; i < 500; i++) await store.audit.record({ actor: key, action: 'key.touch', targetType: 'key', targetId: `k${i}`, details: {} }, at);
        assert.equal((await store.audit.list({ limit: 10_000 })).length, 500, 'at most 500 a page');
      }),
    );

    it(
      'topics: pending e-mails by due time and log order, postponing only what is due earlier, sent rows pruned by age',
      withStore(async (store) => {
        const saved = await store.savedSearches.create({ subscriberId: 'sub-t', name: 'ports', query: 'port' });
        const other = await store.savedSearches.create({ subscriberId: 'sub-t', name: 'grain', query: 'grain' });
        const f = await store.topics.follow({ userId: 'u-t', subscriberId: 'sub-t', savedSearchId: saved.id, mode: 'hourly', notify: false, cursor: 0 });
        const g = await store.topics.follow({ userId: 'u-t', subscriberId: 'sub-t', savedSearchId: other.id, mode: 'daily', notify: true, cursor: 0 });
        assert.equal(await store.topics.nextAlertDue(), null);
        const entry = (followId: string, storyId: string, seq: number, over: Partial<AlertEntry> = {}): AlertEntry => ({
          followId,
          storyId,
          version: 1,
          seq,
          kind: 'published',
          headline: `H ${storyId}`,
          language: 'tr',
          urgency: 2,
          embargoUntil: null,
          at: '2026-08-01T09:00:00.000Z',
          ...over,
        });
        const h10 = '2026-08-01T10:00:00.000Z';
        const h11 = '2026-08-01T11:00:00.000Z';
        const h12 = '2026-08-01T12:00:00.000Z';
        await store.topics.advanceAll([
          {
            followId: f.id,
            progress: {
              cursor: 30,
              notifications: [],
              pending: [
                { ...entry(f.id, 'p3', 30), dueAt: h10 },
                { ...entry(f.id, 'p1', 10, { kind: 'embargo-lifted', urgency: 1, embargoUntil: '2026-08-01T09:30:00.000Z' }), dueAt: h10 },
                { ...entry(f.id, 'p2', 20), dueAt: h12 },
              ],
            },
          },
          { followId: g.id, progress: { cursor: 25, notifications: [], pending: [{ ...entry(g.id, 'g1', 25), dueAt: h11 }] } },
          // Unfollowed (or never followed) while the scan ran: nothing recorded, the rest still is.
          { followId: 'f-gone', progress: { cursor: 99, notifications: [entry('f-gone', 'x', 99)], pending: [{ ...entry('f-gone', 'x', 99), dueAt: h10 }] } },
        ]);
        assert.equal(await store.topics.getFollow('f-gone'), null);
        assert.deepEqual(
          (await store.topics.followsBehind(31)).map((x) => [x.id, x.cursor]),
          [
            [g.id, 25],
            [f.id, 30],
          ],
          'by cursor',
        );
        assert.deepEqual(await store.topics.followsBehind(25), []);
        assert.equal(await store.topics.nextAlertDue(), h10);
        assert.deepEqual(await store.topics.followsWithDueAlerts(new Date(h10)), [f.id]);
        assert.deepEqual(await store.topics.followsWithDueAlerts(new Date(h12)), [f.id, g.id].sort());
        assert.deepEqual(await store.topics.pendingAlerts(f.id, new Date(h10)), [
          {
            followId: f.id,
            storyId: 'p1',
            version: 1,
            seq: 10,
            kind: 'embargo-lifted',
            headline: 'H p1',
            language: 'tr',
            urgency: 1,
            embargoUntil: '2026-08-01T09:30:00.000Z',
            at: '2026-08-01T09:00:00.000Z',
            dueAt: h10,
          },
          { ...entry(f.id, 'p3', 30), dueAt: h10 },
        ]);
        assert.deepEqual(
          (await store.topics.pendingAlerts(f.id, new Date(h12))).map((p) => p.storyId),
          ['p1', 'p2', 'p3'],
          'in log order',
        );
        // The mail server failed at 10:00: what was due moves to 11:30; what is due later stays later.
        await store.topics.postpone(f.id, new Date('2026-08-01T11:30:00.000Z'));
        assert.deepEqual(
          (await store.topics.pendingAlerts(f.id, new Date(h12))).map((p) => [p.storyId, p.dueAt]),
          [
            ['p1', '2026-08-01T11:30:00.000Z'],
            ['p2', h12],
            ['p3', '2026-08-01T11:30:00.000Z'],
          ],
        );
        assert.equal(await store.topics.nextAlertDue(), h11, "g's row is now the earliest");
        await store.topics.markSent(
          f.id,
          [
            { storyId: 'p1', version: 1 },
            { storyId: 'p3', version: 1 },
            { storyId: 'p9', version: 1 },
          ],
          new Date(h11),
        );
        await store.topics.markSent(f.id, []);
        await store.topics.markSent(g.id, [{ storyId: 'p2', version: 1 }], new Date(h11));
        assert.deepEqual(
          (await store.topics.pendingAlerts(f.id, new Date(h12))).map((p) => p.storyId),
          ['p2'],
          "only f's own rows are marked",
        );
        await store.topics.markSent(f.id, [{ storyId: 'p2', version: 1 }], new Date(h12));
        assert.deepEqual(await store.topics.followsWithDueAlerts(new Date(h12)), [g.id]);
        assert.equal(await store.topics.pruneSent(new Date(h11)), 0, 'sent strictly before');
        assert.equal(await store.topics.pruneSent(new Date(h12)), 2);
        assert.equal(await store.topics.pruneSent(new Date('2026-09-01T00:00:00.000Z')), 1);
        // Unfollowing takes the queued e-mails with it.
        assert.equal(await store.topics.unfollow(g.id), true);
        assert.equal(await store.topics.nextAlertDue(), null);
        assert.deepEqual(await store.topics.pendingAlerts(g.id, new Date(h12)), []);
      }),
    );

    it(
      'topics: notifications newest first, limited, seen once and only by their user; follows listed oldest first',
      withStore(async (store) => {
        const searches = await Promise.all(['a', 'b', 'c'].map((n) => store.savedSearches.create({ subscriberId: 'sub-n', name: n, query: n })));
        const f1 = await store.topics.follow(
          { userId: 'u-n', subscriberId: 'sub-n', savedSearchId: searches[1].id, mode: 'immediate', notify: true, cursor: 5 },
          new Date('2026-09-01T08:00:00.000Z'),
        );
        const f0 = await store.topics.follow(
          { userId: 'u-n', subscriberId: 'sub-n', savedSearchId: searches[0].id, mode: 'daily', notify: true, cursor: 5 },
          new Date('2026-09-02T08:00:00.000Z'),
        );
        await store.topics.follow({ userId: 'u-other', subscriberId: 'sub-n', savedSearchId: searches[2].id, mode: 'daily', notify: true, cursor: 5 });
        assert.deepEqual(
          (await store.topics.listFollows('u-n')).map((x) => x.id),
          [f1.id, f0.id],
        );
        assert.deepEqual(await store.topics.listFollows('u-none'), []);
        assert.equal(await store.topics.unfollow('f-none'), false);
        const note = (followId: string, storyId: string, seq: number): AlertEntry => ({
          followId,
          storyId,
          version: 2,
          seq,
          kind: 'published',
          headline: `عنوان ${storyId}`,
          language: 'ar',
          urgency: 3,
          embargoUntil: null,
          at: `2026-09-03T08:00:${String(seq).padStart(2, '0')}.000Z`,
        });
        // Two follows in one pass; a story repeated within the pass is recorded once, in the first place.
        await store.topics.advanceAll([
          { followId: f1.id, progress: { cursor: 8, notifications: [note(f1.id, 'n1', 6), note(f1.id, 'n2', 7), note(f1.id, 'n1', 8)], pending: [] } },
          { followId: f0.id, progress: { cursor: 8, notifications: [note(f0.id, 'n3', 8)], pending: [] } },
        ]);
        await store.topics.advance(f1.id, { cursor: 9, notifications: [note(f1.id, 'n4', 9)], pending: [] });
        const all = await store.topics.notifications('u-n');
        assert.deepEqual(
          all.map((n) => [n.storyId, n.followId, n.savedSearchId]),
          [
            ['n4', f1.id, searches[1].id],
            ['n3', f0.id, searches[0].id],
            ['n2', f1.id, searches[1].id],
            ['n1', f1.id, searches[1].id],
          ],
        );
        assert.deepEqual(all[3], {
          id: all[3].id,
          userId: 'u-n',
          followId: f1.id,
          savedSearchId: searches[1].id,
          storyId: 'n1',
          version: 2,
          headline: 'عنوان n1',
          language: 'ar',
          seen: false,
          at: '2026-09-03T08:00:06.000Z',
        });
        assert.ok(all[0].id > all[1].id && all[1].id > all[2].id && all[2].id > all[3].id);
        assert.deepEqual(
          (await store.topics.notifications('u-n', { limit: 2 })).map((n) => n.storyId),
          ['n4', 'n3'],
        );
        assert.deepEqual(
          (await store.topics.notifications('u-n', { limit: 0 })).map((n) => n.storyId),
          ['n4'],
          'a limit below 1 reads one',
        );
        assert.equal(await store.topics.markSeen('u-other', [all[0].id, all[1].id]), 0);
        assert.equal(await store.topics.markSeen('u-n', [all[0].id, all[0].id, all[2].id, 999_999]), 2, 'a repeated id counts once');
        assert.equal(await store.topics.markSeen('u-n', [all[0].id]), 0, 'already seen');
        assert.equal(await store.topics.markSeen('u-n', []), 0);
        assert.deepEqual(
          (await store.topics.notifications('u-n', { unseenOnly: true })).map((n) => n.storyId),
          ['n3', 'n1'],
        );
        assert.deepEqual(
          (await store.topics.notifications('u-n', { unseenOnly: true, limit: 1 })).map((n) => n.storyId),
          ['n3'],
        );
        assert.deepEqual(
          (await store.topics.notifications('u-n')).map((n) => n.seen),
          [true, false, true, false],
        );
        assert.deepEqual(await store.topics.notifications('u-none'), []);
      }),
    );

    it(
      'topics: two nodes recording passes over the same follows at once, in opposite orders, and an unfollow among them',
      withStore(async (store, b) => {
        const node2 = await b.open();
        try {
          const searches = await Promise.all(['x', 'y', 'z'].map((n) => store.savedSearches.create({ subscriberId: 'sub-c', name: n, query: n })));
          const [fx, fy, fz] = await Promise.all(
            searches.map((s) => store.topics.follow({ userId: 'u-c', subscriberId: 'sub-c', savedSearchId: s.id, mode: 'immediate', notify: true, cursor: 0 })),
          );
          const pass = (ids: string[], seq: number) =>
            ids.map((followId) => ({
              followId,
              progress: {
                cursor: seq,
                notifications: [
                  {
                    followId,
                    storyId: `c${seq % 5}`,
                    version: 1,
                    seq,
                    kind: 'published',
                    headline: 'h',
                    language: 'en',
                    urgency: 3,
                    embargoUntil: null,
                    at: '2026-10-01T00:00:00.000Z',
                  },
                ],
                pending: [],
              },
            }));
          const runs: Promise<unknown>[] = [];
          for (let seq = 1; seq <= 20; seq++) {
            runs.push(store.topics.advanceAll(pass([fx.id, fy.id, fz.id], seq)));
            runs.push(node2.topics.advanceAll(pass([fz.id, fy.id, fx.id], seq)));
            if (seq === 10) runs.push(node2.topics.unfollow(fz.id));
          }
          const outcomes = await Promise.allSettled(runs);
          assert.deepEqual(
            outcomes.filter((o) => o.status === 'rejected'),
            [],
            'no pass fails (no deadlock, no row of a deleted follow)',
          );
          assert.equal(await store.topics.getFollow(fz.id), null);
          for (const f of [fx, fy]) assert.equal((await store.topics.getFollow(f.id))!.cursor, 20, 'the highest pass wins, whatever order they ran in');
          const notes = await store.topics.notifications('u-c', { limit: 500 });
          assert.deepEqual(
            notes.map((n) => `${n.followId === fx.id ? 'x' : n.followId === fy.id ? 'y' : '?'}:${n.storyId}`).sort(),
            ['x:c0', 'x:c1', 'x:c2', 'x:c3', 'x:c4', 'y:c0', 'y:c1', 'y:c2', 'y:c3', 'y:c4'],
            'each story once per follow',
          );
        } finally {
          await node2.close();
        }
      }),
    );
  });
}

peopleContract('sqlite', async () => {
  const file = tempDbFile();
  return { open: async () => new SqliteStore(file) };
});

peopleContract('postgres', async () => {
  const url = await freshDatabase();
  return { open: () => PostgresStore.open(url) };
});

/**
 * An empty database whose default collation is ICU English (as an agency's server set up in its own
 * locale would be), not the test cluster's C: orders by e-mail, name and time must still be SQLite's.
 */
async function englishCollatedDatabase(): Promise<string> {
  const cluster = testCluster();
  const name = `nf_icu_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en'`);
  } finally {
    await admin.end();
  }
  after(async () => {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const u = new URL(cluster.url);
  u.pathname = `/${name}`;
  return u.toString();
}

peopleContract('postgres with an English collation', async () => {
  const url = await englishCollatedDatabase();
  return { open: () => PostgresStore.open(url) };
});
