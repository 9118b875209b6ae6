// acceptedWordSpans (the snippet word walk) must give exactly the spans of analyze + a filter over
// its tokens, and its per-word cache must never outlive the stem memo the words were stemmed with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptedWordSpans, analyze, type FullAnalyzeOptions } from '../../src/text/index.ts';

const TEXT =
  'قالَ وزيرُ الخارجيّة إنّ المفاوضات ستُستأنف في الرياض، وأضاف الوزير: «لا تراجع». ' + 'The minister’s talks resume; İstanbul’da görüşme ١٢٫٥ ‏بالمئة 3.5 percent.';

/** The reference: every token analyze gives, filtered, merged per written word (as matchSpans does). */
function reference(text: string, lang: string, opts: FullAnalyzeOptions, accepts: (t: string, s: string) => boolean): [number, number][] {
  const spans: [number, number][] = [];
  for (const t of analyze(text, lang, opts)) {
    if (!accepts(t.term, t.stem)) continue;
    if (spans.length && spans[spans.length - 1][0] === t.start) continue;
    spans.push([t.start, t.end]);
  }
  return spans;
}

test('the word walk gives the spans analyze gives, with and without a stem memo, page after page', () => {
  const tokens = analyze(TEXT, 'ar', {});
  // Accept every other distinct stem, then the rest: two "pages" over the same words and caches.
  const stems = [...new Set(tokens.map((t) => t.stem))];
  const pages = [new Set(stems.filter((_, i) => i % 2 === 0)), new Set(stems.filter((_, i) => i % 2 === 1)), new Set(['وزير', 'minist'])];
  for (const lang of ['ar', 'en', 'tr']) {
    const stemCache = new Map<string, string>();
    for (const wanted of pages) {
      const accepts = (_term: string, stem: string) => wanted.has(stem);
      for (const opts of [{ stemCache }, {}] as FullAnalyzeOptions[]) {
        const got = acceptedWordSpans(TEXT, lang, opts, accepts, new Map());
        assert.deepEqual(got, reference(TEXT, lang, opts, accepts), `lang ${lang}, ${opts.stemCache ? 'with' : 'without'} a stem memo`);
      }
    }
  }
});

test('a new stem memo means the words are stemmed again (cached pieces never outlive their memo)', () => {
  const text = 'المفاوضات في الرياض';
  const accepts = (_term: string, stem: string) => stem === 'STALE';
  // A memo that says (wrongly, on purpose) that every piece stems to STALE: the walk must use it…
  const stale = new Map<string, string>();
  for (const t of analyze(text, 'ar', {})) stale.set(t.term, 'STALE');
  assert.equal(acceptedWordSpans(text, 'ar', { stemCache: stale }, accepts, new Map()).length, 3);
  // …and once the memo is replaced (as the vocabulary does when stems may move), nothing of it is left.
  assert.deepEqual(acceptedWordSpans(text, 'ar', { stemCache: new Map() }, accepts, new Map()), []);
});
