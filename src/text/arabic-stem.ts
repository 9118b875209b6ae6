// Light stemming of folded Arabic words: article clusters, one vocabulary-checked proclitic, light10
// suffixes with a three-letter floor, and a protected list of names that are never cut.
import { normalizeArabic } from './arabic-normalize.ts';
import { PROTECTED_NAMES } from './arabic-names.ts';
import type { Vocabulary } from './types.ts';

/** Article clusters, longest first. وبال/ولل go beyond light10: "and with the", "and for the" are common in wire copy. */
const ARTICLES = ['وبال', 'ولل', 'وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
/** Single-letter proclitics: and, so, with, for, like. Only stripped when the archive knows the rest. */
const PROCLITICS = new Set(['و', 'ف', 'ب', 'ل', 'ك']);
/** light10 suffixes in Larkey's order (ة is already ه after folding, so ية/ة never fire but stay for fidelity). */
const SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ية', 'ه', 'ة', 'ي'];
const MIN_STEM = 3;

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

/** Stem of an already folded Arabic word. Non-Arabic strings come back unchanged. */
export function stemArabic(folded: string, opts: ArabicStemOptions = {}): string {
  const names = opts.protectedNames ?? DEFAULT_PROTECTED;
  const name = names.lookup(folded);
  if (name !== undefined) return name;

  let w = folded;
  let strippedArticle = false;
  for (const article of ARTICLES) {
    if (w.startsWith(article) && w.length - article.length >= 2) {
      w = w.slice(article.length);
      strippedArticle = true;
      break;
    }
  }
  // Bare ب/ل/و/ف/ك are where the usual stemmers go wrong both ways: blind stripping turns وزارة into
  // زار, never stripping loses بفلسطين. The archive decides: strip only if the rest is a word at
  // least as common as the whole.
  const vocab = opts.vocabulary;
  if (!strippedArticle && vocab && w.length > MIN_STEM && PROCLITICS.has(w[0])) {
    const rest = w.slice(1);
    const restFreq = vocab.frequency(rest);
    if (restFreq > 0 && restFreq >= vocab.frequency(w)) w = rest;
  }
  for (const suffix of SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= MIN_STEM) w = w.slice(0, -suffix.length);
  }
  return w;
}
