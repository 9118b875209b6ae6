// Importer for the text of a public news-agency web page as a reader's browser copies it (the layout of
// the seed story, ../shared/seed/README.md). The page is read line by line; blank lines only separate
// blocks, so every rule below is about the non-blank lines in order. Either the whole page parses or a
// PageFormatError names the first line that does not fit: nothing partial is returned.
import { emptyContent, type Block, type Person, type StoryContent } from '../model/story.ts';
import { mergeHashtags } from '../model/hashtags.ts';

/**
 * The page gives dates only (`30.01.2026`), without a time or zone. They are read as midnight in the
 * agency's home zone, Europe/Istanbul (UTC+03:00 all year since September 2016, so the seed's date is
 * `2026-01-30T00:00:00+03:00`); older dates get the offset the zone had then.
 */
export const PAGE_TIME_ZONE = 'Europe/Istanbul';

/**
 * The copied page text has no image address, only the alt text. The photo is kept with an empty url
 * (meaning "not known yet": an editor or a later fetch fills it) rather than a made-up address that
 * a renderer might try to load.
 */
export const PAGE_PHOTO_URL = '';

export interface PublicPageStory {
  content: StoryContent;
  /** ISO 8601 with the Istanbul offset, e.g. `2026-01-30T00:00:00+03:00`. */
  publishedAt: string;
  /** Same form; equal to `publishedAt` when the page shows no update date. */
  updatedAt: string;
  /** Paragraphs recognised as the agency's footer (not body), in page order. */
  boilerplate: string[];
}

export class PageFormatError extends Error {
  constructor(
    /** 1-based line number in the file as given (BOM and CRLF do not shift it). */
    public readonly line: number,
    /** What the parser expected there. */
    public readonly expected: string,
    found?: string,
  ) {
    super(`line ${line}: expected ${expected}` + (found === undefined ? '' : `, found ${preview(found)}`));
    this.name = 'PageFormatError';
  }
}

function preview(text: string): string {
  if (text === '') return 'end of file';
  return JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text);
}

interface Line {
  no: number;
  text: string;
}

// Browsers copy layout spaces as NBSP (U+00A0), narrow NBSP (U+202F) or figure space (U+2007); the
// layout means an ordinary space by all of them, so they are folded before any rule looks at a line.
const ODD_SPACES = /[\u00A0\u2007\u202F\t\f\v]/g;

/** Non-blank lines with their original numbers, whitespace noise removed. */
function pageLines(text: string): Line[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: Line[] = [];
  lines.forEach((raw, i) => {
    const clean = raw.replace(ODD_SPACES, ' ').replace(/ {2,}/g, ' ').trim();
    if (clean !== '') out.push({ no: i + 1, text: clean });
  });
  return out;
}

/** Walks the non-blank lines; `need` fails with the line number where the missing line would be. */
class Cursor {
  private i = 0;
  constructor(
    private readonly lines: Line[],
    private readonly lastLineNo: number,
  ) {}
  need(expected: string): Line {
    const line = this.lines[this.i];
    if (!line) throw new PageFormatError(this.lastLineNo + 1, expected, '');
    this.i++;
    return line;
  }
  rest(): Line[] {
    return this.lines.slice(this.i);
  }
}

function parseCategories(line: Line): string[] {
  const expected = 'the categories, comma-separated (e.g. "الدول العربية, التقارير")';
  const parts = line.text.split(/[,،]/).map((p) => p.trim());
  // A sentence or a date line here means the page does not start with its category line.
  if (parts.length > 12 || parts.some((p) => p === '' || p.length > 80) || /[{}[\]<>|]|^\*\*|[.!?؟:]$/u.test(line.text)) {
    throw new PageFormatError(line.no, expected, line.text);
  }
  return parts;
}

function parseTextLine(line: Line, expected: string): string {
  if (line.text.startsWith('**') || /\|\s*\d{2}\.\d{2}\.\d{4}/.test(line.text)) {
    throw new PageFormatError(line.no, expected, line.text);
  }
  return line.text;
}

const AUTHOR_LINE = /^(.+?)\s*\|\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*-\s*[^:\d]*:\s*(\d{1,2})\.(\d{1,2})\.(\d{4}))?$/u;

function parseAuthorLine(line: Line): { author: string; publishedAt: string; updatedAt: string } {
  const expected = 'the author line "Name | DD.MM.YYYY - محدث : DD.MM.YYYY"';
  const m = AUTHOR_LINE.exec(line.text);
  if (!m) throw new PageFormatError(line.no, expected, line.text);
  const [, author, d, mo, y, ud, umo, uy] = m;
  const publishedAt = pageDate(line, +y, +mo, +d);
  const updatedAt = ud ? pageDate(line, +uy, +umo, +ud) : publishedAt;
  return { author: author.trim(), publishedAt, updatedAt };
}

function pageDate(line: Line, year: number, month: number, day: number): string {
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new PageFormatError(line.no, `a real calendar date DD.MM.YYYY`, `${pad(day)}.${pad(month)}.${year}`);
  }
  return `${year}-${pad(month)}-${pad(day)}T00:00:00${midnightOffset(year, month, day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `+03:00`: the offset of PAGE_TIME_ZONE at local midnight of that day. */
function midnightOffset(year: number, month: number, day: number): string {
  const wallClock = Date.UTC(year, month - 1, day);
  // The offset at the wall-clock instant is a first guess; re-reading it at the corrected instant gets
  // the right side of a DST change.
  const first = offsetMinutes(wallClock);
  const minutes = offsetMinutes(wallClock - first * 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const OFFSET_FORMAT = new Intl.DateTimeFormat('en-US', { timeZone: PAGE_TIME_ZONE, timeZoneName: 'longOffset' });

function offsetMinutes(instant: number): number {
  const name = OFFSET_FORMAT.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0; // plain "GMT"
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function parsePhotoLine(line: Line, headline: string): { caption?: string; altText: string } {
  // The alt text repeats the headline and then gives the caption; that repetition is how the line is
  // told apart from the place line or a body paragraph.
  if (!line.text.startsWith(headline)) {
    throw new PageFormatError(line.no, 'the photo alt text (the headline repeated, then the caption)', line.text);
  }
  const caption = line.text.slice(headline.length).trim();
  return caption ? { caption, altText: line.text } : { altText: line.text };
}

// A place as the site spells it in Turkish: Latin letters with spaces, dots, apostrophes or hyphens.
const LATIN_PLACE = /^[\p{Script=Latin}\p{M}][\p{Script=Latin}\p{M} .'’-]{0,79}$/u;

function parsePlace(line: Line): string {
  if (!LATIN_PLACE.test(line.text)) {
    throw new PageFormatError(line.no, 'the place in Latin script (e.g. İstanbul)', line.text);
  }
  return line.text;
}

function parseDateline(line: Line): { place: string; reporters: string[]; agency: string } {
  const expected = 'a dateline "place / reporter / agency"';
  // Writers put the spaces around `/` on either side or not at all (`رام الله/ قيس أبو سمرة/ الأناضول`).
  const parts = line.text.split('/').map((p) => p.trim());
  // A body sentence may contain a slash (`31 يناير/ كانون الثاني`); a dateline is short parts only.
  if (parts.length < 2 || parts.some((p) => p === '' || p.length > 80)) {
    throw new PageFormatError(line.no, expected, line.text);
  }
  return { place: parts[0], reporters: parts.slice(1, -1), agency: parts[parts.length - 1] };
}

// The footer of the agency's pages in its languages: the site shows a shortened part of what subscribers
// get through the news flow system (HAS). Two independent markers are needed, so that a body paragraph
// that merely mentions subscribers stays body.
const FOOTER_MARKERS: RegExp[] = [
  /\(HAS\)/u,
  /تدفق الأخبار|Haber Akış Sistemi|News (?:Broadcast|Flow) System|news flow/iu,
  /المشتركين|الاشتراك|abone|subscri/iu,
  /الصفحة الرسمية|web sitesi|website/iu,
];

export function isAgencyFooter(paragraph: string): boolean {
  return FOOTER_MARKERS.filter((re) => re.test(paragraph)).length >= 2;
}

function parseBody(lines: Line[], lastLineNo: number): { body: Block[]; boilerplate: string[] } {
  const blocks: { line: Line; block: Block }[] = lines.map((line) => {
    if (!line.text.startsWith('**')) return { line, block: { type: 'paragraph', text: line.text } };
    // `** title`, `**title` and markdown's `**title**` all mean a subheading; quotes are kept.
    const text = line.text.replace(/^\*\*\s*/, '').replace(/\s*\*\*$/, '');
    if (text === '') throw new PageFormatError(line.no, 'a subheading text after "**"', line.text);
    return { line, block: { type: 'subheading', text } };
  });

  const boilerplate: string[] = [];
  while (blocks.length > 0) {
    const last = blocks[blocks.length - 1].block;
    if (last.type !== 'paragraph' || !isAgencyFooter(last.text)) break;
    boilerplate.unshift(last.text);
    blocks.pop();
  }
  if (!blocks.some((b) => b.block.type === 'paragraph')) {
    throw new PageFormatError(lines[0]?.no ?? lastLineNo + 1, 'at least one body paragraph after the dateline', lines[0]?.text ?? '');
  }
  return { body: blocks.map((b) => b.block), boilerplate };
}

const ARABIC_SCRIPT = /\p{Script=Arabic}/u;

/**
 * The layout is that of the agency's Arabic site, but its Turkish and English sites share it; the
 * language is read from the headline and deck: Arabic script, else Turkish letters, else English.
 */
function pageLanguage(sample: string): string {
  const arabic = (sample.match(/\p{Script=Arabic}/gu) ?? []).length;
  const latin = (sample.match(/\p{Script=Latin}/gu) ?? []).length;
  if (arabic >= latin) return 'ar';
  return /[ğĞışŞİçÇöÖüÜ]/u.test(sample) ? 'tr' : 'en';
}

/** Parses the public-page text layout into a story; throws PageFormatError naming the failing line. */
export function parsePublicPage(text: string): PublicPageStory {
  const lines = pageLines(text);
  // A missing line is reported just after the last line that is there.
  const lastLineNo = lines.length ? lines[lines.length - 1].no : 0;
  const cur = new Cursor(lines, lastLineNo);

  const categories = parseCategories(cur.need('the categories line'));
  const headline = parseTextLine(cur.need('the headline'), 'the headline');
  const deck = parseTextLine(cur.need('the deck (one-sentence summary)'), 'the deck (one-sentence summary)');
  const { author, publishedAt, updatedAt } = parseAuthorLine(cur.need('the author line "Name | DD.MM.YYYY"'));
  const photo = parsePhotoLine(cur.need('the photo alt text'), headline);
  const placeTr = parsePlace(cur.need('the place in Latin script (e.g. İstanbul)'));
  const dateline = parseDateline(cur.need('a dateline "place / reporter / agency"'));
  const { body, boilerplate } = parseBody(cur.rest(), lastLineNo);

  const byline: Person[] = [{ name: author, role: 'author' }];
  // The dateline reporter is a separate credit from the site's (Latin-script) author field: the seed's
  // two names differ in surname, so they are not merged into one person.
  for (const reporter of dateline.reporters) {
    byline.push(ARABIC_SCRIPT.test(reporter) ? { name: reporter, names: { ar: reporter }, role: 'reporter' } : { name: reporter, role: 'reporter' });
  }

  const content: StoryContent = {
    ...emptyContent(pageLanguage(headline + ' ' + deck)),
    headline,
    deck,
    body,
    byline,
    dateline: {
      place: dateline.place,
      placeNames: { tr: placeTr },
      ...(dateline.reporters.length ? { reporter: dateline.reporters.join(' / ') } : {}),
      agency: dateline.agency,
    },
    categories,
    hashtags: mergeHashtags([], body),
    photos: [{ url: PAGE_PHOTO_URL, ...photo }],
  };
  return { content, publishedAt, updatedAt, boilerplate };
}
