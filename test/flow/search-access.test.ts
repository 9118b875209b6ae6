// Search filtering for subscribers (src/flow/search-access.ts) asks the entitlement rule about the story
// as it stands: product filters, embargo rights and delay tiers, as the flow would deliver it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { subscriberSearchFilter } from '../../src/flow/search-access.ts';
import type { SearchDocMeta } from '../../src/search/index.ts';
import type { Product, Subscriber } from '../../src/model/subscribers.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');

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

function subscriber(...products: Product[]): Subscriber {
  return {
    id: 'sub',
    name: 'sub',
    products,
    rateLimit: null,
    defaultFormat: 'ninjs',
    seatLimit: null,
    createdAt: '',
    entitlements: [{ from: -Infinity, products }],
  };
}

function doc(over: Partial<SearchDocMeta> = {}): SearchDocMeta {
  return {
    storyId: 's1',
    version: 1,
    language: 'ar',
    categories: ['economy'],
    urgency: 4,
    mediaType: 'text',
    publishedAt: new Date(NOW - 3_600_000).toISOString(),
    ...over,
  };
}

const allowed = (s: Subscriber, d: SearchDocMeta, embargoed: string[] = []) => subscriberSearchFilter(s, new Set(embargoed), NOW).allowed!(d);

describe('search access', () => {
  it('passes what the products pass, and nothing without products', () => {
    const s = subscriber(product({ languages: ['ar'], maxUrgency: 3 }), product({ id: 'q', mediaTypes: ['photo'] }));
    assert.ok(!allowed(s, doc()), 'urgency 4 is past the Arabic product, and it is no photo');
    assert.ok(allowed(s, doc({ urgency: 2, language: 'ar-SA' })));
    assert.ok(allowed(s, doc({ language: 'tr', mediaType: 'photo' })));
    assert.ok(!allowed(subscriber(), doc()));
  });

  it('finds a story under embargo only with embargo rights', () => {
    assert.ok(!allowed(subscriber(product()), doc(), ['s1']));
    assert.ok(allowed(subscriber(product()), doc(), ['s2']));
    assert.ok(allowed(subscriber(product({ embargoRights: true })), doc(), ['s1']));
    assert.ok(!allowed(subscriber(product({ embargoRights: true, languages: ['tr'] })), doc(), ['s1']), 'rights do not widen the filters');
  });

  it('finds a story for a delayed tier once its delay has passed since it was first published', () => {
    const hourLate = subscriber(product({ delaySeconds: 3600 }));
    assert.ok(allowed(hourLate, doc({ publishedAt: new Date(NOW - 3_600_000).toISOString() })));
    assert.ok(!allowed(hourLate, doc({ publishedAt: new Date(NOW - 3_599_000).toISOString() })));
    assert.ok(
      allowed(subscriber(product({ delaySeconds: 3600 }), product({ id: 'q', languages: ['ar'] })), doc({ publishedAt: new Date(NOW - 1000).toISOString() })),
      'the fastest product wins',
    );
  });

  it('counts a story the index dates in the future, or not at all, as published now', () => {
    assert.ok(allowed(subscriber(product()), doc({ publishedAt: '2030-01-01T00:00:00Z' })));
    assert.ok(!allowed(subscriber(product({ delaySeconds: 60 })), doc({ publishedAt: '2030-01-01T00:00:00Z' })));
    assert.ok(allowed(subscriber(product()), doc({ publishedAt: 'not a date' })));
  });
});
