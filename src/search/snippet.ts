// Highlighted snippets cut from the ORIGINAL text: the analyzer's offsets point at the written word,
// harakat and tatweel included, so <mark> wraps exactly what the reader sees.
import { hasArabicScript, normalizeArabic, type FullAnalyzeOptions, type Token } from '../text/index.ts';

export interface MatchSet {
  terms: Set<string>;
  stems: Set<string>;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function isMatch(t: Token, m: MatchSet): boolean {
  return m.terms.has(t.term) || m.stems.has(t.stem);
}

/** Spans [start, end) of matching words, merged when one written word gave several tokens. */
export function matchSpans(tokens: Token[], m: MatchSet): [number, number][] {
  const spans: [number, number][] = [];
  for (const t of tokens) {
    if (!isMatch(t, m)) continue;
    const last = spans[spans.length - 1];
    if (last && last[0] === t.start) continue;
    spans.push([t.start, t.end]);
  }
  return spans;
}

/** Text with <mark> around the spans; everything else escaped. Spans must be sorted and disjoint. */
export function markHtml(text: string, spans: [number, number][], from = 0, to = text.length): string {
  let out = '';
  let at = from;
  for (const [s, e] of spans) {
    if (e <= from || s >= to) continue;
    out += escapeHtml(text.slice(at, s)) + '<mark>' + escapeHtml(text.slice(s, e)) + '</mark>';
    at = e;
  }
  return out + escapeHtml(text.slice(at, to));
}

/**
 * The window of about `length` characters holding the most matches, widened to word boundaries, as
 * escaped HTML with <mark>. Falls back to the opening of the text when nothing matches.
 */
export function snippetHtml(text: string, spans: [number, number][], length = 200): string {
  if (!text) return '';
  let bestStart = 0;
  let bestCount = 0;
  for (let i = 0, j = 0; i < spans.length; i++) {
    while (j < spans.length && spans[j][1] <= spans[i][0] + length) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      bestStart = spans[i][0];
    }
  }
  // A little lead-in so the first mark is not glued to the ellipsis.
  let from = bestCount ? Math.max(0, bestStart - Math.floor(length / 5)) : 0;
  let to = Math.min(text.length, from + length);
  if (from > 0) {
    const space = text.lastIndexOf(' ', from);
    from = space >= 0 && from - space < 30 ? space + 1 : from;
    // Never cut a surrogate pair or start inside a marked span.
    if (/[\udc00-\udfff]/.test(text[from] ?? '')) from++;
  }
  if (to < text.length) {
    const space = text.indexOf(' ', to);
    to = space >= 0 && space - to < 30 ? space : to;
    if (/[\ud800-\udbff]/.test(text[to - 1] ?? '')) to--;
  }
  for (const [s, e] of spans) if (s < to && e > to) to = e;
  for (const [s, e] of spans) if (s < from && e > from) from = s;
  const html = markHtml(text, spans, from, to).replace(/\s+/g, ' ').trim();
  return (from > 0 ? '… ' : '') + html + (to < text.length ? ' …' : '');
}

/** Match spans of a text in a language, for the highlight of one results page. */
export type SpansOf = (text: string, lang: string, opts: FullAnalyzeOptions) => [number, number][];

/**
 * Match spans of a story's body, a slice at a time: the snippet needs only the first slice with a match.
 * Most stories match in their opening lines, so a first slice of a few snippet lengths saves analyzing
 * ten long bodies on every page. Arabic stems and terms are substrings of the folded word they came from,
 * so a slice whose folded text contains none of them cannot match and is not analyzed (a story found by
 * its headline alone otherwise had its whole body analyzed for nothing).
 */
export function bodySpansOf(
  body: string,
  lang: string,
  highlight: MatchSet,
  opts: FullAnalyzeOptions,
  spansOf: SpansOf,
  snippetLength: number,
): [number, number][] {
  const needles = [...highlight.terms, ...highlight.stems];
  const prefilter = needles.length > 0 && needles.every(hasArabicScript);
  for (let from = 0, slice = 3 * snippetLength; from < body.length; slice = 2000) {
    let to = Math.min(body.length, from + slice);
    if (to < body.length) {
      const space = body.indexOf(' ', to);
      to = space < 0 ? body.length : space;
    }
    if (prefilter) {
      const folded = normalizeArabic(body.slice(from, to));
      if (!needles.some((n) => folded.includes(n))) {
        from = to;
        continue;
      }
    }
    const spans = spansOf(body.slice(from, to), lang, opts);
    if (spans.length) return spans.map(([a, b]) => [a + from, b + from]);
    from = to;
  }
  return [];
}
