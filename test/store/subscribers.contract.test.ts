// The SubscriberStore contract, written once and run against SQLite and PostgreSQL: products and their
// history, subscribers and their entitlements over time, a story's history for the entitlement rule,
// webhooks (outbox, attempts, pause, the delivery claim) and usage. Then what only PostgreSQL promises:
// two nodes (two pools on one database) never deliver one subscription at once, and a node that dies
// hands its subscriptions over at once (issue 15 point 4).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import { ConflictError, NotFoundError } from '../../src/model/errors.ts';
import type { Store } from '../../src/model/store.ts';
import type { ProductFilters } from '../../src/model/subscribers.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { WEBHOOK_LOCK_CLASS } from '../../src/store/postgres/subscribers.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { tempDbFile } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';

const unique = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 10)}`;
const FILTERS: ProductFilters = { languages: [], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0 };

/** Runs raw SQL (with `?` placeholders) on the store's own database: rows of the log for the parts under test. */
async function exec(store: Store, sql: string, args: unknown[]): Promise<void> {
  if (store instanceof SqliteStore) {
    store.db.prepare(sql).run(...args);
    return;
  }
  let n = 0;
  await (store as PostgresStore).pool.query(
    sql.replace(/\?/g, () => `$${++n}`),
    args,
  );
}

function subscriberContract(name: string, open: () => Promise<Store>): void {
  describe(`subscriber store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    it('creates products once per name, finds them by id or name, lists them by name in byte order', async () => {
      const t = Date.parse('2026-03-01T10:00:00.000Z');
      const zeta = await store.subscribers.createProduct({ name: 'Zeta wire', ...FILTERS, languages: ['ar'], maxUrgency: 3 }, new Date(t));
      const alpha = await store.subscribers.createProduct({ name: 'alpha wire', ...FILTERS, embargoRights: true, delaySeconds: 60 }, new Date(t));
      assert.equal(zeta.createdAt, '2026-03-01T10:00:00.000Z');
      assert.equal(zeta.updatedAt, zeta.createdAt);
      assert.deepEqual(await store.subscribers.getProduct('Zeta wire'), zeta);
      assert.deepEqual(await store.subscribers.getProduct(alpha.id), alpha);
      assert.equal(await store.subscribers.getProduct('no such product'), null);
      await assert.rejects(store.subscribers.createProduct({ name: 'Zeta wire', ...FILTERS }), {
        name: ConflictError.name,
        message: 'a product named "Zeta wire" already exists',
      });
      const names = (await store.subscribers.listProducts()).map((p) => p.name);
      assert.ok(names.indexOf('Zeta wire') < names.indexOf('alpha wire'), 'upper case sorts first, as bytes do');
      assert.deepEqual(
        (await store.subscribers.listProducts()).find((p) => p.id === alpha.id),
        alpha,
      );
      await assert.rejects(store.subscribers.productHistory('0000000000000000000000000z'), { message: 'no product 0000000000000000000000000z' });
    });

    it('keeps a subscriber with its products, limits and timeline; refuses unknown products by name', async () => {
      const t = Date.parse('2026-04-01T08:00:00.000Z');
      const a = await store.subscribers.createProduct({ name: unique('a'), ...FILTERS, categories: ['sport'] }, new Date(t));
      const b = await store.subscribers.createProduct({ name: unique('b'), ...FILTERS }, new Date(t));
      await assert.rejects(store.subscribers.createSubscriber({ name: 'x', products: [a.name, 'missing one'] }), {
        name: NotFoundError.name,
        message: 'no product "missing one"; create it first (newsflow product add missing one …)',
      });
      const sub = await store.subscribers.createSubscriber(
        { name: unique('sub'), products: [b.name, a.id, a.name], rateLimit: 30, seatLimit: 2 },
        new Date(t + 10),
      );
      assert.equal(sub.defaultFormat, 'ninjs');
      assert.equal(sub.rateLimit, 30);
      assert.equal(sub.seatLimit, 2);
      assert.deepEqual(
        sub.products.map((p) => p.id),
        [a, b].sort((x, y) => (x.name < y.name ? -1 : 1)).map((p) => p.id),
      );
      assert.deepEqual(await store.subscribers.subscriptionHistory(sub.id), [{ effectiveAt: '2026-04-01T08:00:00.010Z', productIds: [b.id, a.id] }]);
      assert.deepEqual(await store.subscribers.getSubscriber(sub.id), sub);
      assert.equal(await store.subscribers.getSubscriber('0000000000000000000000000z'), null);

      // A change of products in the same millisecond as the last still comes after it.
      const moved = await store.subscribers.setSubscriberProducts(sub.id, [a.name], new Date(t + 10));
      assert.deepEqual(
        (await store.subscribers.subscriptionHistory(sub.id)).map((c) => c.effectiveAt),
        ['2026-04-01T08:00:00.010Z', '2026-04-01T08:00:00.011Z'],
      );
      const edited = await store.subscribers.updateProduct(a.id, { ...FILTERS, categories: ['politics'] }, new Date(t + 5000));
      assert.equal(edited.name, a.name);
      const now = (await store.subscribers.getSubscriber(sub.id))!;
      assert.deepEqual(
        now.entitlements.map((p) => [p.from, p.products.map((x) => `${x.id}:${x.categories.join()}`)]),
        [
          [Number.NEGATIVE_INFINITY, [`${b.id}:`, `${a.id}:sport`]],
          [t + 11, [`${a.id}:sport`]],
          [t + 5000, [`${a.id}:politics`]],
        ],
      );
      assert.deepEqual(
        moved.products.map((p) => p.id),
        [a.id],
      );

      const changed = await store.subscribers.updateSubscriber(sub.id, { defaultFormat: 'nitf', rateLimit: null });
      assert.equal(changed.defaultFormat, 'nitf');
      assert.equal(changed.rateLimit, null);
      assert.equal(changed.seatLimit, 2, 'what was not named stays');
      assert.equal(changed.name, sub.name);
      await assert.rejects(store.subscribers.updateSubscriber('0000000000000000000000000z', {}), { message: 'no subscriber 0000000000000000000000000z' });
      await assert.rejects(store.subscribers.subscriptionHistory('0000000000000000000000000z'), NotFoundError);

      const listed = await store.subscribers.listSubscribers();
      assert.deepEqual(
        listed.find((s) => s.id === sub.id),
        await store.subscribers.getSubscriber(sub.id),
      );
      const order = listed.map((s) => `${s.createdAt}|${s.id}`);
      assert.deepEqual(order, [...order].sort(), 'oldest first');
    });

    it("reads a story's history before a position, rebuilt from its versions once retention pruned it", async () => {
      const story = `story-${Math.random().toString(36).slice(2, 10)}`;
      const other = `${story}-other`;
      const at = (s: number) => new Date(Date.parse('2026-05-01T00:00:00.000Z') + s * 1000).toISOString();
      const content = JSON.stringify({ language: 'tr', categories: ['economy'], urgency: 3, mediaType: 'text', headline: 'h' });
      await exec(
        store,
        `INSERT INTO stories (id, status, revision, latest_version, translation_group, language, headline, created_at, updated_at) VALUES (?, 'published', 1, 3, ?, 'tr', 'h', ?, ?)`,
        [story, story, at(0), at(0)],
      );
      for (const v of [1, 2, 3]) {
        await exec(
          store,
          `INSERT INTO versions (story_id, version, revision_id, kind, pub_status, content, translation_group, first_published_at, version_created_at, embargo_until, embargo_lifted_at)
           VALUES (?, ?, ?, ?, 'usable', ?, ?, ?, ?, NULL, NULL)`,
          [story, v, `${story}-r${v}`, v === 1 ? 'published' : 'updated', content, story, at(1), at(v)],
        );
      }
      const head = await store.subscribers.positionBefore('9999-01-01T00:00:00.000Z');
      const ev = (seq: number, kind: string, storyId: string, version: number, s: number) =>
        exec(
          store,
          `INSERT INTO events (seq, kind, story_id, version, at, language, categories, urgency, media_type, embargo_until, actor) VALUES (?, ?, ?, ?, ?, 'tr', '["economy"]', 3, 'text', NULL, ?)`,
          [seq, kind, storyId, version, at(s), JSON.stringify({ type: 'user', id: 'u1', name: 'Ayşe' })],
        );
      await ev(head + 1, 'published', story, 1, 1);
      await ev(head + 2, 'updated', story, 2, 2);
      await ev(head + 3, 'published', other, 1, 2.5);
      await ev(head + 4, 'updated', story, 3, 3);

      const logged = await store.subscribers.storyEventsBefore(story, head + 4);
      assert.deepEqual(logged, [
        {
          seq: head + 1,
          kind: 'published',
          storyId: story,
          version: 1,
          at: at(1),
          language: 'tr',
          categories: ['economy'],
          urgency: 3,
          mediaType: 'text',
          embargoUntil: null,
          by: { type: 'user', id: 'u1', name: 'Ayşe' },
        },
        { ...logged[0], seq: head + 2, kind: 'updated', version: 2, at: at(2) },
      ]);
      assert.equal(await store.subscribers.positionBefore(at(2.5)), head + 2);
      assert.equal(await store.subscribers.positionBefore('9999-01-01T00:00:00.000Z'), head + 4, 'the head when nothing is that late');

      assert.equal(await store.subscribers.pruneLog(new Date(at(2.2))), head + 2, 'everything before, of every story, goes');
      const rebuilt = await store.subscribers.storyEventsBefore(story, head + 4);
      assert.deepEqual(
        rebuilt.map((e) => [e.seq, e.kind, e.version, e.at, e.language, e.categories, e.urgency, e.by]),
        [
          [0, 'published', 1, at(1), 'tr', ['economy'], 3, SYSTEM_ACTOR],
          [0, 'updated', 2, at(2), 'tr', ['economy'], 3, SYSTEM_ACTOR],
        ],
      );
      assert.equal(await store.subscribers.positionBefore('0000-01-01T00:00:00.000Z'), head + 2, 'just before the oldest event left');
      assert.equal(await store.subscribers.pruneLog(new Date('9999-01-01T00:00:00.000Z')), 1, 'the newest event always stays');
      assert.equal(await store.subscribers.positionBefore('0000-01-01T00:00:00.000Z'), head + 3);
    });

    it('tells which keys are revoked or gone', async () => {
      const id = (n: string) => `key-${n}-${Math.random().toString(36).slice(2, 8)}`;
      const [live, revoked, gone] = [id('live'), id('revoked'), id('gone')];
      for (const [k, r] of [
        [live, null],
        [revoked, '2026-01-01T00:00:00.000Z'],
      ]) {
        await exec(
          store,
          `INSERT INTO api_keys (id, hash, prefix, role, created_at, revoked_at) VALUES (?, ?, 'nf_', 'subscriber', '2026-01-01T00:00:00.000Z', ?)`,
          [k, `hash-${k}`, r],
        );
      }
      assert.deepEqual(await store.subscribers.revokedKeys([live, revoked, gone]), [revoked, gone]);
      assert.deepEqual(await store.subscribers.revokedKeys([]), []);
    });

    it('keeps webhooks as outboxes: create, list without secrets, skip, attempts, reset, pause, resume, delete', async () => {
      const sub = await store.subscribers.createSubscriber({ name: unique('hooks'), products: [] });
      const t = new Date('2026-06-01T12:00:00.000Z');
      await assert.rejects(store.subscribers.createWebhook({ subscriberId: 'nobody', url: 'https://x.test/h', secret: 's', events: null, cursor: 0 }), {
        name: NotFoundError.name,
        message: 'no subscriber nobody',
      });
      const w = await store.subscribers.createWebhook(
        { subscriberId: sub.id, url: 'https://example.test/in', secret: 'whsec_one', events: ['published', 'updated'], cursor: 7 },
        t,
      );
      assert.deepEqual(w, {
        id: w.id,
        subscriberId: sub.id,
        url: 'https://example.test/in',
        events: ['published', 'updated'],
        alertId: null,
        cursor: 7,
        status: 'active',
        attempt: 0,
        nextAttemptAt: t.toISOString(),
        failingSince: null,
        lastError: null,
        createdAt: t.toISOString(),
        pausedAt: null,
      });
      const w2 = await store.subscribers.createWebhook(
        { subscriberId: sub.id, url: 'https://example.test/two', secret: 'whsec_two', events: null, cursor: 0, alertId: 'alert-1' },
        new Date(t.getTime() + 1),
      );
      assert.equal(w2.alertId, 'alert-1');
      assert.deepEqual(await store.subscribers.getWebhook(w.id), w);
      assert.deepEqual(
        (await store.subscribers.listWebhooks(sub.id)).map((x) => x.id),
        [w.id, w2.id],
      );
      assert.ok((await store.subscribers.listWebhooks()).some((x) => x.id === w2.id));
      assert.ok(!('secret' in (await store.subscribers.listWebhooks(sub.id))[0]));
      assert.equal(await store.subscribers.webhookSecret(w.id), 'whsec_one');

      const due = await store.subscribers.dueWebhooks(new Date(t.getTime() + 1));
      assert.deepEqual(
        due.filter((d) => d.subscriberId === sub.id).map((d) => [d.id, d.secret]),
        [
          [w.id, 'whsec_one'],
          [w2.id, 'whsec_two'],
        ],
      );
      assert.ok(!(await store.subscribers.dueWebhooks(new Date(t.getTime() - 1))).some((d) => d.id === w.id), 'not due before its time');

      await store.subscribers.skipWebhook(w.id, 12);
      await store.subscribers.skipWebhook(w.id, 9, '2026-06-01T12:05:00.000Z');
      let now = (await store.subscribers.getWebhook(w.id))!;
      assert.equal(now.cursor, 12, 'a skip never moves the cursor back');
      assert.equal(now.nextAttemptAt, '2026-06-01T12:05:00.000Z');

      const attempt = (n: number, ok: boolean) => ({
        webhookId: w.id,
        seq: 13,
        messageId: `msg_${w.id}_13`,
        attempt: n,
        at: new Date(t.getTime() + n * 1000).toISOString(),
        statusCode: ok ? 200 : 503,
        latencyMs: 20 + n,
        ok,
        error: ok ? null : 'HTTP 503',
      });
      await store.subscribers.recordAttempt(w.id, {
        attempt: attempt(1, false),
        state: {
          cursor: 12,
          status: 'active',
          attempt: 1,
          nextAttemptAt: '2026-06-01T12:06:00.000Z',
          failingSince: attempt(1, false).at,
          lastError: 'HTTP 503',
        },
      });
      now = (await store.subscribers.getWebhook(w.id))!;
      assert.deepEqual([now.attempt, now.failingSince, now.lastError, now.nextAttemptAt], [1, attempt(1, false).at, 'HTTP 503', '2026-06-01T12:06:00.000Z']);
      await store.subscribers.addAttempt({ ...attempt(2, true), messageId: 'msg_test' });
      assert.deepEqual(await store.subscribers.getWebhook(w.id), now, 'a test attempt changes no state');
      await store.subscribers.recordAttempt(w.id, {
        attempt: attempt(3, true),
        state: { cursor: 13, status: 'active', attempt: 0, nextAttemptAt: attempt(3, true).at, failingSince: null, lastError: null },
      });
      const attempts = await store.subscribers.listAttempts(w.id);
      assert.deepEqual(
        attempts.map(({ id: _id, ...a }) => a),
        [attempt(3, true), { ...attempt(2, true), messageId: 'msg_test' }, attempt(1, false)],
      );
      assert.ok(attempts[0].id > attempts[1].id && attempts[1].id > attempts[2].id, 'newest first');
      assert.deepEqual(
        (await store.subscribers.listAttempts(w.id, 1)).map((a) => a.attempt),
        [3],
      );
      assert.equal((await store.subscribers.getWebhook(w.id))!.cursor, 13);

      const failed = await store.subscribers.recordAttempt(w.id, {
        attempt: attempt(4, false),
        state: { cursor: 13, status: 'failed', attempt: 9, nextAttemptAt: attempt(4, false).at, failingSince: attempt(1, false).at, lastError: 'gave up' },
      });
      assert.equal(failed, undefined);
      assert.ok(!(await store.subscribers.dueWebhooks(new Date('2027-01-01T00:00:00.000Z'))).some((d) => d.id === w.id), 'a failed one is not due');
      const reset = await store.subscribers.resetWebhook(w.id, 5, new Date('2026-06-02T00:00:00.000Z'));
      assert.deepEqual(
        [reset.status, reset.attempt, reset.failingSince, reset.lastError, reset.cursor, reset.nextAttemptAt],
        ['active', 0, null, null, 5, '2026-06-02T00:00:00.000Z'],
      );
      assert.equal((await store.subscribers.resetWebhook(w.id)).cursor, 5, 'without a cursor it stays');

      const paused = await store.subscribers.setWebhookPaused(w.id, true, new Date('2026-06-03T00:00:00.000Z'));
      assert.equal(paused.pausedAt, '2026-06-03T00:00:00.000Z');
      assert.equal(
        (await store.subscribers.setWebhookPaused(w.id, true, new Date('2026-06-04T00:00:00.000Z'))).pausedAt,
        '2026-06-03T00:00:00.000Z',
        'paused since the first pause',
      );
      assert.ok(!(await store.subscribers.dueWebhooks(new Date('2027-01-01T00:00:00.000Z'))).some((d) => d.id === w.id), 'a paused one is not due');
      assert.equal(await store.subscribers.claimWebhook(w.id, 'worker-a', new Date('2027-01-01T00:01:00.000Z'), new Date('2027-01-01T00:00:00.000Z')), null);
      const resumed = await store.subscribers.setWebhookPaused(w.id, false, new Date('2026-06-05T00:00:00.000Z'));
      assert.deepEqual([resumed.pausedAt, resumed.nextAttemptAt, resumed.cursor], [null, '2026-06-05T00:00:00.000Z', 5]);

      await store.subscribers.deleteWebhook(w2.id);
      assert.equal(await store.subscribers.getWebhook(w2.id), null);
      assert.equal(await store.subscribers.webhookSecret(w2.id), null);
      assert.deepEqual(
        (await store.subscribers.listWebhooks(sub.id)).map((x) => x.id),
        [w.id],
      );
      await assert.rejects(store.subscribers.deleteWebhook(w2.id), { name: NotFoundError.name, message: `no webhook ${w2.id}` });
      await assert.rejects(store.subscribers.resetWebhook(w2.id), { message: `no webhook ${w2.id}` });
      await assert.rejects(store.subscribers.setWebhookPaused(w2.id, true), { message: `no webhook ${w2.id}` });
      await store.subscribers.recordAttempt(w2.id, {
        attempt: { ...attempt(5, true), webhookId: w2.id },
        state: { cursor: 1, status: 'active', attempt: 0, nextAttemptAt: t.toISOString(), failingSince: null, lastError: null },
      });
      assert.equal(await store.subscribers.getWebhook(w2.id), null, 'an attempt in flight does not bring a deleted one back');
    });

    it('lets one worker at a time deliver a subscription: claim, renew, release', async () => {
      const sub = await store.subscribers.createSubscriber({ name: unique('claims'), products: [] });
      const t = new Date('2026-07-01T00:00:00.000Z');
      const w = await store.subscribers.createWebhook({ subscriberId: sub.id, url: 'https://example.test/c', secret: 'whsec_c', events: null, cursor: 3 }, t);
      const later = new Date(t.getTime() + 60_000);
      const until = new Date(Date.now() + 60_000);
      assert.equal(await store.subscribers.claimWebhook(w.id, 'a', until, new Date(t.getTime() - 1)), null, 'not due yet');
      const claimed = await store.subscribers.claimWebhook(w.id, 'a', until, later);
      assert.deepEqual([claimed?.id, claimed?.cursor, claimed?.secret], [w.id, 3, 'whsec_c']);
      assert.equal(await store.subscribers.claimWebhook(w.id, 'b', until, later), null, 'held by a');
      assert.ok(await store.subscribers.claimWebhook(w.id, 'a', until, later), 'the holder may claim again');
      assert.ok((await store.subscribers.dueWebhooks(later, 'a')).some((d) => d.id === w.id));
      assert.ok(!(await store.subscribers.dueWebhooks(later, 'b')).some((d) => d.id === w.id), 'left out for another worker');
      assert.ok(
        (await store.subscribers.dueWebhooks(later)).some((d) => d.id === w.id),
        'without an owner, every due one',
      );
      assert.equal(await store.subscribers.renewWebhook(w.id, 'a', until), true);
      assert.equal(await store.subscribers.renewWebhook(w.id, 'b', until), false);
      // Paused under its worker: the worker stops before its next message, and goes on once resumed.
      await store.subscribers.setWebhookPaused(w.id, true, t);
      assert.equal(await store.subscribers.renewWebhook(w.id, 'a', until), false, 'paused under its worker');
      await store.subscribers.setWebhookPaused(w.id, false, t);
      assert.equal(await store.subscribers.renewWebhook(w.id, 'a', until), true, 'resumed');
      await store.subscribers.releaseWebhook(w.id, 'b');
      assert.equal(await store.subscribers.claimWebhook(w.id, 'b', until, later), null, 'only the holder releases');
      await store.subscribers.releaseWebhook(w.id, 'a');
      assert.equal(await store.subscribers.renewWebhook(w.id, 'a', until), false, 'released');
      assert.ok(await store.subscribers.claimWebhook(w.id, 'b', until, later), 'free again');
      await store.subscribers.deleteWebhook(w.id);
      assert.equal(await store.subscribers.renewWebhook(w.id, 'b', until), false, 'deleted under its worker');
      await store.subscribers.releaseWebhook(w.id, 'b');
    });

    it('lets many workers claim, renew and release at once, each answer its own, with no driver warning', async () => {
      const sub = await store.subscribers.createSubscriber({ name: unique('many workers'), products: [] });
      const t = new Date('2026-07-02T00:00:00.000Z');
      const hooks = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.subscribers.createWebhook({ subscriberId: sub.id, url: `https://example.test/m${i}`, secret: 'whsec_m', events: null, cursor: 0 }, t),
        ),
      );
      const later = new Date(t.getTime() + 60_000);
      const until = new Date(Date.now() + 60_000);
      // pg warns (and pg 9 refuses) when one client is given a query while another runs on it.
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
      process.on('warning', onWarning);
      try {
        const claimed = await Promise.all(hooks.map((h, i) => store.subscribers.claimWebhook(h.id, `w${i}`, until, later)));
        assert.deepEqual(
          claimed.map((c) => c?.id),
          hooks.map((h) => h.id),
        );
        assert.deepEqual(
          await Promise.all(hooks.map((h, i) => store.subscribers.renewWebhook(h.id, `w${i}`, until))),
          hooks.map(() => true),
        );
        assert.deepEqual(
          await Promise.all(hooks.map((h, i) => store.subscribers.renewWebhook(h.id, `w${i + 1}`, until))),
          hooks.map(() => false),
        );
        await Promise.all(hooks.map((h, i) => store.subscribers.releaseWebhook(h.id, `w${i}`)));
        assert.deepEqual(
          await Promise.all(hooks.map((h, i) => store.subscribers.renewWebhook(h.id, `w${i}`, until))),
          hooks.map(() => false),
        );
        await new Promise((r) => setImmediate(r));
      } finally {
        process.off('warning', onWarning);
      }
      assert.deepEqual(warnings, []);
    });

    it('adds usage in batches and reads it by day range, oldest day first', async () => {
      const sub = await store.subscribers.createSubscriber({ name: unique('usage'), products: [] });
      await store.subscribers.addUsage([]);
      await store.subscribers.addUsage([
        { subscriberId: sub.id, channel: 'stream', day: '2026-08-02', count: 4 },
        { subscriberId: sub.id, channel: 'feed', day: '2026-08-02', count: 1 },
        { subscriberId: sub.id, channel: 'feed', day: '2026-08-02', count: 2 },
        { subscriberId: sub.id, channel: 'webhook', day: '2026-08-01', count: 5 },
      ]);
      await store.subscribers.addUsage([{ subscriberId: sub.id, channel: 'feed', day: '2026-08-02', count: 10 }]);
      const today = new Date().toISOString().slice(0, 10);
      await store.subscribers.addUsage([{ subscriberId: sub.id, channel: 'ws', day: today, count: 1 }]);
      assert.deepEqual(
        (await store.subscribers.usage(sub.id)).map((u) => [u.day, u.channel, u.count]),
        [
          ['2026-08-01', 'webhook', 5],
          ['2026-08-02', 'feed', 13],
          ['2026-08-02', 'stream', 4],
          [today, 'ws', 1],
        ],
      );
      assert.deepEqual(
        (await store.subscribers.usage(sub.id, '2026-08-02', '2026-08-02')).map((u) => [u.subscriberId, u.channel, u.count]),
        [
          [sub.id, 'feed', 13],
          [sub.id, 'stream', 4],
        ],
      );
      assert.deepEqual(await store.subscribers.usage('nobody'), []);
    });
  });
}

subscriberContract('sqlite', async () => new SqliteStore(tempDbFile()));
const contractDatabase = await freshDatabase();
subscriberContract('postgres', async () => PostgresStore.open(contractDatabase));

describe('webhook claims on several PostgreSQL nodes', () => {
  /** Who holds the webhook's advisory lock, by backend pid (none: null), as PostgreSQL itself sees it. */
  async function lockHolder(url: string, webhookId: string): Promise<number | null> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = await c.query<{ pid: number }>(
        `SELECT l.pid FROM pg_locks l JOIN webhooks w ON l.objid = w.lock_key::oid
          WHERE w.id = $1 AND l.locktype = 'advisory' AND l.classid = $2::oid AND l.objsubid = 2 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [webhookId, WEBHOOK_LOCK_CLASS],
      );
      return r.rows[0]?.pid ?? null;
    } finally {
      await c.end();
    }
  }

  async function twoNodes() {
    const url = await freshDatabase();
    const a = await PostgresStore.open(url);
    const b = await PostgresStore.open(url);
    const sub = await a.subscribers.createSubscriber({ name: 'two nodes', products: [] });
    const hooks = [];
    for (let i = 0; i < 8; i++) {
      hooks.push(await a.subscribers.createWebhook({ subscriberId: sub.id, url: `https://example.test/${i}`, secret: `whsec_${i}`, events: null, cursor: 0 }));
    }
    return { url, a, b, hooks };
  }

  it('never lets two nodes hold one subscription, however they race for it', async () => {
    const { url, a, b, hooks } = await twoNodes();
    const until = () => new Date(Date.now() + 60_000);
    for (let round = 0; round < 5; round++) {
      const claims = await Promise.all(
        hooks.flatMap((h) => [a.subscribers.claimWebhook(h.id, 'node-a', until()), b.subscribers.claimWebhook(h.id, 'node-b', until())]),
      );
      for (let i = 0; i < hooks.length; i++) {
        const [byA, byB] = [claims[2 * i], claims[2 * i + 1]];
        assert.ok(!(byA && byB), `round ${round}: both nodes claimed webhook ${i}`);
        const holder = byA ? a : byB ? b : null;
        const owner = byA ? 'node-a' : 'node-b';
        if (!holder) continue;
        // The other node sees it held: neither due for it nor claimable, and it cannot renew it.
        const other = holder === a ? b : a;
        const otherOwner = holder === a ? 'node-b' : 'node-a';
        assert.equal(await other.subscribers.claimWebhook(hooks[i].id, otherOwner, until()), null);
        assert.equal(await other.subscribers.renewWebhook(hooks[i].id, otherOwner, until()), false);
        assert.ok(!(await other.subscribers.dueWebhooks(new Date(), otherOwner)).some((d) => d.id === hooks[i].id));
        assert.equal(await holder.subscribers.renewWebhook(hooks[i].id, owner, until()), true);
        assert.notEqual(await lockHolder(url, hooks[i].id), null);
        await holder.subscribers.releaseWebhook(hooks[i].id, owner);
        assert.equal(await lockHolder(url, hooks[i].id), null, 'released: no lock left');
      }
      assert.ok(
        claims.some((c) => c),
        'someone claimed',
      );
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('hands a subscription over at once when its node closes, or its connection dies', async () => {
    const { url, a, b, hooks } = await twoNodes();
    const until = () => new Date(Date.now() + 60_000);
    const [h1, h2] = hooks;
    assert.ok(await a.subscribers.claimWebhook(h1.id, 'node-a', until()));
    assert.equal(await b.subscribers.claimWebhook(h1.id, 'node-b', until()), null);

    // A node whose connection to the database dies (killed, or the network cut): PostgreSQL ends its session
    // and frees its locks; the other node claims on its next try, and the dead one's renewal says it lost it.
    const pid = await lockHolder(url, h1.id);
    assert.ok(pid);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    let taken = null;
    for (const started = Date.now(); !taken && Date.now() - started < 2000; ) {
      taken = await b.subscribers.claimWebhook(h1.id, 'node-b', until());
      if (!taken) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(taken, 'node b claims within two seconds of node a losing its connection');
    assert.equal(await a.subscribers.renewWebhook(h1.id, 'node-a', until()), false, 'node a knows it lost it');
    // A delivery node a finished late is not recorded: the cursor stays where node b has it.
    const cursorBefore = (await b.subscribers.getWebhook(h1.id))!.cursor;
    const late = {
      attempt: {
        webhookId: h1.id,
        seq: cursorBefore + 5,
        messageId: `msg_${h1.id}_late`,
        attempt: 1,
        at: new Date().toISOString(),
        statusCode: 200,
        latencyMs: 1,
        ok: true,
        error: null,
      },
      state: { cursor: cursorBefore + 5, status: 'active' as const, attempt: 0, nextAttemptAt: new Date().toISOString(), failingSince: null, lastError: null },
    };
    await assert.rejects(a.subscribers.recordAttempt(h1.id, late), /lost the delivery lock/);
    assert.equal((await b.subscribers.getWebhook(h1.id))!.cursor, cursorBefore, 'the late attempt moved nothing');
    assert.equal((await b.subscribers.listAttempts(h1.id)).filter((x) => x.messageId.endsWith('_late')).length, 0, 'nor was it listed');
    await b.subscribers.recordAttempt(h1.id, { ...late, attempt: { ...late.attempt, messageId: `msg_${h1.id}_b` } });
    assert.equal((await b.subscribers.getWebhook(h1.id))!.cursor, cursorBefore + 5, 'the holder records its attempts');

    // Node a works again after its lock connection died (a new one is opened), and a node that closes
    // (its pool ends) frees what it held at once.
    assert.ok(await a.subscribers.claimWebhook(h2.id, 'node-a', until()), 'a new lock connection after the old one died');
    assert.equal(await b.subscribers.claimWebhook(h2.id, 'node-b', until()), null);
    await a.close();
    assert.equal(await lockHolder(url, h2.id), null);
    assert.ok(await b.subscribers.claimWebhook(h2.id, 'node-b', until()), 'claimed at once after node a closed');
    await b.close();
  });
});
