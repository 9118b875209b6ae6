// Language of a short query, from its script and a few letters only Turkish uses among Latin scripts.
import { hasArabicScript } from './arabic-normalize.ts';

const ARABIC_LETTER = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]/gu;
const LATIN_LETTER = /[A-Za-z\u00c0-\u024f]/gu;
const TURKISH_ONLY = /[ğĞıİşŞ]/u;
const TURKISH_COMMON = /\b(ve|bir|bu|için|ile|da|de|olarak|haber|türkiye|cumhurbaşkanı)\b/iu;

/** `ar`, `tr`, `en`, or `und` when there is no letter to go by. Script majority decides mixed text. */
export function detectLanguage(text: string): string {
  if (!hasArabicScript(text) && !LATIN_LETTER.test(text)) return 'und';
  LATIN_LETTER.lastIndex = 0;
  const arabic = text.match(ARABIC_LETTER)?.length ?? 0;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  if (arabic >= latin && arabic > 0) return 'ar';
  if (TURKISH_ONLY.test(text) || (/[çöü]/iu.test(text) && TURKISH_COMMON.test(text))) return 'tr';
  return 'en';
}
