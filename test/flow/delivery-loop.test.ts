// The delivery loop on its own (src/flow/delivery-loop.ts): what one subscriber gets from a run of log
// items, where its position ends and where it must wait. Every channel plans with it, so these cases
// hold for the feed, webhooks and streams alike.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDelivery, type Entitlements } from '../../src/flow/delivery-loop.ts';
import type { FlowEvent, FlowItem, StoryVersion } from '../../src/model/story.ts';
import type { Product } from '../../src/model/subscribers.ts';

const T = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;

function product(over: Partial<Product> = {}): Product {
  return {
    id: 'p',
    name: 'p',
    languages: [],
    categories: [],
    maxUrgency: null,
    mediaTypes: [],
    embargoRights: false,
    delaySeconds: 0,
    createdAt: '',
    updatedAt: '',
    ...over,
  };
}

/** A log item; `at` in minutes after T. The version is not read by the loop, only handed on. */
function item(seq: number, storyId: string, over: Partial<Omit<FlowEvent, 'at'>> & { at?: number } = {}): FlowItem {
  const { at = 0, ...rest } = over;
  const event: FlowEvent = {
    seq,
    kind: 'published',
    storyId,
    version: 1,
    at: new Date(T + at * MIN).toISOString(),
    by: SYSTEM_ACTOR,
    language: 'ar',
    categories: ['economy'],
    urgency: 4,
    mediaType: 'text',
    embargoUntil: null,
    ...rest,
  };
  return { event, version: { storyId, version: event.version } as StoryVersion };
}

const seqs = (items: FlowItem[]) => items.map((i) => i.event.seq);
const arabic: Entitlements = { products: [product({ languages: ['ar'] })] };

describe('the delivery loop', () => {
  it('delivers the entitled items in log order and moves past the ones it skips', () => {
    const items = [item(1, 'a'), item(2, 'b', { language: 'tr' }), item(3, 'c'), item(4, 'd', { language: 'en' })];
    const plan = planDelivery(items, 0, arabic, T);
    assert.deepEqual(seqs(plan.deliver), [1, 3]);
    assert.equal(plan.position, 4, 'a skipped event is decided for good: the position passes it');
    assert.equal(plan.hold, null);
    assert.equal(plan.needsHistory, null);
    assert.deepEqual(seqs(planDelivery(items, 2, arabic, T).deliver), [3], 'items at or before the position are passed over');
    assert.deepEqual(planDelivery([], 7, arabic, T), { deliver: [], position: 7, hold: null, needsHistory: null });
  });

  describe('follow-ups', () => {
    it('an update to a story the subscriber had passes even when it no longer matches', () => {
      const items = [
        item(1, 'a'),
        item(2, 'a', { kind: 'updated', version: 2, language: 'tr' }),
        item(3, 'a', { kind: 'corrected', version: 3, categories: ['sport'], language: 'tr' }),
      ];
      const plan = planDelivery(items, 0, arabic, T);
      assert.deepEqual(seqs(plan.deliver), [1, 2, 3], 'known from the publish earlier in the same run');
      assert.equal(plan.needsHistory, null);
    });

    it('asks for the story history when the run does not show it, and stops before the follow-up', () => {
      const items = [item(5, 'b'), item(6, 'a', { kind: 'updated', version: 2, language: 'tr' }), item(7, 'c')];
      const plan = planDelivery(items, 4, arabic, T);
      assert.deepEqual(seqs(plan.deliver), [5]);
      assert.equal(plan.position, 5, 'the position does not pass an undecided follow-up');
      assert.equal(plan.needsHistory?.seq, 6);
      // Told the subscriber had the story: the follow-up goes out; told it did not: it is skipped for good.
      const had = planDelivery(items, 5, { ...arabic, history: new Map([[6, true]]) }, T);
      assert.deepEqual(seqs(had.deliver), [6, 7]);
      assert.equal(had.position, 7);
      const never = planDelivery(items, 5, { ...arabic, history: new Map([[6, false]]) }, T);
      assert.deepEqual(seqs(never.deliver), [7]);
      assert.equal(never.position, 7);
    });

    it('a story the subscriber never had gets no follow-ups, and a republish is no follow-up', () => {
      const items = [item(1, 'a', { language: 'tr' }), item(2, 'a', { kind: 'updated', version: 2, language: 'tr' })];
      assert.deepEqual(seqs(planDelivery(items, 0, { ...arabic, history: new Map([[2, false]]) }, T).deliver), []);
      const republished = [item(1, 'a'), item(2, 'a', { kind: 'published', version: 2, language: 'tr' })];
      assert.deepEqual(seqs(planDelivery(republished, 0, arabic, T).deliver), [1], 'only follow-up kinds pass on history');
    });

    it('a story a channel filter passed over still counts as received', () => {
      const items = [item(1, 'a'), item(2, 'a', { kind: 'updated', version: 2, language: 'tr' })];
      const plan = planDelivery(items, 0, arabic, T, { accept: (i) => i.event.kind !== 'published' });
      assert.deepEqual(seqs(plan.deliver), [2]);
      assert.equal(plan.needsHistory, null);
      assert.equal(plan.position, 2);
    });
  });

  describe('kills', () => {
    it('a kill reaches whoever had the story, matching or not, and no one else', () => {
      const items = [
        item(1, 'a'),
        item(2, 'b', { language: 'tr' }),
        item(3, 'a', { kind: 'killed', version: 2, language: 'tr' }),
        item(4, 'b', { kind: 'killed', version: 2, language: 'tr' }),
      ];
      const plan = planDelivery(items, 0, { ...arabic, history: new Map([[4, false]]) }, T);
      assert.deepEqual(seqs(plan.deliver), [1, 3]);
      assert.equal(plan.position, 4);
    });

    it('a kill is not held by the embargo of the story it withdraws', () => {
      const until = new Date(T + 60 * MIN).toISOString();
      const rights: Entitlements = { products: [product({ embargoRights: true })] };
      const items = [item(1, 'a', { embargoUntil: until }), item(2, 'a', { kind: 'killed', version: 2, embargoUntil: until, at: 1 })];
      assert.deepEqual(seqs(planDelivery(items, 0, rights, T + 2 * MIN).deliver), [1, 2]);
    });
  });

  describe('embargo lift', () => {
    const until = new Date(T + 60 * MIN).toISOString();
    const embargoed = [
      item(1, 'a', { embargoUntil: until }),
      item(2, 'a', { kind: 'updated', version: 2, embargoUntil: until, at: 10 }),
      item(3, 'a', { kind: 'embargo-lifted', version: 2, embargoUntil: until, at: 60 }),
    ];

    it('without embargo rights the embargoed versions are passed over and the lift delivers the story', () => {
      const plan = planDelivery(embargoed, 0, arabic, T + 61 * MIN);
      assert.deepEqual(seqs(plan.deliver), [3]);
      assert.equal(plan.position, 3);
      const before = planDelivery(embargoed.slice(0, 2), 0, arabic, T + 11 * MIN);
      assert.deepEqual(seqs(before.deliver), [], 'nothing before the lift');
      assert.equal(before.needsHistory, null, 'an embargoed update waits for the lift whatever the history: nothing to look up');
      assert.equal(before.position, 2);
    });

    it('with embargo rights every version goes out at once, and so does the lift', () => {
      const rights: Entitlements = { products: [product({ languages: ['ar'], embargoRights: true })] };
      assert.deepEqual(seqs(planDelivery(embargoed, 0, rights, T + 61 * MIN).deliver), [1, 2, 3]);
      assert.deepEqual(seqs(planDelivery(embargoed.slice(0, 2), 0, rights, T + 11 * MIN).deliver), [1, 2]);
    });

    it('a delayed tier gets the lift its delay after the lift', () => {
      const late: Entitlements = { products: [product({ delaySeconds: 300 })] };
      const early = planDelivery(embargoed, 0, late, T + 62 * MIN);
      assert.deepEqual(seqs(early.deliver), []);
      assert.equal(early.position, 2, 'the embargoed versions are decided; the lift is not yet');
      assert.deepEqual(early.hold, { notBefore: T + 65 * MIN });
      assert.deepEqual(seqs(planDelivery(embargoed, early.position, late, T + 65 * MIN).deliver), [3]);
    });
  });

  describe('delay tiers', () => {
    it('holds an event until its delay has passed, then delivers it', () => {
      const late: Entitlements = { products: [product({ delaySeconds: 900 })] };
      const items = [item(1, 'a')];
      assert.deepEqual(planDelivery(items, 0, late, T + MIN), { deliver: [], position: 0, hold: { notBefore: T + 15 * MIN }, needsHistory: null });
      assert.deepEqual(seqs(planDelivery(items, 0, late, T + 15 * MIN).deliver), [1]);
    });

    it('the fastest product that passes the event sets the time', () => {
      const tiers: Entitlements = { products: [product({ delaySeconds: 900 }), product({ id: 'q', languages: ['tr'], delaySeconds: 60 })] };
      assert.deepEqual(planDelivery([item(1, 'a', { language: 'tr' })], 0, tiers, T).hold, { notBefore: T + MIN });
      assert.deepEqual(planDelivery([item(1, 'a')], 0, tiers, T).hold, { notBefore: T + 15 * MIN });
      assert.deepEqual(seqs(planDelivery([item(1, 'a', { language: 'tr' })], 0, tiers, T + MIN).deliver), [1]);
    });

    it('a follow-up of a story the subscriber had waits for the fastest tier it holds', () => {
      const late: Entitlements = { products: [product({ languages: ['ar'], delaySeconds: 120 })], history: new Map([[2, true]]) };
      const items = [item(2, 'a', { kind: 'updated', version: 2, language: 'tr', at: 5 })];
      assert.deepEqual(planDelivery(items, 1, late, T + 6 * MIN).hold, { notBefore: T + 7 * MIN });
      assert.deepEqual(seqs(planDelivery(items, 1, late, T + 7 * MIN).deliver), [2]);
    });
  });

  describe('holds at a page boundary', () => {
    const late: Entitlements = { products: [product({ languages: ['ar'] }), product({ id: 'q', languages: ['tr'], delaySeconds: 600 })] };
    // 1 and 2 are Arabic (at once), 3 is Turkish (ten minutes late), 4 and 5 Arabic again.
    const page = [item(1, 'a'), item(2, 'b'), item(3, 'c', { language: 'tr' }), item(4, 'd'), item(5, 'e')];

    it('a hold in the middle of a page stops the page there, and the position does not pass it', () => {
      const plan = planDelivery(page, 0, late, T + MIN);
      assert.deepEqual(seqs(plan.deliver), [1, 2], 'nothing after the held event goes first, deliverable or not');
      assert.equal(plan.position, 2);
      assert.deepEqual(plan.hold, { notBefore: T + 10 * MIN });
      // The next page starts at the held event and waits again until the time has come.
      assert.deepEqual(planDelivery(page, plan.position, late, T + 5 * MIN), {
        deliver: [],
        position: 2,
        hold: { notBefore: T + 10 * MIN },
        needsHistory: null,
      });
      const after = planDelivery(page, plan.position, late, T + 10 * MIN);
      assert.deepEqual(seqs(after.deliver), [3, 4, 5]);
      assert.equal(after.position, 5);
      assert.equal(after.hold, null);
    });

    it('a page that fills before the held event ends at its last item, with no hold', () => {
      const plan = planDelivery(page, 0, late, T + MIN, { limit: 2 });
      assert.deepEqual(seqs(plan.deliver), [1, 2]);
      assert.equal(plan.position, 2);
      assert.equal(plan.hold, null, 'the held event was not reached');
    });

    it('a full page does not pass the skipped events after its last item', () => {
      const items = [item(1, 'a'), item(2, 'b', { language: 'en' }), item(3, 'c'), item(4, 'd', { language: 'en' })];
      const plan = planDelivery(items, 0, arabic, T, { limit: 1 });
      assert.deepEqual(seqs(plan.deliver), [1]);
      assert.equal(plan.position, 1);
      const next = planDelivery(items, plan.position, arabic, T, { limit: 1 });
      assert.deepEqual(seqs(next.deliver), [3]);
      assert.equal(next.position, 3);
    });
  });

  it('uses a shared decision for events that need no history when the caller gives one', () => {
    const asked: number[] = [];
    const shared: Entitlements = {
      ...arabic,
      decideFirst: (_p, e) => {
        asked.push(e.seq);
        return e.seq === 2 ? { action: 'skip' } : { action: 'deliver' };
      },
    };
    assert.deepEqual(seqs(planDelivery([item(1, 'a'), item(2, 'b'), item(3, 'c')], 0, shared, T).deliver), [1, 3]);
    assert.deepEqual(asked, [1, 2, 3]);
  });
});
