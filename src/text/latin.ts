// Turkish and English (and any other Latin/Cyrillic/Greek text) word folding.
import { foldDigits } from './digits.ts';
import { FORMAT_CONTROLS } from './arabic-normalize.ts';
import { porterStem } from './porter.ts';

const APOSTROPHE = /['’\u02bc]/;

/**
 * Turkish: locale-aware lowercasing (İ → i, I → ı) and the apostrophe that separates a proper noun
 * from its case suffix (İstanbul'da, Ankara'ya) so the name is what gets indexed.
 */
export function foldTurkish(word: string): string {
  const s = foldDigits(word.replace(FORMAT_CONTROLS, '').normalize('NFKC'));
  const cut = s.search(APOSTROPHE);
  const base = cut > 0 ? s.slice(0, cut) : s;
  return base.toLocaleLowerCase('tr');
}

/** English surface form: lowercase, possessive 's dropped, inner apostrophes closed up (don't → dont). */
export function foldEnglish(word: string): string {
  const s = foldDigits(word.replace(FORMAT_CONTROLS, '').normalize('NFKC')).replace(/İ/g, 'I').toLowerCase();
  return s.replace(/['’\u02bc]s$/, '').replace(/['’\u02bc]/g, '');
}

export function stemEnglish(term: string): string {
  return porterStem(term);
}

/** Any other language: fold case and width, no stemming. */
export function foldGeneric(word: string): string {
  // İ (dotted capital) would lowercase to i + combining dot; outside Turkish it is just i.
  return foldDigits(word.replace(FORMAT_CONTROLS, '').normalize('NFKC'))
    .replace(/İ/g, 'I')
    .toLowerCase()
    .replace(/['’\u02bc]/g, '');
}
