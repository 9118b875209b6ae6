// Identifiers: time-ordered, URL-safe, lowercase, so chain ids sort by creation and read well in URLs.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lowercase

/** The last id's millisecond and random digits (0…31 each): ids of the same millisecond count up from it. */
let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A 26-character ULID-style id: 48 bits of milliseconds then 80 random bits. Two ids made in the same
 * millisecond still sort in the order they were made (the second is the first's random part plus one,
 * as ULID's monotonic mode does), so a story's translations, listed by creation time then id, keep the
 * order they were written in.
 */
export function newId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  if (now === lastTime && increment(lastRandom)) return time + lastRandom.map((d) => ALPHABET[d]).join('');
  const bytes = randomBytes(16);
  lastTime = now;
  lastRandom = Array.from(bytes, (b) => b % 32);
  return time + lastRandom.map((d) => ALPHABET[d]).join('');
}

/** Adds one to base-32 digits in place; false when they were all 31 (then a fresh random part is drawn). */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] < 31) {
      digits[i]++;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/** True when `id` has the shape newId produces (routes reject anything else early). */
export function isId(id: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{26}$/.test(id);
}
