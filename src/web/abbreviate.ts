// What the public may read of a story: everything around the text (headline, deck, byline, dateline,
// dates, photo) and only the first part of the body. Pure: a version in, a view model out, so the rule
// "the full text never leaves through the site" is tested here once and every page renders this.
import type { Block, StoryVersion } from '../model/story.ts';
import { directionOf } from '../model/story.ts';
import { sourceDateOnly } from '../model/source-date.ts';
import { publicImage } from '../model/media.ts';
import { readerCategories } from '../formats/archive-jsonl.ts';

/** How much body the public sees: whichever limit is reached first. */
export interface Budget {
  paragraphs: number;
  words: number;
}

export const DEFAULT_BUDGET: Budget = { paragraphs: 2, words: 80 };

/** A whole paragraph may overshoot the word budget by this factor rather than be cut a few words short. */
const SLACK = 1.1;
/** When not even one sentence fits, the first sentence is still shown up to this many budgets long. */
const FIRST_SENTENCE_MAX = 2;

/** The agency's home zone, in which dates are shown (the seed's dates are Istanbul dates). */
export const SITE_TIME_ZONE = 'Europe/Istanbul';

export interface ShownDate {
  iso: string;
  text: string;
}

export interface PublicStory {
  id: string;
  version: number;
  language: string;
  dir: 'rtl' | 'ltr';
  headline: string;
  deck: string | null;
  byline: string[];
  dateline: { place: string | null; reporter: string | null; agency: string | null } | null;
  published: ShownDate;
  /** Only when the story changed after it was first published. */
  updated: ShownDate | null;
  photo: { url: string; alt: string; caption: string | null; credit: string | null; srcset: string | null; width: number | null; height: number | null } | null;
  /** The abbreviated body: paragraphs and subheadings only, the last paragraph possibly cut at a sentence end. */
  blocks: Block[];
  /** True when some body was left out (nearly always: the rest is for subscribers). */
  truncated: boolean;
  categories: string[];
  hashtags: string[];
  correctionNote: string | null;
}

// Building an Intl object costs far more than using one: one per language and kind, kept for the process.
const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(language: string, granularity: 'word' | 'sentence'): Intl.Segmenter {
  const key = `${language}:${granularity}`;
  let s = segmenters.get(key);
  if (!s) segmenters.set(key, (s = new Intl.Segmenter(language, { granularity })));
  return s;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** A cached DateTimeFormat for `language` with `options` (keyed by both). */
export function dateFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}:${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(language, options)));
  return f;
}

function words(text: string, language: string): number {
  let n = 0;
  for (const s of segmenter(language, 'word').segment(text)) if (s.isWordLike) n++;
  return n;
}

function sentences(text: string, language: string): string[] {
  return [...segmenter(language, 'sentence').segment(text)].map((s) => s.segment);
}

/** The longest run of whole sentences from the start of `text` within `max` words; null if the first is longer. */
export function cutAtSentence(text: string, language: string, max: number): string | null {
  let out = '';
  let used = 0;
  for (const s of sentences(text, language)) {
    const n = words(s, language);
    if (used + n > max) break;
    out += s;
    used += n;
  }
  return out.trim() || null;
}

/** The first `max` words of `text`, ending at a word boundary with an ellipsis: the last resort for a sentence without end. */
function cutAtWord(text: string, language: string, max: number): string {
  let n = 0;
  let end = 0;
  for (const s of segmenter(language, 'word').segment(text)) {
    if (s.isWordLike && ++n > max) break;
    end = s.index + s.segment.length;
  }
  return text.slice(0, end).trim() + '…';
}

/** The public part of a body under `budget`. Subheadings are shown only with a paragraph after them. */
export function abbreviateBody(body: Block[], language: string, budget: Budget = DEFAULT_BUDGET): { blocks: Block[]; truncated: boolean } {
  const out: Block[] = [];
  let used = 0;
  let paragraphs = 0;
  let heading: Block | null = null;
  let consumed = 0; // blocks fully shown (or deliberately skipped headings)
  for (const block of body) {
    if (paragraphs >= budget.paragraphs || used >= budget.words) break;
    if (block.type === 'subheading') {
      heading = block;
      consumed++;
      continue;
    }
    if (block.type !== 'paragraph') break; // quotes and lists are never cut: they end the public part
    const n = words(block.text, language);
    if (used + n <= budget.words * SLACK) {
      if (heading) out.push(heading);
      out.push(block);
      heading = null;
      used += n;
      paragraphs++;
      consumed++;
      continue;
    }
    let cut = cutAtSentence(block.text, language, budget.words - used);
    if (!cut && out.length === 0) {
      const first = sentences(block.text, language)[0]?.trim() ?? '';
      cut = words(first, language) <= budget.words * FIRST_SENTENCE_MAX ? first : cutAtWord(block.text, language, budget.words);
    }
    if (cut) {
      if (heading) out.push(heading);
      out.push({ type: 'paragraph', text: cut });
    }
    break;
  }
  const shownAll = consumed >= body.length && !heading;
  return { blocks: out, truncated: !shownAll };
}

function showDate(iso: string, language: string, timeZone: string): ShownDate {
  const day = sourceDateOnly(iso);
  if (day) return { iso: day, text: dateFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`)) };
  const d = new Date(iso);
  const text = dateFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(d);
  return { iso: d.toISOString(), text };
}

/** A person's name as written in the story's language, else as given. */
function nameIn(p: { name: string; names?: Record<string, string> }, language: string): string {
  return p.names?.[language] ?? p.names?.[language.split('-')[0]] ?? p.name;
}

export interface AbbreviateOptions {
  budget?: Budget;
  timeZone?: string;
  /** Widest photo rendition shown (NEWSFLOW_MEDIA_PUBLIC_MAX_WIDTH). */
  mediaMaxWidth?: number;
}

/** The public view of a live version. Killed or embargoed versions must not reach here (the caller checks). */
export function abbreviate(v: StoryVersion, opts: AbbreviateOptions = {}): PublicStory {
  const c = v.content;
  const language = c.language;
  const tz = opts.timeZone ?? SITE_TIME_ZONE;
  const { blocks, truncated } = abbreviateBody(c.body, language, opts.budget ?? DEFAULT_BUDGET);
  const photo = c.photos[0];
  const image = photo ? publicImage(photo, opts.mediaMaxWidth) : null;
  const updated = Date.parse(v.versionCreatedAt) > Date.parse(v.firstPublishedAt) ? showDate(v.versionCreatedAt, language, tz) : null;
  const d = c.dateline;
  return {
    id: v.storyId,
    version: v.version,
    language,
    dir: directionOf(language),
    headline: c.headline,
    deck: c.deck ?? null,
    byline: c.byline.map((p) => nameIn(p, language)),
    dateline: d ? { place: d.place ?? null, reporter: d.reporter ?? null, agency: d.agency ?? null } : null,
    published: showDate(v.firstPublishedAt, language, tz),
    updated,
    photo: image ? { ...image, alt: photo.altText ?? photo.caption ?? '', caption: photo.caption ?? null, credit: photo.credit ?? null } : null,
    blocks,
    truncated,
    categories: readerCategories(c.categories, language),
    hashtags: c.hashtags,
    correctionNote: v.kind === 'corrected' || v.correctionNote ? (v.correctionNote ?? null) : null,
  };
}
