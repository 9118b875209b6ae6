// Field-aware ranking (issue 16). BM25 over the columns finds and orders the match set; the top of it
// is then re-ordered by WHERE the typed words stand. A reader who types words remembered from a
// headline is looking for that story, even when another story repeats one of the words, in the exact
// form typed, all through its body: column weights alone cannot say that, because BM25 adds up
// evidence word by word and a long body wins on volume. So the rule is stated on the headline itself:
// the share of the query's words found in it, and whether they stand together there.
import { analyze, hasArabicScript, normalizeArabic, type FullAnalyzeOptions, type Token } from '../text/index.ts';
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

/**
 * BM25's best rows re-scored by their headlines (fieldAwareScore); ties keep BM25's order. Both stores
 * rank with one of these. The headlines it analyzes are kept until the stems move (a new stem memo), so
 * the page's highlight can reuse them (`tokensOf`).
 */
export class HeadlineRanker {
  private tokens = new Map<string, Token[]>();
  private tokensFor: unknown = null;

  constructor(private readonly weights: RankWeights = RANK_WEIGHTS) {}

  rank<R extends { language: string; score: number }>(rows: R[], words: MatchSet[], headlineOf: (r: R) => string, opts: FullAnalyzeOptions): R[] {
    // Re-ranking reads up to `depth` headlines a query; analyzed ones are kept until the stems move.
    if (this.tokensFor !== opts.stemCache || this.tokens.size > 50_000) {
      this.tokens = new Map();
      this.tokensFor = opts.stemCache;
    }
    // Only a headline holding every word earns anything, and an Arabic term or stem is a substring
    // of its folded word: a headline missing one of them as a substring is not analyzed at all.
    const arabic = words.every((w) => [...w.terms, ...w.stems].every(hasArabicScript));
    return rows
      .map((r, i) => {
        const head = headlineOf(r);
        if (arabic) {
          const folded = normalizeArabic(head);
          if (!words.every((w) => [...w.terms, ...w.stems].some((n) => folded.includes(n)))) return { r, i };
        }
        const key = r.language + '\u0000' + head;
        let tokens = this.tokens.get(key);
        if (!tokens) this.tokens.set(key, (tokens = analyze(head, r.language, opts)));
        const score = fieldAwareScore(r.score, headlineEvidence(tokens, words), this.weights);
        return { r: { ...r, score }, i };
      })
      .sort((a, b) => b.r.score - a.r.score || a.i - b.i)
      .map((x) => x.r);
  }

  /** The tokens of a headline analyzed while ranking, if its stems are still current. */
  tokensOf(language: string, headline: string, opts: FullAnalyzeOptions): Token[] | undefined {
    return this.tokensFor === opts.stemCache ? this.tokens.get(language + '\u0000' + headline) : undefined;
  }
}
