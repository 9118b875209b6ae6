// Hashtags as readers write them in any script: `#أنقذوا_الأسرى`, `#İstanbul`, `#OpenData`.
// Stored without the `#`, in first-seen order, each once.
import { blockText, type Block } from './story.ts';

// Addresses are masked before matching: a fragment (`/page#intro`) or an encoded `#` in a query is
// part of the address, not a tag the writer meant.
const URL_PATTERN = /(?:\b(?:https?|ftp):\/\/|\bwww\.)[^\s<>"]+/giu;

// A tag starts with `#` (or the full-width `＃` of East Asian keyboards) that does not follow a letter,
// digit or another `#`: that keeps `C#`, `abc#def`, `&#1234;` and `##` runs out. ZWNJ/ZWJ are allowed
// inside because Persian and Urdu words need them, but a tag never ends on one.
const HASHTAG_PATTERN = /(?<![\p{L}\p{M}\p{N}_#＃&])[#＃]((?:[\p{L}\p{M}\p{N}_]|[\u200C\u200D](?=[\p{L}\p{M}\p{N}_]))+)/gu;

const HAS_LETTER = /\p{L}/u;

/**
 * The key two spellings of one tag share: `#Istanbul`, `#istanbul` and `#İSTANBUL` are one tag. Turkish
 * dotted/dotless i are folded together because writers type whichever their keyboard gives them.
 */
function tagKey(tag: string): string {
  return tag
    .normalize('NFD')
    .toLowerCase()
    .replace(/\u0307/g, '')
    .replace(/ı/g, 'i')
    .normalize('NFC');
}

function pushUnique(out: string[], seen: Set<string>, tag: string): void {
  const key = tagKey(tag);
  if (seen.has(key)) return;
  seen.add(key);
  out.push(tag);
}

/** Hashtags written in `text`, without `#`, de-duplicated in order; `#2026` (digits only) is not a tag. */
export function extractHashtags(text: string): string[] {
  // Most paragraphs have no tag at all; skipping the regexes for them matters on bulk imports.
  if (text.indexOf('#') === -1 && text.indexOf('＃') === -1) return [];
  const masked = text.replace(URL_PATTERN, (url) => ' '.repeat(url.length));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of masked.matchAll(HASHTAG_PATTERN)) {
    const tag = m[1];
    if (HAS_LETTER.test(tag)) pushUnique(out, seen, tag);
  }
  return out;
}

/** The explicit tags (a leading `#` is tolerated) followed by those written in the body, each once. */
export function mergeHashtags(explicit: string[], body: Block[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of explicit) {
    const tag = raw.trim().replace(/^[#＃]+/u, '');
    if (tag) pushUnique(out, seen, tag);
  }
  for (const block of body) {
    for (const tag of extractHashtags(blockText(block))) pushUnique(out, seen, tag);
  }
  return out;
}
