// Arabic orthographic folding: the many ways one word is typed become one string.
// Facts and the table come from /shared/design/arabic-text.md.
import { asciiDigit } from './digits.ts';

/** Format and bidi controls: invisible, but they split or poison words when left in. */
export const FORMAT_CONTROLS = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad]/g;

const DELETE = '';
/** Per-code-point replacement inside the Arabic blocks; code points not listed pass unchanged. */
const FOLD = new Map<number, string>();
function range(from: number, to: number, to_: string) {
  for (let c = from; c <= to; c++) FOLD.set(c, to_);
}
range(0x064b, 0x065f, DELETE); // harakat, tanween, shadda, sukun, maddah, hamza marks, other marks
FOLD.set(0x0670, DELETE); // superscript (dagger) alef
range(0x0610, 0x061a, DELETE); // Quranic annotation signs
range(0x06d6, 0x06dc, DELETE);
range(0x06df, 0x06e8, DELETE);
range(0x06ea, 0x06ed, DELETE);
FOLD.set(0x0640, DELETE); // tatweel
for (const c of [0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673]) FOLD.set(c, '\u0627'); // alef forms → ا
for (const c of [0x0624, 0x0626]) FOLD.set(c, '\u0621'); // hamza on waw/yeh → ء, so مسؤول = مسئول
for (const c of [0x0649, 0x06cc, 0x06d0, 0x06d2]) FOLD.set(c, '\u064a'); // ى ی ې ے → ي
FOLD.set(0x06a9, '\u0643'); // keheh → kaf
for (const c of [0x0629, 0x06c0, 0x06c1, 0x06d5]) FOLD.set(c, '\u0647'); // teh marbuta, heh variants → ه
FOLD.set(0x066c, DELETE); // Arabic thousands separator: ٩٬٢٠٠ is 9200
FOLD.set(0x066b, '.'); // Arabic decimal separator
FOLD.set(0x066a, '%');
for (let c = 0x0660; c <= 0x0669; c++) FOLD.set(c, String.fromCharCode(0x30 + c - 0x0660));
for (let c = 0x06f0; c <= 0x06f9; c++) FOLD.set(c, String.fromCharCode(0x30 + c - 0x06f0));

/** Anything outside plain Arabic letters that NFKC would change (presentation forms, ligatures, fullwidth). */
const NEEDS_NFKC = /[^\u0000-\u00ff\u0600-\u06ff]/;

/**
 * Fold one written word (or any text) to its search form: controls out, NFKC, marks and tatweel out,
 * letter variants unified, digits to ASCII, Latin lowercased. Punctuation is left for the caller to split on.
 */
export function normalizeArabic(text: string): string {
  let s = text.replace(FORMAT_CONTROLS, '');
  // NFKC composes ا+ٔ into أ before folding, and opens presentation-form ligatures (ﻷ → لأ).
  if (NEEDS_NFKC.test(s) || s.includes('\u0654') || s.includes('\u0653') || s.includes('\u0655')) s = s.normalize('NFKC');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const f = FOLD.get(c);
    if (f !== undefined) out += f;
    else if (c < 0x0600 || c > 0x06ff) {
      const d = c >= 0x0700 ? asciiDigit(c) : null;
      out += d ?? s[i];
    } else out += s[i];
  }
  return /[A-Z\u00c0-\u024f]/.test(out) ? out.toLowerCase() : out;
}

/** True when the string holds at least one Arabic-script letter. */
export function hasArabicScript(s: string): boolean {
  return /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]/.test(s);
}
