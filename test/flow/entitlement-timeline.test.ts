// The time-versioned entitlement rule on its own: each event is judged with the products in force at its
// time; follow-ups of a story the subscriber received then still pass after it lost the product; a
// replay with the later timeline answers every earlier event as the live delivery did.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, entitled, needsHistory, productsAt, receivedBefore } from '../../src/flow/entitlement.ts';
import { planDelivery } from '../../src/flow/delivery-loop.ts';
import type { FlowEvent, FlowItem } from '../../src/model/story.ts';
import { entitlementTimeline, type Product, type Timeline } from '../../src/model/subscribers.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const CHANGE = T0 + 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function product(id: string, over: Partial<Product> = {}): Product {
  return {
    id,
    name: id,
    languages: [],
    categories: [],
    maxUrgency: null,
    mediaTypes: [],
    embargoRights: false,
    delaySeconds: 0,
    createdAt: iso(T0 - 1000),
    updatedAt: iso(T0 - 1000),
    ...over,
  };
}

const arabic = product('ar', { languages: ['ar'] });
const turkish = product('tr', { languages: ['tr'] });

function event(seq: number, at: number, over: Partial<FlowEvent> = {}): FlowEvent {
  return {
    seq,
    kind: 'published',
    storyId: `s${seq}`,
    version: 1,
    at: iso(at),
    language: 'ar',
    categories: ['economy'],
    urgency: 4,
    mediaType: 'text',
    embargoUntil: null,
    by: SYSTEM_ACTOR,
    ...over,
  };
}

/** The story's events before `e` in `log`, as the store gives them. */
const earlierOf = (log: FlowEvent[], e: FlowEvent) => log.filter((x) => x.storyId === e.storyId && x.seq < e.seq);

/** What a subscriber with `timeline` gets of `log`, each follow-up decided from the story's history. */
function delivered(timeline: Timeline, log: FlowEvent[]): number[] {
  return log.filter((e) => entitled(timeline, e, receivedBefore(timeline, earlierOf(log, e)), Infinity)).map((e) => e.seq);
}

describe('time-versioned entitlements', () => {
  it('builds one timeline from product changes and filter versions; the first of each reaches back to the start', () => {
    const narrowed = { ...arabic, categories: ['sport'], updatedAt: iso(CHANGE + 5000) };
    const timeline = entitlementTimeline(
      [
        { effectiveAt: iso(T0 - 500), productIds: ['ar'] },
        { effectiveAt: iso(CHANGE), productIds: ['ar', 'tr'] },
      ],
      [
        { productId: 'ar', effectiveAt: arabic.updatedAt, product: arabic },
        { productId: 'ar', effectiveAt: narrowed.updatedAt, product: narrowed },
        { productId: 'tr', effectiveAt: turkish.updatedAt, product: turkish },
      ],
    );
    assert.deepEqual(
      timeline.map((p) => [p.from, p.products.map((x) => `${x.id}:${x.categories.join('|')}`)]),
      [
        [-Infinity, ['ar:']],
        [CHANGE, ['ar:', 'tr:']],
        [CHANGE + 5000, ['ar:sport', 'tr:']],
      ],
    );
    assert.deepEqual(productsAt(timeline, T0 - 10 ** 9), [arabic], 'a new subscriber reads the log from the start with its first products');
    assert.deepEqual(productsAt(timeline, CHANGE - 1), [arabic]);
    assert.deepEqual(productsAt(timeline, CHANGE), [arabic, turkish]);
    assert.deepEqual(entitlementTimeline([], []), []);
  });

  it('a subscriber who gains a product gets its stories from then on only', () => {
    const timeline: Timeline = [
      { from: -Infinity, products: [turkish] },
      { from: CHANGE, products: [turkish, arabic] },
    ];
    const log = [event(1, T0), event(2, CHANGE + 1000), event(3, T0 + 1000, { language: 'tr' })];
    assert.deepEqual(delivered(timeline, log), [2, 3]);
  });

  it('a subscriber who loses a product gets no new story of it, but the correction and kill of one it had', () => {
    const timeline: Timeline = [
      { from: -Infinity, products: [arabic] },
      { from: CHANGE, products: [turkish] },
    ];
    const log = [
      event(1, T0), // had it
      event(2, CHANGE + 1000), // new, after the loss: not
      event(3, CHANGE + 2000, { storyId: 's1', kind: 'corrected', version: 2 }),
      event(4, CHANGE + 3000, { storyId: 's2', kind: 'killed', version: 2 }), // never had s2
      event(5, CHANGE + 4000, { storyId: 's1', kind: 'killed', version: 3 }),
      event(6, CHANGE + 5000, { language: 'tr' }),
    ];
    assert.deepEqual(delivered(timeline, log), [1, 3, 5, 6]);
    assert.ok(needsHistory(timeline, log[4]), 'the kill depends on what it had');
    assert.ok(!needsHistory(timeline, log[1]), 'a first publish never does');
  });

  it('a subscriber left with no product at all still gets the kill of a story it had, with the delay of its last tier', () => {
    const timeline: Timeline = [
      { from: -Infinity, products: [{ ...arabic, delaySeconds: 600 }] },
      { from: CHANGE, products: [] },
    ];
    const kill = event(2, CHANGE + 1000, { storyId: 's1', kind: 'killed', version: 2 });
    assert.deepEqual(decide(timeline, kill, true, CHANGE + 1000), { action: 'hold', notBefore: CHANGE + 1000 + 600_000 }, 'never earlier than its tier');
    assert.deepEqual(decide(timeline, kill, true, CHANGE + 1000 + 600_000), { action: 'deliver' });
    assert.ok(needsHistory(timeline, kill));
    assert.deepEqual(decide(timeline, kill, false, Infinity), { action: 'skip' });
    assert.deepEqual(decide(timeline, event(3, CHANGE + 2000), false, Infinity), { action: 'skip' }, 'nothing new');
  });

  it('a product narrowed: later stories by the new filters, follow-ups of what it had still pass', () => {
    const narrowed = { ...arabic, categories: ['sport'], updatedAt: iso(CHANGE) };
    const timeline = entitlementTimeline(
      [{ effectiveAt: iso(T0 - 1000), productIds: ['ar'] }],
      [
        { productId: 'ar', effectiveAt: arabic.updatedAt, product: arabic },
        { productId: 'ar', effectiveAt: iso(CHANGE), product: narrowed },
      ],
    );
    const log = [
      event(1, T0), // economy, before the change
      event(2, CHANGE + 1000), // economy, after: not
      event(3, CHANGE + 2000, { categories: ['sport'] }),
      event(4, CHANGE + 3000, { storyId: 's1', kind: 'updated', version: 2 }),
      event(5, CHANGE + 4000, { storyId: 's2', kind: 'killed', version: 2 }),
    ];
    assert.deepEqual(delivered(timeline, log), [1, 3, 4]);
  });

  it('a replay after a change answers every earlier event as the live delivery did', () => {
    const before: Timeline = [{ from: -Infinity, products: [arabic, { ...turkish, delaySeconds: 30 }] }];
    const afterChange: Timeline = [...before, { from: CHANGE, products: [turkish] }];
    const log = [
      event(1, T0),
      event(2, T0 + 1000, { language: 'tr' }),
      event(3, T0 + 2000, { storyId: 's1', kind: 'updated', version: 2, language: 'tr' }),
      event(4, CHANGE - 1, { kind: 'published', language: 'ar', storyId: 's4' }),
    ];
    const live = log.map((e) => decide(before, e, receivedBefore(before, earlierOf(log, e)), e.seq === 2 ? Date.parse(e.at) : Infinity));
    const replay = log.map((e) => decide(afterChange, e, receivedBefore(afterChange, earlierOf(log, e)), e.seq === 2 ? Date.parse(e.at) : Infinity));
    assert.deepEqual(replay, live);
    assert.equal(live[1].action, 'hold', 'the delay of the products in force then, too');
  });

  it('the delivery loop plans with the timeline and stops for history before a follow-up it depends on', () => {
    const timeline: Timeline = [
      { from: -Infinity, products: [arabic] },
      { from: CHANGE, products: [turkish] },
    ];
    const item = (e: FlowEvent) => ({ event: e }) as FlowItem;
    const items = [event(1, CHANGE + 10), event(2, CHANGE + 20, { storyId: 'old', kind: 'killed', version: 2 }), event(3, CHANGE + 30, { language: 'tr' })];
    const first = planDelivery(items.map(item), 0, { products: timeline }, Infinity);
    assert.deepEqual(first.deliver, []);
    assert.equal(first.position, 1);
    assert.equal(first.needsHistory?.seq, 2);
    const second = planDelivery(items.map(item), first.position, { products: timeline, history: new Map([[2, true]]) }, Infinity);
    assert.deepEqual(
      second.deliver.map((i) => i.event.seq),
      [2, 3],
    );
  });
});
