// Digits of every script fold to ASCII so ٩٢٠٠, ۹۲۰۰ and 9200 are one number to search.

/** Code point of the zero of each decimal-digit block we have seen in news text (and some we may). */
const DIGIT_ZEROS = [
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic (Persian, Urdu)
  0x07c0, // NKo
  0x0966,
  0x09e6,
  0x0a66,
  0x0ae6,
  0x0b66,
  0x0be6,
  0x0c66,
  0x0ce6,
  0x0d66, // Indic scripts
  0x0e50,
  0x0ed0,
  0x0f20,
  0x1040,
  0x17e0,
  0x1810, // Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian
  0xff10, // fullwidth (NFKC folds these too; kept for callers that skip NFKC)
];

/** ASCII digit for a decimal digit of any listed script, or null. */
export function asciiDigit(code: number): string | null {
  if (code >= 0x30 && code <= 0x39) return String.fromCharCode(code);
  for (const zero of DIGIT_ZEROS) {
    if (code >= zero && code <= zero + 9) return String.fromCharCode(0x30 + code - zero);
  }
  return null;
}

const NON_ASCII_DIGIT =
  /[\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0e50-\u0e59\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u17e0-\u17e9\u1810-\u1819\uff10-\uff19]/g;

export function foldDigits(s: string): string {
  return s.replace(NON_ASCII_DIGIT, (d) => asciiDigit(d.charCodeAt(0)) ?? d);
}
