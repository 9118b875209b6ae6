// Shared shapes of the text-analysis layer. Kept apart so search and storage import types only.

/** One word of a text as the index sees it. */
export interface Token {
  /** Normalized surface form: what an exact match compares. */
  term: string;
  /** Light stem: what a loose match compares. Equal to `term` when nothing was stripped. */
  stem: string;
  /** Word position, 0-based, shared by every token cut from the same written word. */
  position: number;
  /** UTF-16 offsets into the ORIGINAL text, so highlights land on diacritized, tatweel-laden words. */
  start: number;
  end: number;
}

/**
 * How often a normalized word form occurs in the archive. The Arabic proclitic rule asks it whether
 * `بفلسطين` minus `ب` is a word the archive actually uses; storage decides where the counts live.
 */
export interface Vocabulary {
  frequency(term: string): number;
}

export interface AnalyzeOptions {
  vocabulary?: Vocabulary;
}
