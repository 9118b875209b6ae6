// The field-aware ranking rule (issue 16): a story whose headline holds every word typed comes before
// one that only has them in its body, and more so when the words stand together in the headline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchIndex } from '../../src/search/index.ts';
import { fieldAwareScore, headlineEvidence, RANK_WEIGHTS } from '../../src/search/rank.ts';
import { analyze } from '../../src/text/index.ts';
import { tempDb, version } from './helpers.ts';

/** Runs `fn` on an index of the given stories, in a temporary database removed afterwards. */
function withIndex(stories: ReturnType<typeof version>[], opts: ConstructorParameters<typeof SearchIndex>[1], fn: (ix: SearchIndex) => void): void {
  const { db, cleanup } = tempDb();
  try {
    const ix = new SearchIndex(db, opts);
    db.transaction(() => stories.forEach((v) => ix.indexVersion(v)))();
    fn(ix);
  } finally {
    cleanup();
  }
}

const word = (term: string) => {
  const t = analyze(term, 'ar')[0];
  return { terms: new Set([t.term]), stems: new Set([t.stem]) };
};

test('headline evidence: share of the words, and how close they stand', () => {
  const words = [word('وزير'), word('الزراعة')];
  const adjacent = headlineEvidence(analyze('الوزير الزراعة يزور المزارع', 'ar'), words);
  assert.deepEqual(adjacent, { share: 1, together: 1 });
  const reversed = headlineEvidence(analyze('الزراعة الوزير الجديد', 'ar'), words);
  assert.equal(reversed.together, 1, 'any order counts as together');
  const apart = headlineEvidence(analyze('وزير يزور اليوم قرى الزراعة', 'ar'), words);
  assert.equal(apart.share, 1);
  assert.equal(apart.together, 2 / 5);
  const half = headlineEvidence(analyze('وزير المالية يستقيل', 'ar'), words);
  assert.deepEqual(half, { share: 0.5, together: 0 });
  assert.equal(fieldAwareScore(10, half), 10, 'a partial headline earns no bonus');
  assert.ok(fieldAwareScore(10, adjacent) > fieldAwareScore(10, apart));
  assert.ok(fieldAwareScore(10, apart) > 10);
  assert.equal(fieldAwareScore(10, adjacent, { ...RANK_WEIGHTS, headline: 0, together: 0 }), 10);
});

// Invented copy. The body-only story repeats the exact forms typed; the headline story has other
// inflections of them, in its headline only. BM25 alone prefers the body (volume and exact forms).
const bodyOnly = version(
  'body-only',
  {
    headline: 'اجتماع في العاصمة',
    text:
      'ناقش المجلس المشروعات الزراعية. وقال المزارعون إن المشروعات الزراعية تأخرت، وإن المشروعات الزراعية تحتاج تمويلا، ' +
      'وطالبوا بإنجاز المشروعات الزراعية قبل الصيف.',
  },
  '2026-01-02T09:00:00Z',
);
const headlineStory = version(
  'headline',
  {
    headline: 'الحكومة تطلق المشروع الزراعي في الشمال',
    text: 'أعلنت الحكومة خطة جديدة تشمل عدة محافظات في الشمال والجنوب لدعم المزارعين بالمياه.',
  },
  '2026-01-01T09:00:00Z',
);

test('a story with every word in its headline outranks one with them only in the body', () => {
  withIndex([bodyOnly, headlineStory], {}, (ix) => {
    assert.deepEqual(
      ix.search('المشروعات الزراعية').hits.map((h) => h.storyId),
      ['headline', 'body-only'],
    );
  });
  // The same stories with the rule switched off: BM25 alone puts the body first, so the test above
  // checks the rule, not an accident of the copy.
  withIndex([bodyOnly, headlineStory], { rank: { headline: 0, together: 0 } }, (ix) => {
    assert.deepEqual(
      ix.search('المشروعات الزراعية').hits.map((h) => h.storyId),
      ['body-only', 'headline'],
    );
  });
});

test('phrase bonus: words standing together in the headline rank above the same words spread out', () => {
  // Same words, same lengths: BM25 ties (the in-order phrase boost matches neither: the together
  // story has them reversed), so without the rule the newer, spread-out story would come first.
  const together = version('together', { headline: 'الزراعة وزير يزور اليوم قرى الشمال', text: 'خبر قصير.' }, '2026-01-01T09:00:00Z');
  const apart = version('apart', { headline: 'وزير يزور اليوم قرى الشمال الزراعة', text: 'خبر قصير.' }, '2026-01-02T09:00:00Z');
  withIndex([together, apart], {}, (ix) => {
    assert.deepEqual(
      ix.search('وزير الزراعة').hits.map((h) => h.storyId),
      ['together', 'apart'],
    );
  });
  withIndex([together, apart], { rank: { headline: 0, together: 0 } }, (ix) => {
    assert.deepEqual(
      ix.search('وزير الزراعة').hits.map((h) => h.storyId),
      ['apart', 'together'],
    );
  });
});

test('field-aware order holds across pages, also past the re-ranked depth', () => {
  const stories = Array.from({ length: 30 }, (_, i) =>
    version(
      `b${i}`,
      {
        headline: `تقرير رقم ${i}`,
        text: 'المشروعات الزراعية '.repeat(1 + (i % 5)) + 'في المحافظات.',
      },
      `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00Z`,
    ),
  );
  withIndex([...stories, headlineStory], { rank: { depth: 10 } }, (ix) => {
    const all = ix.search('المشروعات الزراعية', { limit: 31 }).hits.map((h) => h.storyId);
    const paged = [0, 7, 14, 21, 28].flatMap((offset) => ix.search('المشروعات الزراعية', { limit: 7, offset }).hits.map((h) => h.storyId));
    assert.deepEqual(paged, all, 'pages, including one across the re-ranked depth, line up with one long page');
    assert.equal(new Set(all).size, 31);
    const allowed = ix.search('المشروعات الزراعية', { limit: 31, allowed: () => true }).hits.map((h) => h.storyId);
    assert.deepEqual(allowed, all, 'the entitlement-predicate path ranks the same way');
  });
  withIndex([...stories, headlineStory], {}, (ix) => {
    assert.equal(ix.search('المشروعات الزراعية').hits[0].storyId, 'headline', 'within the default depth the headline story leads');
  });
});

test('the deck weighs like the headline, not like the body', () => {
  const inDeck = version('deck', { headline: 'تقرير اليوم', deck: 'المشروعات الزراعية في الشمال', text: 'نص قصير عن الموسم.' }, '2026-01-01T09:00:00Z');
  const inBody = version('body', { headline: 'تقرير اليوم', text: 'المشروعات الزراعية في الشمال. نص قصير عن الموسم.' }, '2026-01-02T09:00:00Z');
  withIndex([inDeck, inBody], { rank: { headline: 0, together: 0 } }, (ix) => {
    assert.deepEqual(
      ix.search('المشروعات الزراعية').hits.map((h) => h.storyId),
      ['deck', 'body'],
    );
    assert.deepEqual(
      ix.search('headline:الزراعية').hits.map((h) => h.storyId),
      ['deck'],
    );
    assert.match(ix.search('المشروعات').hits[0].snippetHtml, /<mark>المشروعات<\/mark>/, 'the snippet still shows the deck');
  });
});

test('a match set smaller than the re-ranked depth gives the same total and facets as the grouped count', () => {
  const stories = Array.from({ length: 12 }, (_, i) =>
    version(
      `f${i}`,
      {
        headline: `تقرير رقم ${i}`,
        text: 'المشروعات الزراعية في المحافظات.',
        categories: [i % 3 ? 'economy' : 'politics'],
        urgency: ([3, 4, 5] as const)[i % 3],
      },
      `2026-0${1 + (i % 3)}-10T09:00:00Z`,
    ),
  );
  let small: ReturnType<SearchIndex['search']> | undefined;
  withIndex([...stories, headlineStory], {}, (ix) => {
    small = ix.search('المشروعات الزراعية', { limit: 5 });
  });
  withIndex([...stories, headlineStory], { rank: { depth: 2 } }, (ix) => {
    const grouped = ix.search('المشروعات الزراعية', { limit: 5 });
    assert.equal(small!.total, 13);
    assert.equal(grouped.total, 13);
    assert.deepEqual(small!.facets, grouped.facets);
  });
});
