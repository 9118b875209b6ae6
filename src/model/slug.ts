// URL slugs from headlines and category names. Letters of every script are kept (an Arabic headline
// gives an Arabic slug, which browsers show readably); casing is locale-aware so Turkish `İstanbul`
// becomes `istanbul`, not the `i̇stanbul` (i + combining dot) that a locale-blind toLowerCase gives.

const MAX_WORDS = 10;
const MAX_LENGTH = 80;

/** A slug for `text` in `language`: lower case, words joined by `-`, no punctuation; `story` when empty. */
export function slugify(text: string, language = 'en', fallback = 'story'): string {
  const words = text
    .normalize('NFKC')
    .toLocaleLowerCase(language.split('-')[0])
    // Arabic diacritics and tatweel are reading aids, not part of the word a reader types.
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > MAX_LENGTH) break;
    slug = next;
  }
  return slug || fallback;
}
