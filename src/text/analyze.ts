// The one entry point: text + language → tokens with offsets into the original text.
import { hasArabicScript, normalizeArabic } from './arabic-normalize.ts';
import { stemArabic, type ProtectedNames } from './arabic-stem.ts';
import { foldEnglish, foldGeneric, foldTurkish, stemEnglish } from './latin.ts';
import type { AnalyzeOptions, Token } from './types.ts';

/**
 * A written word: starts on a letter, mark or digit; may carry marks, tatweel and invisible controls
 * inside (a RLM or ZWNJ must not cut a word); apostrophes only between letters (İstanbul'da); digit
 * group separators only between digits (٩٬٢٠٠، 3.5).
 */
const WORD =
  /[\p{L}\p{M}\p{Nd}](?:[\p{L}\p{M}\p{Nd}\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad]|['’\u02bc](?=\p{L})|(?<=\p{Nd})[.,\u066b\u066c](?=\p{Nd}))*/gu;
const TRAILING_CONTROL = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad]+$/u;
const PIECE = /[\p{L}\p{Nd}]+/gu;

function isControl(c: number): boolean {
  return (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x061c || c === 0xfeff || c === 0x00ad;
}

type Family = 'ar' | 'tr' | 'en' | 'other';

export function languageFamily(lang: string | undefined): Family {
  const primary = (lang ?? '').split(/[-_]/)[0].toLowerCase();
  if (primary === 'ar' || primary === 'fa' || primary === 'ur') return 'ar';
  if (primary === 'tr' || primary === 'az') return 'tr';
  if (primary === 'en') return 'en';
  return 'other';
}

/**
 * Folding is pure and news vocabulary is Zipfian: caching raw word → folded pieces pays for itself
 * (a snippet re-analyzes ten bodies per search). Arabic-script words fold the same in every language.
 */
const foldCache = new Map<string, string[]>();
const FOLD_CACHE_MAX = 300_000;
const FAMILY_KEY: Record<Family, string> = { ar: '\u0001', tr: '\u0002', en: '\u0003', other: '\u0004' };
const WHOLE = /^[\p{L}\p{Nd}]+$/u;

function fold(raw: string, family: Family): string[] {
  const key = FAMILY_KEY[family] + raw;
  let pieces = foldCache.get(key);
  if (pieces !== undefined) return pieces;
  let folded: string;
  if (hasArabicScript(raw)) folded = normalizeArabic(raw);
  else if (family === 'tr') folded = foldTurkish(raw);
  else if (family === 'en') folded = foldEnglish(raw);
  else folded = foldGeneric(raw);
  // After folding, a word may still hold separators (NFKC of ﷺ, a decimal point): split on them.
  pieces = !folded ? [] : WHOLE.test(folded) ? [folded] : (folded.match(PIECE) ?? []);
  if (foldCache.size >= FOLD_CACHE_MAX) foldCache.clear();
  foldCache.set(key, pieces);
  return pieces;
}

export interface FullAnalyzeOptions extends AnalyzeOptions {
  protectedNames?: ProtectedNames;
  /** False to skip stemming (stem = term): the index counts surface forms before it stems. */
  stems?: boolean;
  /**
   * Term → stem memo owned by the caller. Stems depend on the vocabulary, so only the caller knows
   * how long one stays good (the index keeps one per vocabulary state).
   */
  stemCache?: Map<string, string>;
}

const STEM_CACHE_MAX = 500_000;

function cachedStem(term: string, lang: string, opts: FullAnalyzeOptions): string {
  const cache = opts.stemCache;
  if (!cache) return stemTerm(term, lang, opts);
  const key = term.charCodeAt(0) >= 0x0600 ? term : lang + '\u0000' + term;
  let stem = cache.get(key);
  if (stem === undefined) {
    stem = stemTerm(term, lang, opts);
    if (cache.size >= STEM_CACHE_MAX) cache.clear();
    cache.set(key, stem);
  }
  return stem;
}

/** Stem of one folded piece. Arabic-script words get Arabic stemming whatever the story language. */
export function stemTerm(term: string, lang: string, opts: FullAnalyzeOptions = {}): string {
  if (hasArabicScript(term)) return stemArabic(term, opts);
  const family = languageFamily(lang);
  if (family === 'en') return stemEnglish(term);
  return term;
}

/**
 * Analyze a text in a language (BCP 47 tag of the story, or of the query). Words in Arabic script are
 * always treated as Arabic, so Arabic quotes in English copy and Latin brand names in Arabic copy both work.
 */
export function analyze(text: string, lang: string, opts: FullAnalyzeOptions = {}): Token[] {
  const family = languageFamily(lang);
  const tokens: Token[] = [];
  let position = 0;
  const stems = opts.stems !== false;
  for (const m of text.matchAll(WORD)) {
    let raw = m[0];
    if (isControl(raw.charCodeAt(raw.length - 1))) raw = raw.replace(TRAILING_CONTROL, '');
    const start = m.index!;
    const end = start + raw.length;
    for (const piece of fold(raw, family)) {
      tokens.push({ term: piece, stem: stems ? cachedStem(piece, lang, opts) : piece, position: position++, start, end });
    }
  }
  return tokens;
}

/**
 * Spans [start, end) of the written words of `text` that `accepts` (one of the word's folded pieces, with
 * its stem), in order: the spans `analyze` then a filter over its tokens would give, without building
 * the tokens. `memo` (written word → verdict) belongs to the caller, for one language and one `accepts`:
 * a page of snippets repeats most of its words, and looking a word up once is what makes it cheap.
 */
export function acceptedWordSpans(
  text: string,
  lang: string,
  opts: FullAnalyzeOptions,
  accepts: (term: string, stem: string) => boolean,
  memo: Map<string, boolean>,
): [number, number][] {
  const family = languageFamily(lang);
  const spans: [number, number][] = [];
  const analyzed = wordCacheOf(opts.stemCache, lang);
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    let raw = m[0];
    if (isControl(raw.charCodeAt(raw.length - 1))) raw = raw.replace(TRAILING_CONTROL, '');
    let accepted: boolean | undefined;
    if (analyzed) {
      // One look-up per written word (its pieces and stems, kept while the stems hold) instead of a
      // verdict memo, a fold look-up and a stem look-up per piece: the word walk is most of a snippet.
      let word = analyzed.get(raw);
      if (word === undefined) {
        const pieces = fold(raw, family);
        word = { pieces, stems: pieces.map((piece) => cachedStem(piece, lang, opts)) };
        if (analyzed.size >= WORD_CACHE_MAX) analyzed.clear();
        analyzed.set(raw, word);
      }
      accepted = false;
      for (let i = 0; i < word.pieces.length && !accepted; i++) accepted = accepts(word.pieces[i], word.stems[i]);
    } else {
      accepted = memo.get(raw);
      if (accepted === undefined) {
        accepted = fold(raw, family).some((piece) => accepts(piece, cachedStem(piece, lang, opts)));
        memo.set(raw, accepted);
      }
    }
    if (accepted) spans.push([m.index, m.index + raw.length]);
  }
  return spans;
}

/**
 * Written word → its folded pieces and their stems, per language, for as long as the stem memo they
 * were stemmed with is in use (stems depend on the archive's vocabulary; the memo's owner replaces
 * it when they may move). The same analysis `fold` and `cachedStem` cache, in one look-up.
 */
const wordCaches = new WeakMap<Map<string, string>, Map<string, Map<string, { pieces: string[]; stems: string[] }>>>();
const WORD_CACHE_MAX = 100_000;

function wordCacheOf(stemCache: Map<string, string> | undefined, lang: string): Map<string, { pieces: string[]; stems: string[] }> | null {
  if (!stemCache) return null;
  let byLang = wordCaches.get(stemCache);
  if (!byLang) wordCaches.set(stemCache, (byLang = new Map()));
  let words = byLang.get(lang);
  if (!words) byLang.set(lang, (words = new Map()));
  return words;
}

/** Drops the written words cached with `stemCache`: for an owner that takes stems back out of its memo. */
export function forgetCachedWords(stemCache: Map<string, string>): void {
  wordCaches.delete(stemCache);
}

/**
 * The tokens of `analyze(text, lang, { stems: false })` stemmed as `analyze(text, lang, opts)` would
 * have stemmed them (each piece's stem depends on the piece alone): a text tokenized once serves both
 * the vocabulary counts and, once they are added, the stemmed index columns.
 */
export function stemTokens(tokens: readonly Token[], lang: string, opts: FullAnalyzeOptions): Token[] {
  return tokens.map((t) => ({ ...t, stem: cachedStem(t.term, lang, opts) }));
}

/** Folded surface forms only (no stemming, no offsets): what the vocabulary table counts. */
export function surfaceTerms(text: string, lang: string): string[] {
  return analyze(text, lang, { stems: false }).map((t) => t.term);
}
