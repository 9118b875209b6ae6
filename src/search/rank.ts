// Field-aware ranking (issue 16). BM25 over the columns finds and orders the match set; the top of it
// is then re-ordered by WHERE the typed words stand. A reader who types words remembered from a
// headline is looking for that story, even when another story repeats one of the words, in the exact
// form typed, all through its body: column weights alone cannot say that, because BM25 adds up
// evidence word by word and a long body wins on volume. So the rule is stated on the headline itself:
// the share of the query's words found in it, and whether they stand together there.
import type { Token } from '../text/index.ts';
import type { MatchSet } from './snippet.ts';

/**
 * Chosen on the tuning corpus only (bench/search-tune.ts over ../shared/corpus/arabic-news.jsonl);
 * bench/search.ts reports them on the held-out corpus.
 */
export const RANK_WEIGHTS = {
  /** Score × (1 + headline, when the headline (or deck) holds every word typed … */
  headline: 1.0,
  /** … + together × words ÷ width of the narrowest headline window holding all of them). */
  together: 2.0,
  /** How many of BM25's best are re-ordered; pages beyond keep BM25's order. */
  depth: 50,
};
export type RankWeights = typeof RANK_WEIGHTS;

export interface HeadlineEvidence {
  /** Share of the query's words the headline holds (0…1). */
  share: number;
  /** 1 when all the words stand side by side (any order), less as they spread; 0 unless all are there. */
  together: number;
}

/** Which of the query's words a headline holds, and how close together. `words`: one match set per typed word. */
export function headlineEvidence(headline: Token[], words: MatchSet[]): HeadlineEvidence {
  const n = words.length;
  if (n === 0) return { share: 0, together: 0 };
  const hits: [position: number, word: number][] = [];
  for (const t of headline) {
    for (let i = 0; i < n; i++) if (words[i].terms.has(t.term) || words[i].stems.has(t.stem)) hits.push([t.position, i]);
  }
  const found = new Set(hits.map((h) => h[1])).size;
  if (found < n || n < 2) return { share: found / n, together: found === n ? 1 : 0 };
  // Narrowest window of positions holding every word at least once (hits are in position order).
  const seen = new Array<number>(n).fill(0);
  let covered = 0;
  let width = Infinity;
  for (let lo = 0, hi = 0; hi < hits.length; hi++) {
    if (seen[hits[hi][1]]++ === 0) covered++;
    while (covered === n) {
      width = Math.min(width, hits[hi][0] - hits[lo][0] + 1);
      if (--seen[hits[lo][1]] === 0) covered--;
      lo++;
    }
  }
  return { share: 1, together: Math.min(1, n / width) };
}

/**
 * The final relevance of a story from its BM25 score and its headline evidence. Only a headline
 * holding EVERY word earns the bonus: on the tuning corpus, rewarding a partial share pulled stories
 * that merely mention one rare word in their headline above the body-word story looked for.
 */
export function fieldAwareScore(bm25: number, ev: HeadlineEvidence, w: RankWeights = RANK_WEIGHTS): number {
  return ev.share < 1 ? bm25 : bm25 * (1 + w.headline + w.together * ev.together);
}
