// The entitlement function on its own: filters, follow-ups, embargo, delay tiers.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, entitled, matchesProduct, needsHistory } from '../../src/flow/entitlement.ts';
import { decodeCursor, encodeCursor } from '../../src/flow/cursor.ts';
import type { FlowEvent } from '../../src/model/story.ts';
import type { Product } from '../../src/model/subscribers.ts';

const T = Date.parse('2026-03-01T10:00:00Z');

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

function event(over: Partial<FlowEvent> = {}): FlowEvent {
  return {
    seq: 10,
    kind: 'published',
    storyId: 's1',
    version: 1,
    at: new Date(T).toISOString(),
    language: 'ar',
    categories: ['economy'],
    urgency: 4,
    mediaType: 'text',
    embargoUntil: null,
    by: SYSTEM_ACTOR,
    ...over,
  };
}

describe('entitlement', () => {
  it('filters on language (with subtags), category, urgency and media type', () => {
    const p = product({ languages: ['ar'], categories: ['economy', 'sport'], maxUrgency: 3, mediaTypes: ['text'] });
    assert.ok(matchesProduct(p, event({ urgency: 2 })));
    assert.ok(matchesProduct(p, event({ urgency: 3, language: 'ar-SA' })));
    assert.ok(!matchesProduct(p, event({ urgency: 4 })), 'urgency 4 is lower priority than 3');
    assert.ok(!matchesProduct(p, event({ urgency: 1, language: 'tr' })));
    assert.ok(!matchesProduct(p, event({ urgency: 1, language: 'arz' })), 'a prefix is not a subtag');
    assert.ok(!matchesProduct(p, event({ urgency: 1, categories: ['culture'] })));
    assert.ok(!matchesProduct(p, event({ urgency: 1, mediaType: 'photo' })));
    assert.ok(matchesProduct(product(), event()), 'an empty filter takes everything');
  });

  it('takes the union of products, and nothing without products', () => {
    const products = [product({ languages: ['tr'] }), product({ mediaTypes: ['photo'] })];
    assert.ok(entitled(products, event({ language: 'tr' }), false, T));
    assert.ok(entitled(products, event({ mediaType: 'photo' }), false, T));
    assert.ok(!entitled(products, event(), false, T));
    assert.ok(!entitled([], event(), true, T));
  });

  it('always passes follow-ups of a story already received, never a first publish', () => {
    const products = [product({ languages: ['ar'] })];
    for (const kind of ['updated', 'corrected', 'killed', 'embargo-lifted'] as const) {
      assert.ok(entitled(products, event({ kind, language: 'tr' }), true, T), kind);
      assert.ok(!entitled(products, event({ kind, language: 'tr' }), false, T), kind);
    }
    assert.ok(!entitled(products, event({ kind: 'published', language: 'tr' }), true, T));
  });

  it('gives embargoed versions only to embargo rights until the lift event', () => {
    const embargoed = event({ embargoUntil: new Date(T + 3_600_000).toISOString() });
    assert.ok(!entitled([product()], embargoed, false, T));
    assert.ok(!entitled([product()], { ...embargoed, kind: 'updated' }, true, T), 'even a follow-up waits for the lift');
    assert.ok(entitled([product({ embargoRights: true })], embargoed, false, T));
    assert.ok(entitled([product()], { ...embargoed, kind: 'embargo-lifted', seq: 11 }, false, T));
    assert.ok(entitled([product()], { ...embargoed, kind: 'killed' }, true, T), 'a kill goes out at once to those who had it');
    // An embargo already past when the event was logged is no embargo.
    assert.ok(entitled([product()], event({ embargoUntil: new Date(T - 1000).toISOString() }), false, T));
  });

  it('holds events for a delayed tier until the delay has passed', () => {
    const late = [product({ delaySeconds: 900 })];
    assert.deepEqual(decide(late, event(), false, T + 1000), { action: 'hold', notBefore: T + 900_000 });
    assert.deepEqual(decide(late, event(), false, T + 900_000), { action: 'deliver' });
    assert.deepEqual(decide([...late, product()], event(), false, T), { action: 'deliver' }, 'the fastest entitled product wins');
    assert.deepEqual(decide([product({ delaySeconds: 900, languages: ['ar'] })], event({ language: 'tr' }), false, T), { action: 'skip' });
  });

  it('asks for the story history only when it changes the answer', () => {
    const arabic = [product({ languages: ['ar'] })];
    assert.ok(needsHistory(arabic, event({ kind: 'updated', language: 'tr' })), 'a follow-up the products no longer pass');
    assert.ok(!needsHistory(arabic, event({ kind: 'updated' })), 'a follow-up the products pass on its own');
    assert.ok(!needsHistory(arabic, event({ kind: 'published', language: 'tr' })), 'a publish is never a follow-up');
    const embargoedUpdate = event({ kind: 'updated', embargoUntil: new Date(T + 3_600_000).toISOString() });
    assert.ok(!needsHistory(arabic, embargoedUpdate), 'without embargo rights it waits for the lift whatever the history');
    assert.ok(needsHistory([product({ languages: ['tr'], embargoRights: true })], embargoedUpdate), 'with rights, the history decides');
  });

  it('encodes cursors opaquely and detects garbling', () => {
    for (const seq of [0, 1, 42, 2 ** 40]) assert.equal(decodeCursor(encodeCursor(seq)), seq);
    const c = encodeCursor(42);
    assert.equal(decodeCursor(c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A')), null);
    assert.equal(decodeCursor('42'), null);
    assert.equal(decodeCursor(''), null);
    assert.equal(decodeCursor('!!!!!!!!!!!!!!!!'), null);
  });
});
