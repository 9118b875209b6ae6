// Light stemming of folded Arabic words: article clusters, one vocabulary-checked proclitic, light10
// suffixes with a three-letter floor, and a protected list of names that are never cut.
import { normalizeArabic } from './arabic-normalize.ts';
import { PROTECTED_NAMES } from './arabic-names.ts';
import type { Vocabulary } from './types.ts';

/** Article clusters, longest first. وبال/ولل go beyond light10: "and with the", "and for the" are common in wire copy. */
const ARTICLES = ['وبال', 'ولل', 'وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
/** Conjunctions come first in a clitic stack (وبحماية، فلقد), prepositions second. */
const CONJUNCTIONS = new Set(['و', 'ف']);
const PREPOSITIONS = new Set(['ب', 'ل', 'ك']);
/**
 * The light10 suffixes, taken in the order Arabic stacks them — pronoun (ها، ه), then plural or dual
 * (ان ات ون ين), then nisba (يه، ي) — at most one of each. light10 runs its list once in a fixed order,
 * which cuts ترفيهية to ترف but ترفيهي to ترفيه, and keeps سياراته apart from سيارات.
 */
const SUFFIX_SLOTS = [
  ['ها', 'ه'],
  ['ان', 'ات', 'ون', 'ين'],
  ['يه', 'ي'],
];
const MIN_STEM = 3;

/** Tuning knobs, exported for the benchmark's ablations only. */
export const STEM_TUNING = {
  /** و/ف: strip when freq(rest) ≥ ratio × freq(word). The rule is 1 ("at least as frequent"). */
  conjunctionRatio: 1,
  /** ب/ك whose rest is never seen with the article: strip only when the rest is this many times as frequent. */
  nounOnlyRatio: 10,
};

/** Prefixes a protected name may carry in copy: بفلسطين، للبنان، والسودان، وبالبحرين. */
const NAME_PREFIXES = ['', 'و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'فب', 'فل', 'ال', 'وال', 'فال', 'بال', 'كال', 'لل', 'ولل', 'وبال'];

/** Folded form → the stem it always gets. Names with the article answer to both البحرين and بحرين. */
export class ProtectedNames {
  private readonly stems = new Map<string, string>();

  constructor(names: Iterable<string> = PROTECTED_NAMES) {
    for (const name of names) this.add(name);
  }

  add(name: string): void {
    for (const word of name.split(/\s+/)) {
      const folded = normalizeArabic(word);
      if (!folded) continue;
      // الله is the one name where ال is not an article to drop.
      const bare = folded.startsWith('ال') && folded.length > 4 ? folded.slice(2) : folded;
      this.stems.set(folded, bare);
      this.stems.set(bare, bare);
    }
  }

  /** The protected stem of a folded word, looking through the prefixes a name takes in copy. */
  lookup(folded: string): string | undefined {
    for (const prefix of NAME_PREFIXES) {
      if (prefix && !folded.startsWith(prefix)) continue;
      const hit = this.stems.get(folded.slice(prefix.length));
      if (hit !== undefined && folded.length - prefix.length >= 2) return hit;
    }
    return undefined;
  }
}

export const DEFAULT_PROTECTED = new ProtectedNames();

export interface ArabicStemOptions {
  vocabulary?: Vocabulary;
  protectedNames?: ProtectedNames;
}

function stripProclitic(w: string, set: Set<string>, ratio: number, vocab: Vocabulary): string {
  if (w.length <= MIN_STEM || !set.has(w[0])) return w;
  const rest = w.slice(1);
  const restFreq = vocab.frequency(rest);
  if (restFreq === 0) return w;
  const wordFreq = vocab.frequency(w);
  if (restFreq < ratio * wordFreq) return w;
  const nounOnly = w[0] === 'ب' || w[0] === 'ك';
  if (nounOnly && vocab.frequency('ال' + rest) === 0 && restFreq < STEM_TUNING.nounOnlyRatio * wordFreq) return w;
  return rest;
}

/** Stem of an already folded Arabic word. Non-Arabic strings come back unchanged. */
export function stemArabic(folded: string, opts: ArabicStemOptions = {}): string {
  const names = opts.protectedNames ?? DEFAULT_PROTECTED;
  const name = names.lookup(folded);
  if (name !== undefined) return name;

  const vocab = opts.vocabulary;
  let w = folded;
  let strippedArticle = false;
  for (const article of ARTICLES) {
    if (w.startsWith(article) && w.length - article.length >= 2) {
      const rest = w.slice(article.length);
      w = rest;
      // للاعبين is لِ + لاعبين, not لِ + ال + اعبين: when the archive knows the ل-word better than the
      // ال-word, only the preposition goes.
      if (article.endsWith('لل') && vocab) {
        const lWord = 'ل' + rest;
        if (vocab.frequency(lWord) > vocab.frequency('ال' + rest)) w = lWord;
      }
      strippedArticle = true;
      break;
    }
  }
  // Bare و ف ب ل ك are where the usual stemmers go wrong both ways: blind stripping turns وزارة into
  // زار, never stripping loses بفلسطين. The archive decides: strip only if the rest is a word at
  // least as common as the whole. ب and ك only ever go on nouns: their rest must also be seen with
  // the article, or dwarf the whole word (بترمب/ترمب), which keeps بلدية from becoming لديه "he has"
  // and كيري from يري "sees".
  if (!strippedArticle && vocab) {
    w = stripProclitic(w, CONJUNCTIONS, STEM_TUNING.conjunctionRatio, vocab);
    w = stripProclitic(w, PREPOSITIONS, 1, vocab);
  }
  for (const slot of SUFFIX_SLOTS) {
    for (const suffix of slot) {
      if (w.endsWith(suffix) && w.length - suffix.length >= MIN_STEM) {
        w = w.slice(0, -suffix.length);
        break;
      }
    }
  }
  return w;
}
