// The store contract: written once, run against every Store implementation.
import assert from 'node:assert/strict';
import { describe, it, before, after } from 'node:test';
import { ConflictError, NotFoundError } from '../../src/model/errors.ts';
import type { Store } from '../../src/model/store.ts';
import { hashKey } from '../../src/flow/keys.ts';
import { sampleContent } from '../helpers.ts';
import { type Actor, SYSTEM_ACTOR } from '../../src/model/actor.ts';
import type { StoryContent } from '../../src/model/story.ts';

const EDITOR: Actor = { type: 'user', id: 'u-editor', name: 'Leyla Editor' };
const REPORTER: Actor = { type: 'user', id: 'u-reporter', name: 'Kerem Reporter' };
const KEY: Actor = { type: 'key', id: 'k-1', name: 'wire desk key' };

/** A tag unique to one test, so tests on one shared store do not see each other's stories. */
function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

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
      const s = await store.createStory(sampleContent(), EDITOR);
      assert.equal(s.status, 'draft');
      assert.equal(s.revision, 1);
      assert.equal(s.latestVersion, 0);
      assert.equal(s.translationGroup, s.id);
      const again = await store.getStory(s.id);
      assert.deepEqual(again, s);
      assert.equal(await store.getStory('0000000000000000000000000z'), null);
    });

    it('updates a draft only at the expected revision', async () => {
      const s = await store.createStory(sampleContent(), EDITOR);
      const edited = await store.updateDraft(s.id, 1, sampleContent({ headline: 'عنوان جديد' }), EDITOR);
      assert.equal(edited.revision, 2);
      assert.equal(edited.draft.headline, 'عنوان جديد');
      await assert.rejects(store.updateDraft(s.id, 1, sampleContent(), EDITOR), ConflictError);
      const after = await store.getStory(s.id);
      assert.equal(after!.draft.headline, 'عنوان جديد', 'a refused edit changes nothing');
      await assert.rejects(store.updateDraft('0000000000000000000000000z', 1, sampleContent(), EDITOR), NotFoundError);
    });

    it('lists versions newest first with who published them, by actor and by story, in keyset pages', async () => {
      const who: Actor = { type: 'user', id: unique('u-audit'), name: 'Audit Person' };
      const a = await store.createStory(sampleContent(), who);
      const b = await store.createStory(sampleContent(), who);
      const t0 = Date.now();
      const pub = (storyId: string, kind: 'published' | 'updated', latest: number, by: Actor, ms: number) =>
        store.appendVersion(
          { storyId, kind, content: sampleContent(), expectLatestVersion: latest, allowedStatuses: kind === 'published' ? ['draft'] : ['published'], by },
          new Date(t0 + ms),
        );
      await pub(a.id, 'published', 0, who, 1);
      await pub(b.id, 'published', 0, EDITOR, 2);
      await pub(a.id, 'updated', 1, who, 3);
      await pub(b.id, 'updated', 1, who, 4);
      const mine = await store.versionActs({ actorId: who.id, limit: 10 });
      assert.deepEqual(
        mine.map((v) => [v.storyId, v.version]),
        [
          [b.id, 2],
          [a.id, 2],
          [a.id, 1],
        ],
      );
      assert.deepEqual(mine[0].by, who);
      assert.equal(mine[0].kind, 'updated');
      assert.equal(mine[0].headline, sampleContent().headline);
      const page1 = await store.versionActs({ actorId: who.id, limit: 2 });
      const last = page1[page1.length - 1];
      const page2 = await store.versionActs({ actorId: who.id, limit: 2, before: { at: last.at, storyId: last.storyId, version: last.version } });
      assert.deepEqual(
        [...page1, ...page2].map((v) => [v.storyId, v.version]),
        mine.map((v) => [v.storyId, v.version]),
      );
      assert.deepEqual(
        (await store.versionActs({ storyId: b.id, limit: 10 })).map((v) => [v.version, v.by.id]),
        [
          [2, who.id],
          [1, EDITOR.id],
        ],
      );
      assert.deepEqual(await store.versionActs({ actorId: unique('nobody'), limit: 10 }), []);
    });

    it('appends versions and log events in one order', async () => {
      const s = await store.createStory(sampleContent(), EDITOR);
      const head0 = await store.headSeq();
      const v1 = await store.appendVersion({
        storyId: s.id,
        kind: 'published',
        content: sampleContent(),
        expectLatestVersion: 0,
        allowedStatuses: ['draft'],
        by: EDITOR,
      });
      const v2 = await store.appendVersion({
        storyId: s.id,
        kind: 'updated',
        content: sampleContent({ urgency: 2 }),
        expectLatestVersion: 1,
        allowedStatuses: ['published'],
        by: EDITOR,
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
      const s = await store.createStory(sampleContent(), EDITOR);
      await store.appendVersion({ storyId: s.id, kind: 'published', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['draft'], by: EDITOR });
      const head = await store.headSeq();
      await assert.rejects(
        store.appendVersion({ storyId: s.id, kind: 'updated', content: sampleContent(), expectLatestVersion: 0, allowedStatuses: ['published'], by: EDITOR }),
        ConflictError,
      );
      await store.appendVersion({
        storyId: s.id,
        kind: 'killed',
        content: sampleContent(),
        killReason: 'legal',
        expectLatestVersion: 1,
        allowedStatuses: ['published'],
        by: EDITOR,
      });
      await assert.rejects(
        store.appendVersion({
          storyId: s.id,
          kind: 'updated',
          content: sampleContent(),
          expectLatestVersion: 2,
          allowedStatuses: ['draft', 'published'],
          by: EDITOR,
        }),
        ConflictError,
      );
      assert.equal(await store.headSeq(), head + 1, 'refused appends leave the log as it was');
      const killed = await store.getVersion(s.id, 2);
      assert.equal(killed!.pubStatus, 'canceled');
      assert.equal(killed!.killReason, 'legal');
    });

    it('lifts an embargo once, when it is due', async () => {
      const until = new Date(Date.now() + 60_000).toISOString();
      const s = await store.createStory(sampleContent({ embargoUntil: until }), EDITOR);
      await store.appendVersion({
        storyId: s.id,
        kind: 'published',
        content: sampleContent({ embargoUntil: until }),
        expectLatestVersion: 0,
        allowedStatuses: ['draft'],
        by: EDITOR,
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

    it('records who created, saved and published a story, on the draft, the version and the event', async () => {
      const s = await store.createStory(sampleContent(), REPORTER);
      assert.deepEqual(s.createdBy, REPORTER);
      assert.deepEqual(s.updatedBy, REPORTER);
      const saved = await store.updateDraft(s.id, 1, sampleContent({ headline: 'عنوان المحرر' }), EDITOR);
      assert.deepEqual(saved.createdBy, REPORTER, 'the creator stays');
      assert.deepEqual(saved.updatedBy, EDITOR);
      const conflict = await store.updateDraft(s.id, 1, sampleContent(), REPORTER).then(
        () => assert.fail('a stale save must be refused'),
        (e: unknown) => e as ConflictError,
      );
      assert.ok(conflict instanceof ConflictError);
      assert.match(conflict.message, /Leyla Editor saved it first/, 'the conflict says who saved first');
      assert.deepEqual((conflict.details as { updatedBy: Actor }).updatedBy, EDITOR);
      const head = await store.headSeq();
      const item = await store.appendVersion({
        storyId: s.id,
        kind: 'published',
        content: saved.draft,
        expectLatestVersion: 0,
        allowedStatuses: ['draft'],
        by: KEY,
      });
      assert.deepEqual(item.version.by, KEY);
      assert.deepEqual(item.event.by, KEY);
      assert.deepEqual((await store.getVersion(s.id, 1))!.by, KEY);
      assert.deepEqual((await store.listVersions(s.id))[0].by, KEY);
      const [logged] = await store.readLog({ after: head, limit: 1 });
      assert.deepEqual(logged.event.by, KEY);
      assert.deepEqual(logged.version.by, KEY);
      assert.deepEqual((await store.getStory(s.id))!.updatedBy, KEY, 'publishing is the latest save');
      const [imported] = await store.importPublished([{ content: sampleContent({ headline: unique('import') }), publishedAt: '2020-01-01T00:00:00.000Z' }], {
        by: KEY,
      });
      assert.deepEqual(imported.by, KEY);
      assert.deepEqual((await store.getVersion(imported.storyId, 1))!.by, KEY);
      assert.deepEqual((await store.getStory(imported.storyId))!.createdBy, KEY);
      const [byNewsflow] = await store.importPublished([{ content: sampleContent({ headline: unique('import') }), publishedAt: '2020-01-01T00:00:00.000Z' }]);
      assert.deepEqual(byNewsflow.by, SYSTEM_ACTOR, 'imports are newsflow by default');
    });

    it('records newsflow as who lifted a scheduled embargo, and an editor who lifts one early', async () => {
      const until = new Date(Date.now() + 60_000).toISOString();
      const a = await store.createStory(sampleContent({ embargoUntil: until }), EDITOR);
      await store.appendVersion({
        storyId: a.id,
        kind: 'published',
        content: sampleContent({ embargoUntil: until }),
        expectLatestVersion: 0,
        allowedStatuses: ['draft'],
        by: EDITOR,
      });
      const lifted = await store.liftEmbargo(a.id, new Date(Date.now() + 120_000));
      assert.deepEqual(lifted!.event.by, SYSTEM_ACTOR);
      assert.deepEqual(lifted!.version.by, EDITOR, 'the version keeps who published it');
      const b = await store.createStory(sampleContent({ embargoUntil: until }), EDITOR);
      await store.appendVersion({
        storyId: b.id,
        kind: 'published',
        content: sampleContent({ embargoUntil: until }),
        expectLatestVersion: 0,
        allowedStatuses: ['draft'],
        by: EDITOR,
      });
      const early = await store.liftEmbargo(b.id, new Date(), KEY);
      assert.deepEqual(early!.event.by, KEY);
    });

    it('keeps a review queue: submit, withdraw, and publishing clears it', async () => {
      const desk = unique('desk');
      const s = await store.createStory(sampleContent({ desk }), REPORTER);
      assert.equal(s.workflow, 'writing');
      assert.equal(s.submittedBy, null);
      const at = new Date('2026-05-01T10:00:00.000Z');
      const submitted = await store.setWorkflow(s.id, 'submitted', REPORTER, at);
      assert.equal(submitted.workflow, 'submitted');
      assert.deepEqual(submitted.submittedBy, REPORTER);
      assert.equal(submitted.submittedAt, at.toISOString());
      assert.equal(submitted.revision, s.revision, 'submitting changes no text, so no revision');
      assert.deepEqual(
        (await store.storyList({ desk, status: 'submitted' })).stories.map((l) => [l.id, l.listStatus, l.submittedBy?.name]),
        [[s.id, 'submitted', 'Kerem Reporter']],
      );
      assert.equal((await store.storyList({ desk, status: 'draft' })).stories.length, 0, 'a submitted draft leaves the drafts list');
      await assert.rejects(store.setWorkflow(s.id, 'submitted', EDITOR), /already submitted for review by Kerem Reporter/);
      const withdrawn = await store.setWorkflow(s.id, 'writing', REPORTER);
      assert.equal(withdrawn.workflow, 'writing');
      assert.equal(withdrawn.submittedBy, null);
      assert.equal((await store.storyList({ desk, status: 'draft' })).stories.length, 1);
      await assert.rejects(store.setWorkflow(s.id, 'writing', REPORTER), ConflictError, 'nothing to withdraw');
      await store.setWorkflow(s.id, 'submitted', REPORTER);
      await store.appendVersion({
        storyId: s.id,
        kind: 'published',
        content: sampleContent({ desk }),
        expectLatestVersion: 0,
        allowedStatuses: ['draft'],
        by: EDITOR,
      });
      const published = (await store.getStory(s.id))!;
      assert.equal(published.workflow, 'writing', 'publishing takes the story out of the queue');
      assert.equal(published.submittedBy, null);
      assert.equal((await store.storyList({ desk, status: 'submitted' })).stories.length, 0);
      assert.deepEqual(
        (await store.storyList({ desk, status: 'published' })).stories.map((l) => l.id),
        [s.id],
      );
      await store.appendVersion({
        storyId: s.id,
        kind: 'killed',
        content: sampleContent({ desk }),
        killReason: 'legal',
        expectLatestVersion: 1,
        allowedStatuses: ['published'],
        by: EDITOR,
      });
      await assert.rejects(store.setWorkflow(s.id, 'submitted', REPORTER), ConflictError);
      await assert.rejects(store.setWorkflow('0000000000000000000000000z', 'submitted', REPORTER), NotFoundError);
    });

    it('lists stories by status, language and desk, newest change first, in keyset pages', async () => {
      const desk = unique('desk');
      const other = unique('desk');
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const make = async (over: Partial<StoryContent>, at: string) => store.createStory(sampleContent({ desk, ...over }), EDITOR, new Date(at));
      const d1 = await make({}, '2026-05-01T10:00:00.000Z');
      const d2 = await make({ language: 'tr', headline: 'Taslak' }, '2026-05-01T10:01:00.000Z');
      const p1 = await make({ language: 'en', headline: 'Published' }, '2026-05-01T10:02:00.000Z');
      await store.appendVersion(
        { storyId: p1.id, kind: 'published', content: p1.draft, expectLatestVersion: 0, allowedStatuses: ['draft'], by: EDITOR },
        new Date('2026-05-01T10:03:00.000Z'),
      );
      const e1 = await make({ embargoUntil: future }, '2026-05-01T10:04:00.000Z');
      await store.appendVersion(
        { storyId: e1.id, kind: 'published', content: e1.draft, expectLatestVersion: 0, allowedStatuses: ['draft'], by: EDITOR },
        new Date('2026-05-01T10:05:00.000Z'),
      );
      const k1 = await make({}, '2026-05-01T10:06:00.000Z');
      await store.appendVersion({ storyId: k1.id, kind: 'published', content: k1.draft, expectLatestVersion: 0, allowedStatuses: ['draft'], by: EDITOR });
      await store.appendVersion({
        storyId: k1.id,
        kind: 'killed',
        content: k1.draft,
        killReason: 'x',
        expectLatestVersion: 1,
        allowedStatuses: ['published'],
        by: EDITOR,
      });
      await store.createStory(sampleContent({ desk: other }), EDITOR);
      const ids = async (q: Parameters<Store['storyList']>[0]) => (await store.storyList({ desk, ...q })).stories.map((l) => l.id);
      assert.deepEqual(await ids({}), [k1.id, e1.id, p1.id, d2.id, d1.id], 'newest change first; another desk left out');
      assert.deepEqual(await ids({ status: 'draft' }), [d2.id, d1.id]);
      assert.deepEqual(await ids({ status: 'published' }), [p1.id], 'a live embargo is listed apart');
      assert.deepEqual(await ids({ status: 'embargoed' }), [e1.id]);
      assert.deepEqual(await ids({ status: 'killed' }), [k1.id]);
      assert.deepEqual(await ids({ language: 'tr' }), [d2.id]);
      assert.deepEqual(await ids({ language: 'ar', status: 'draft' }), [d1.id]);
      const listing = (await store.storyList({ desk, status: 'embargoed' })).stories[0];
      assert.equal(listing.embargoUntil, future);
      assert.equal(listing.desk, desk);
      assert.equal(listing.headline, e1.draft.headline);
      assert.equal(listing.latestVersion, 1);
      assert.deepEqual(listing.createdBy, EDITOR);
      assert.equal(
        (await store.storyList({ desk, status: 'embargoed' }, new Date(Date.now() + 7_200_000))).stories.length,
        0,
        'an embargo whose time has passed is not live',
      );
      await store.liftEmbargo(e1.id, new Date(), KEY);
      assert.deepEqual(await ids({ status: 'embargoed' }), []);
      assert.deepEqual(await ids({ status: 'published' }), [e1.id, p1.id], 'a lifted embargo is published');
      // Keyset pages: every story once, in order, whatever the page size.
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 10; page++) {
        const r = await store.storyList({ desk, limit: 2, after });
        seen.push(...r.stories.map((l) => l.id));
        if (!r.next) break;
        after = r.next;
      }
      assert.deepEqual(seen, await ids({}));
    });

    it('keeps a desk on the draft and joins translations to the group', async () => {
      const original = await store.createStory(sampleContent({ desk: 'world' }), EDITOR);
      assert.equal(original.draft.desk, 'world');
      const en = await store.createStory(sampleContent({ language: 'en', headline: 'Water', translationOf: original.id }), KEY);
      const tr = await store.createStory(sampleContent({ language: 'tr', headline: 'Su', translationOf: en.id }), KEY);
      assert.equal(en.translationGroup, original.translationGroup);
      assert.equal(tr.translationGroup, original.translationGroup, 'a translation of a translation joins the same group');
      const group = await store.translations(original.translationGroup);
      assert.deepEqual(
        group.map((l) => [l.id, l.language]),
        [
          [original.id, 'ar'],
          [en.id, 'en'],
          [tr.id, 'tr'],
        ],
      );
      assert.deepEqual(await store.translations('0000000000000000000000000z'), []);
    });

    it('reads the wire monitor newest first, filtered, with headline and actor, in keyset pages', async () => {
      const category = unique('cat');
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const pub = async (over: Partial<StoryContent>, by: Actor) => {
        const s = await store.createStory(sampleContent({ categories: [category], ...over }), by);
        return store.appendVersion({ storyId: s.id, kind: 'published', content: s.draft, expectLatestVersion: 0, allowedStatuses: ['draft'], by });
      };
      const a = await pub({ headline: 'خبر عاجل', urgency: 1 }, EDITOR);
      const b = await pub({ language: 'en', headline: 'Routine news' }, KEY);
      const c = await pub({ headline: 'تحت الحظر', embargoUntil: future }, EDITOR);
      const k = await store.appendVersion({
        storyId: b.event.storyId,
        kind: 'killed',
        content: b.version.content,
        killReason: 'legal',
        expectLatestVersion: 1,
        allowedStatuses: ['published'],
        by: EDITOR,
      });
      const seqs = async (q: Parameters<Store['wire']>[0]) => (await store.wire({ category, ...q })).entries.map((e) => e.event.seq);
      assert.deepEqual(await seqs({}), [k.event.seq, c.event.seq, b.event.seq, a.event.seq]);
      const page = await store.wire({ category });
      assert.equal(page.entries[3].headline, 'خبر عاجل');
      assert.deepEqual(page.entries[3].event.by, EDITOR);
      assert.deepEqual(page.entries[2].event.by, KEY);
      assert.equal(page.entries[1].embargoed, true);
      assert.equal(page.entries[0].embargoed, false);
      assert.deepEqual(await seqs({ language: 'en' }), [k.event.seq, b.event.seq]);
      assert.deepEqual(await seqs({ urgency: 1 }), [a.event.seq]);
      assert.deepEqual(await seqs({ kind: 'killed' }), [k.event.seq]);
      assert.deepEqual(await seqs({ embargoed: true }), [c.event.seq]);
      assert.deepEqual(await seqs({ embargoed: false }), [k.event.seq, b.event.seq, a.event.seq]);
      assert.deepEqual(await seqs({ language: 'ar', urgency: 1 }), [a.event.seq]);
      const first = await store.wire({ category, limit: 2 });
      assert.equal(first.next, c.event.seq);
      const second = await store.wire({ category, limit: 2, before: first.next! });
      assert.deepEqual(
        second.entries.map((e) => e.event.seq),
        [b.event.seq, a.event.seq],
      );
      const lift = await store.liftEmbargo(c.event.storyId, new Date(), KEY);
      assert.deepEqual(await seqs({ embargoed: true }), [], 'a lifted embargo no longer holds');
      assert.deepEqual(await seqs({ kind: 'embargo-lifted' }), [lift!.event.seq]);
      // Without a category filter the newest events of the whole log come first.
      assert.equal((await store.wire({ limit: 1 })).entries[0].event.seq, await store.headSeq());
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
