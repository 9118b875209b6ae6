// Identifiers: time-ordered, URL-safe, lowercase, so chain ids sort by creation and read well in URLs.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lowercase

/** A 26-character ULID-style id: 48 bits of milliseconds then 80 random bits. */
export function newId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i] % 32];
  return time + rand;
}

/** True when `id` has the shape newId produces (routes reject anything else early). */
export function isId(id: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{26}$/.test(id);
}
