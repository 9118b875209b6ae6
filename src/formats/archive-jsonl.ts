// Importer for the archive layout of ../shared/corpus/*.jsonl: one JSON object a line with
// `id, source, category, title, body, date`. Parsing a line is pure; reading a file streams it in large
// chunks so an 87 MB corpus never sits in memory as one string. A bad line is reported with its number
// and the reader carries on with the next one.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { emptyContent, type Block, type StoryContent } from '../model/story.ts';
import { mergeHashtags } from '../model/hashtags.ts';

/** Category codes of the archive with their Arabic labels (corpus README). */
export const ARCHIVE_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  internationalNews: 'العالم',
  middleEast: 'الشرق الأوسط',
  sport: 'رياضة',
  economy: 'اقتصاد',
  technology: 'تكنولوجيا',
  culture: 'ثقافة',
};

/**
 * The archive's codes in the languages of the public site. Stories keep the code beside the Arabic
 * label (products and subject codes may filter on either); readers see only the label in the
 * story's language, never the code.
 */
const ARCHIVE_CATEGORY_NAMES: Readonly<Record<string, Readonly<Record<'ar' | 'tr' | 'en', string>>>> = {
  internationalNews: { ar: 'العالم', tr: 'Dünya', en: 'World' },
  middleEast: { ar: 'الشرق الأوسط', tr: 'Orta Doğu', en: 'Middle East' },
  sport: { ar: 'رياضة', tr: 'Spor', en: 'Sport' },
  economy: { ar: 'اقتصاد', tr: 'Ekonomi', en: 'Economy' },
  technology: { ar: 'تكنولوجيا', tr: 'Teknoloji', en: 'Technology' },
  culture: { ar: 'ثقافة', tr: 'Kültür', en: 'Culture' },
};

// What the importer writes (the code and its Arabic label) → the names of that category.
const ARCHIVE_NAMES_BY_WRITTEN = new Map(
  Object.entries(ARCHIVE_CATEGORY_NAMES).flatMap(
    ([code, names]) =>
      [
        [code, names],
        [names.ar, names],
      ] as const,
  ),
);

/**
 * The categories of a story as readers of `language` see them: an archive code becomes its label in
 * that language (English for other languages), and so does its Arabic label on a page in another
 * language; duplicates go, anything else is kept as written.
 */
export function readerCategories(categories: readonly string[], language: string): string[] {
  const lang = language.split('-')[0].toLowerCase();
  const out: string[] = [];
  for (const name of categories) {
    const names = ARCHIVE_NAMES_BY_WRITTEN.get(name);
    const shown = names ? (names[lang as 'ar' | 'tr' | 'en'] ?? names.en) : name;
    if (!out.includes(shown)) out.push(shown);
  }
  return out;
}

/** Archive items are old news: routine. */
export const ARCHIVE_URGENCY = 4;

export interface ArchiveItem {
  content: StoryContent;
  /** ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
  publishedAt: string;
  /** The line's `id` (`ant-…`, `snn-…`). */
  sourceId: string;
  /** The line's `source` (`alarabiya`, `aawsat`, …). */
  source: string;
}

export class ArchiveLineError extends Error {
  constructor(
    public readonly lineNo: number,
    /** What is wrong, without the line number. */
    public readonly reason: string,
  ) {
    super(`line ${lineNo}: ${reason}`);
    this.name = 'ArchiveLineError';
  }
}

export type ArchiveResult = { lineNo: number; ok: true; item: ArchiveItem } | { lineNo: number; ok: false; error: ArchiveLineError };

export interface ArchiveProgress {
  bytesRead: number;
  totalBytes: number;
  /** Lines handed out so far (blank lines included). */
  lines: number;
}

export interface ReadArchiveOptions {
  /** Called after each chunk is read; cheap enough to drive a progress bar. */
  onProgress?: (progress: ArchiveProgress) => void;
  /** Read size; larger chunks mean fewer syscalls. */
  chunkBytes?: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * `ar`, unless the text is mostly Latin letters (`en`). A plain code-point loop over the first 1,000
 * characters: a Unicode-property regex here cost more than JSON parsing on the whole corpus.
 */
export function detectLanguage(text: string): 'ar' | 'en' {
  let latin = 0;
  let arabic = 0;
  const end = Math.min(text.length, 1_000);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) latin++;
    else if (
      (c >= 0x600 && c <= 0x6ff) ||
      (c >= 0x750 && c <= 0x77f) ||
      (c >= 0x8a0 && c <= 0x8ff) ||
      (c >= 0xfb50 && c <= 0xfdff) ||
      (c >= 0xfe70 && c <= 0xfeff)
    )
      arabic++;
  }
  return latin > arabic ? 'en' : 'ar';
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO UTC without milliseconds; date-only values are midnight UTC. Null when not a real date. */
export function archiveDate(value: string): string | null {
  const s = value.trim();
  let ms: number;
  const d = DATE_ONLY.exec(s);
  if (d) {
    ms = Date.UTC(+d[1], +d[2] - 1, +d[3]);
    const back = new Date(ms);
    if (back.getUTCMonth() !== +d[2] - 1 || back.getUTCDate() !== +d[3]) return null;
  } else {
    const m = DATE_TIME.exec(s);
    if (!m) return null;
    // A time without a zone is taken as UTC, as the corpus converter wrote UTC throughout.
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${normaliseZone(m[7])}`;
    ms = Date.parse(iso);
    if (Number.isNaN(ms)) return null;
    const local = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (local.getUTCMonth() !== +m[2] - 1 || local.getUTCDate() !== +m[3] || +m[4] > 23 || +m[5] > 59) return null;
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function normaliseZone(zone: string | undefined): string {
  if (!zone || zone.toUpperCase() === 'Z') return 'Z';
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

function requireString(obj: Record<string, unknown>, field: string, lineNo: number, allowEmpty = false): string {
  const value = obj[field];
  if (value === undefined) throw new ArchiveLineError(lineNo, `missing ${field}`);
  if (typeof value !== 'string') throw new ArchiveLineError(lineNo, `${field} is not a string (got ${describe(value)})`);
  if (!allowEmpty && value.trim() === '') throw new ArchiveLineError(lineNo, `${field} is empty`);
  return value;
}

function categoriesOf(obj: Record<string, unknown>, lineNo: number): string[] {
  const code = obj.category;
  // The SaudiNewsNet file has no categories: null there is normal, not an error.
  if (code === undefined || code === null || code === '') return [];
  if (typeof code !== 'string') throw new ArchiveLineError(lineNo, `category is not a string or null (got ${describe(code)})`);
  const label = ARCHIVE_CATEGORY_LABELS[code];
  return label ? [code, label] : [code];
}

function paragraphs(body: string): Block[] {
  const out: Block[] = [];
  for (const part of body.split('\n')) {
    const text = part.trim();
    if (text) out.push({ type: 'paragraph', text });
  }
  return out;
}

/** One archive line to a story; throws ArchiveLineError naming the line and the problem. */
export function parseArchiveLine(line: string, lineNo: number): ArchiveItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new ArchiveLineError(lineNo, `bad JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ArchiveLineError(lineNo, `expected a JSON object, got ${describe(parsed)}`);
  }
  const obj = parsed as Record<string, unknown>;

  const rawId = obj.id;
  if (rawId === undefined || rawId === null || rawId === '') throw new ArchiveLineError(lineNo, 'missing id');
  if (typeof rawId !== 'string' && typeof rawId !== 'number') throw new ArchiveLineError(lineNo, `id is not a string (got ${describe(rawId)})`);
  const sourceId = String(rawId);
  const source = requireString(obj, 'source', lineNo);
  const title = requireString(obj, 'title', lineNo);
  const bodyText = requireString(obj, 'body', lineNo);
  const body = paragraphs(bodyText);
  if (body.length === 0) throw new ArchiveLineError(lineNo, 'body is empty');
  const rawDate = requireString(obj, 'date', lineNo);
  const publishedAt = archiveDate(rawDate);
  if (!publishedAt) throw new ArchiveLineError(lineNo, `bad date ${JSON.stringify(rawDate)} (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)`);
  const categories = categoriesOf(obj, lineNo);

  const headline = title.trim();
  const content: StoryContent = {
    ...emptyContent(detectLanguage(headline + '\n' + bodyText)),
    headline,
    body,
    categories,
    hashtags: mergeHashtags([], body),
    urgency: ARCHIVE_URGENCY,
    provenance: { source, originalIds: { archive: sourceId } },
  };
  return { content, publishedAt, sourceId, source };
}

/**
 * Streams an archive file line by line, parsing each. Blank lines are skipped; a bad line yields
 * `{ ok: false, error }` and reading goes on. Lines are split on the `\n` byte, which never occurs
 * inside a UTF-8 multi-byte sequence, so chunks are decoded only once per line.
 */
export async function* readArchive(path: string, options: ReadArchiveOptions = {}): AsyncGenerator<ArchiveResult> {
  const totalBytes = (await stat(path)).size;
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  let carry: Buffer | null = null;
  let bytesRead = 0;
  let lineNo = 0;

  function* handle(bytes: Buffer): Generator<ArchiveResult> {
    lineNo++;
    let text = bytes.toString('utf8');
    if (lineNo === 1) text = text.replace(/^\uFEFF/, '');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    try {
      yield { lineNo, ok: true, item: parseArchiveLine(text, lineNo) };
    } catch (err) {
      if (!(err instanceof ArchiveLineError)) throw err;
      yield { lineNo, ok: false, error: err };
    }
  }

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    while (nl !== -1) {
      const piece = chunk.subarray(start, nl);
      const bytes: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
      carry = null;
      yield* handle(bytes);
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      // Copy the tail: the stream may reuse the chunk's memory.
      const tail = Buffer.from(chunk.subarray(start));
      carry = carry ? Buffer.concat([carry, tail]) : tail;
    }
    options.onProgress?.({ bytesRead, totalBytes, lines: lineNo });
  }
  if (carry && carry.length > 0) yield* handle(carry);
  options.onProgress?.({ bytesRead, totalBytes, lines: lineNo });
}
