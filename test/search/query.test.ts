import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery, QuerySyntaxError, parseDateRange, MAX_QUERY_LENGTH } from '../../src/search/query.ts';

const root = (q: string) => parseQuery(q).root;

test('words AND together; OR binds tighter, like web search', () => {
  assert.deepEqual(root('غزة الأسرى OR المعتقلين'), {
    kind: 'and',
    children: [
      { kind: 'term', text: 'غزة' },
      {
        kind: 'or',
        children: [
          { kind: 'term', text: 'الأسرى' },
          { kind: 'term', text: 'المعتقلين' },
        ],
      },
    ],
  });
  assert.deepEqual(root('a AND b'), {
    kind: 'and',
    children: [
      { kind: 'term', text: 'a' },
      { kind: 'term', text: 'b' },
    ],
  });
  assert.deepEqual(root('a | b'), {
    kind: 'or',
    children: [
      { kind: 'term', text: 'a' },
      { kind: 'term', text: 'b' },
    ],
  });
});

test('phrases in straight, curly and Arabic quotes', () => {
  assert.deepEqual(root('"وزارة الصحة"'), { kind: 'phrase', text: 'وزارة الصحة' });
  assert.deepEqual(root('«وزارة الصحة»'), { kind: 'phrase', text: 'وزارة الصحة' });
  assert.deepEqual(root('“a b”'), { kind: 'phrase', text: 'a b' });
});

test('NOT and leading minus; hyphenated words stay words', () => {
  assert.deepEqual(root('a -b'), {
    kind: 'and',
    children: [
      { kind: 'term', text: 'a' },
      { kind: 'not', child: { kind: 'term', text: 'b' } },
    ],
  });
  assert.deepEqual(root('a NOT b'), root('a -b'));
  assert.deepEqual(root('NOT NOT a'), { kind: 'term', text: 'a' });
  assert.deepEqual(root('al-Qaeda'), { kind: 'term', text: 'al-Qaeda' });
  assert.deepEqual(root('- a'), {
    kind: 'and',
    children: [
      { kind: 'term', text: '-' },
      { kind: 'term', text: 'a' },
    ],
  });
});

test('grouping and field prefixes', () => {
  assert.deepEqual(root('(a OR b) c'), {
    kind: 'and',
    children: [
      {
        kind: 'or',
        children: [
          { kind: 'term', text: 'a' },
          { kind: 'term', text: 'b' },
        ],
      },
      { kind: 'term', text: 'c' },
    ],
  });
  assert.deepEqual(root('headline:غزة'), { kind: 'term', text: 'غزة', field: 'headline' });
  assert.deepEqual(root('byline:"ياقوت دندشي"'), { kind: 'phrase', text: 'ياقوت دندشي', field: 'byline' });
  assert.deepEqual(root('dateline:(a OR b)'), {
    kind: 'or',
    children: [
      { kind: 'term', text: 'a', field: 'dateline' },
      { kind: 'term', text: 'b', field: 'dateline' },
    ],
  });
  assert.deepEqual(root('category:sport keyword:x title:y'), {
    kind: 'and',
    children: [
      { kind: 'term', text: 'sport', field: 'category' },
      { kind: 'term', text: 'x', field: 'keyword' },
      { kind: 'term', text: 'y', field: 'headline' },
    ],
  });
  assert.deepEqual(root('category:medtop:11000000'), { kind: 'term', text: 'medtop:11000000', field: 'category' });
});

test('whole-query filters: lang, date, urgency', () => {
  const p = parseQuery('غزة lang:ar,TR date:2026-01-01..2026-01-31 urgency:<=3');
  assert.deepEqual(p.root, { kind: 'term', text: 'غزة' });
  assert.deepEqual(p.filters, { languages: ['ar', 'tr'], from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', urgencyMax: 3 });
  assert.deepEqual(parseQuery('urgency:flash').filters, { urgencyMin: 1, urgencyMax: 1 });
  assert.deepEqual(parseQuery('urgency:2..4').filters, { urgencyMin: 2, urgencyMax: 4 });
  assert.deepEqual(parseDateRange('2026-02'), { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
  assert.deepEqual(parseDateRange('2026'), { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
  assert.deepEqual(parseDateRange('2026-01-15..'), { from: '2026-01-15T00:00:00.000Z' });
  assert.deepEqual(parseDateRange('..2026-01-15'), { to: '2026-01-16T00:00:00.000Z' });
  assert.deepEqual(parseDateRange('>=2026-01-15'), { from: '2026-01-15T00:00:00.000Z' });
  assert.equal(parseQuery('lang:ar date:2026').root, null, 'filters only: browse');
  assert.equal(parseQuery('').root, null);
  assert.equal(parseQuery('   ').root, null);
});

test('FTS5 syntax typed by users is just text', () => {
  assert.deepEqual(root('NEAR(a b)'), {
    kind: 'and',
    children: [
      { kind: 'term', text: 'NEAR' },
      {
        kind: 'and',
        children: [
          { kind: 'term', text: 'a' },
          { kind: 'term', text: 'b' },
        ],
      },
    ],
  });
  assert.deepEqual(root('a*'), { kind: 'term', text: 'a*' });
  assert.deepEqual(root('h:x'), { kind: 'term', text: 'h:x' });
  assert.deepEqual(root('{h b}:x'), {
    kind: 'and',
    children: [
      { kind: 'term', text: '{h' },
      { kind: 'term', text: 'b}:x' },
    ],
  });
  assert.deepEqual(root('a^2 +b'), {
    kind: 'and',
    children: [
      { kind: 'term', text: 'a^2' },
      { kind: 'term', text: '+b' },
    ],
  });
});

test('control characters are dropped, not fatal', () => {
  assert.deepEqual(root('a\u0000b\u0007 c'), {
    kind: 'and',
    children: [
      { kind: 'term', text: 'a' },
      { kind: 'term', text: 'b' },
      { kind: 'term', text: 'c' },
    ],
  });
});

const BAD: [string, RegExp][] = [
  ['"unclosed phrase', /quote at position 1 is never closed/],
  ['a «b', /never closed/],
  ['(a b', /"\(" at position 1 is never closed/],
  ['a b)', /"\)" at position 4 has no matching "\("/],
  [')', /no matching/],
  ['()', /empty/],
  ['OR', /OR at position 1 needs a search term before it/],
  ['a OR', /needs a search term after it/],
  ['OR a', /before it/],
  ['a OR OR b', /after it/],
  ['AND', /AND at position 1/],
  ['a AND', /after it/],
  ['NOT', /NOT at position 1 needs a search term after it/],
  ['a NOT', /NOT at position 3/],
  ['a OR -b', /cannot be one side of an OR/],
  ['headline:', /headline: needs a word/],
  ['headline: غزة', /headline: needs a word/],
  ['lang:', /lang: needs a value/],
  ['lang:arabic!', /not a language tag/],
  ['date:yesterday', /not a date or range/],
  ['date:2026-02-30', /not a date or range/],
  ['date:2026-02-01..2026-01-01', /ends before it starts/],
  ['urgency:0', /not an urgency/],
  ['urgency:high', /not an urgency/],
  ['a (lang:ar)', /cannot go inside parentheses/],
  ['lang:ar OR lang:tr', /cannot be one side of an OR/],
  ['-lang:ar', /cannot be excluded/],
  ['headline:(lang:ar)', /cannot go inside parentheses/],
  ['x'.repeat(10_000), new RegExp(`10000 characters long; the limit is ${MAX_QUERY_LENGTH}`)],
  [Array.from({ length: 70 }, (_, i) => `w${i}`).join(' '), /more than 64 search terms/],
  ['('.repeat(40) + 'a' + ')'.repeat(40), /nested too deeply/],
];

test('bad input gives a QuerySyntaxError with a readable message', () => {
  for (const [q, re] of BAD) {
    assert.throws(
      () => parseQuery(q),
      (e: unknown) => {
        assert.ok(e instanceof QuerySyntaxError, `${q.slice(0, 40)}: ${e}`);
        assert.match(e.message, re, q.slice(0, 40));
        return true;
      },
    );
  }
});
