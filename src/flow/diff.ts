// Word-level differences between two versions. Tokens are Unicode words (letters with their combining
// marks, so an Arabic word with harakat stays one token), runs of white space, and single punctuation
// marks; comparing token arrays keeps Arabic words whole where character diffs would split them.
import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import { bodyText, type StoryContent, type StoryVersion } from '../model/story.ts';

// The diff library costs ~5 MB once loaded and only version comparisons use it: loaded on the first,
// not when the server starts (an idle server stays within its memory budget).
let diffLibrary: typeof Diff | undefined;
function diffArrays(a: string[], b: string[]): Diff.ChangeObject<string[]>[] {
  diffLibrary ??= createRequire(import.meta.url)('diff') as typeof Diff;
  return diffLibrary.diffArrays(a, b);
}

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface VersionDiff {
  storyId: string;
  from: number;
  to: number;
  /** Word-level differences of the text fields. */
  text: { headline: DiffPart[]; deck: DiffPart[]; body: DiffPart[] };
  /** Other fields that changed, with their values before and after. */
  fields: Record<string, { from: unknown; to: unknown }>;
  /** Which text fields changed at all. */
  changed: string[];
}

const TOKEN = /[\p{L}\p{M}\p{N}_]+|\s+|[^\p{L}\p{M}\p{N}_\s]/gu;

/** Splits text into words, white space and punctuation, in order; joining the tokens gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** The word-level difference between two texts, with neighbouring parts of the same kind merged. */
export function diffText(a: string, b: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffArrays(tokenize(a), tokenize(b))) {
    const op = change.added ? 'insert' : change.removed ? 'delete' : 'equal';
    const text = change.value.join('');
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  }
  return parts;
}

const OTHER_FIELDS: (keyof StoryContent)[] = [
  'language',
  'byline',
  'dateline',
  'categories',
  'keywords',
  'hashtags',
  'photos',
  'urgency',
  'embargoUntil',
  'mediaType',
  'slugline',
  'provenance',
];

/** What changed from version `a` to version `b` of one story. */
export function diffVersions(a: StoryVersion, b: StoryVersion): VersionDiff {
  const ca = a.content;
  const cb = b.content;
  const text = {
    headline: diffText(ca.headline, cb.headline),
    deck: diffText(ca.deck ?? '', cb.deck ?? ''),
    body: diffText(bodyText(ca.body), bodyText(cb.body)),
  };
  const fields: VersionDiff['fields'] = {};
  for (const f of OTHER_FIELDS) {
    if (JSON.stringify(ca[f] ?? null) !== JSON.stringify(cb[f] ?? null)) fields[f] = { from: ca[f] ?? null, to: cb[f] ?? null };
  }
  if ((a.correctionNote ?? null) !== (b.correctionNote ?? null)) fields.correctionNote = { from: a.correctionNote ?? null, to: b.correctionNote ?? null };
  if ((a.killReason ?? null) !== (b.killReason ?? null)) fields.killReason = { from: a.killReason ?? null, to: b.killReason ?? null };
  if (a.pubStatus !== b.pubStatus) fields.pubStatus = { from: a.pubStatus, to: b.pubStatus };
  const changed = Object.entries(text)
    .filter(([, parts]) => parts.some((p) => p.op !== 'equal'))
    .map(([k]) => k);
  return { storyId: b.storyId, from: a.version, to: b.version, text, fields, changed };
}
