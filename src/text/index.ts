// Public face of the text-analysis layer.
export type { Token, Vocabulary, AnalyzeOptions } from './types.ts';
export { analyze, acceptedWordSpans, forgetCachedWords, stemTerm, stemTokens, surfaceTerms, languageFamily, type FullAnalyzeOptions } from './analyze.ts';
export { normalizeArabic, hasArabicScript } from './arabic-normalize.ts';
export { stemArabic, ProtectedNames, DEFAULT_PROTECTED } from './arabic-stem.ts';
export { PROTECTED_NAMES } from './arabic-names.ts';
export { foldTurkish, foldEnglish, foldGeneric } from './latin.ts';
export { porterStem } from './porter.ts';
export { detectLanguage } from './detect.ts';
export { SynonymTable, DEFAULT_SYNONYMS } from './synonyms.ts';
export { foldDigits } from './digits.ts';
