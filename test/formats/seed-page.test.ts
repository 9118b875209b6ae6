// The seed story is third-party text: it is read from ../shared at test time and never copied here.
// Expected values are derived from the file by simple independent means (split lines, filter blanks),
// except for the short structural facts the issue itself names (categories, place, dateline parts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needShared } from '../helpers.ts';
import { PAGE_PHOTO_URL, PAGE_TIME_ZONE, PageFormatError, isAgencyFooter, parsePublicPage } from '../../src/formats/seed-page.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seedPath = path.resolve(root, '../shared/seed/aa-ar-2026-01-30-prisoners-solidarity.txt');
const seed = readFileSync(needShared(seedPath), 'utf8');

/** The seed's non-blank lines, NBSP folded, trimmed: the independent reading the parser must agree with. */
function plainLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) =>
      l
        .replace(/\u00A0/g, ' ')
        .replace(/ +/g, ' ')
        .trim(),
    )
    .filter((l) => l !== '');
}

test('seed: header fields', () => {
  const lines = plainLines(seed);
  const { content, publishedAt, updatedAt } = parsePublicPage(seed);
  assert.equal(content.language, 'ar');
  assert.deepEqual(content.categories, ['الدول العربية', 'التقارير']);
  assert.equal(content.headline, lines[1]);
  assert.ok(content.headline.length > 10);
  assert.equal(content.deck, lines[2]);
  assert.ok(content.deck!.length > 10);
  assert.deepEqual(content.byline[0], { name: 'Yakoota Al Ahmad', role: 'author' });
  assert.equal(PAGE_TIME_ZONE, 'Europe/Istanbul');
  assert.equal(publishedAt, '2026-01-30T00:00:00+03:00');
  assert.equal(updatedAt, '2026-01-30T00:00:00+03:00');
  assert.equal(Date.parse(publishedAt), Date.UTC(2026, 0, 29, 21, 0, 0));
  assert.equal(content.urgency, 4);
  assert.equal(content.mediaType, 'text');
});

test('seed: photo from the alt-text line', () => {
  const lines = plainLines(seed);
  const { content } = parsePublicPage(seed);
  assert.equal(content.photos.length, 1);
  const [photo] = content.photos;
  assert.equal(photo.caption, 'سجن إسرائيلي-أرشيفية');
  assert.equal(photo.altText, lines[4]);
  assert.equal(photo.url, PAGE_PHOTO_URL);
  assert.equal(lines[4], `${content.headline} ${photo.caption}`);
});

test('seed: place and dateline', () => {
  const { content } = parsePublicPage(seed);
  assert.deepEqual(content.dateline, {
    place: 'إسطنبول',
    placeNames: { tr: 'İstanbul' },
    reporter: 'ياقوت دندشي',
    agency: 'الأناضول',
  });
  assert.deepEqual(content.byline[1], { name: 'ياقوت دندشي', names: { ar: 'ياقوت دندشي' }, role: 'reporter' });
  assert.equal(content.byline.length, 2);
});

test('seed: every paragraph and subheading in order, footer apart', () => {
  const lines = plainLines(seed);
  // Seven header lines (categories … dateline), then the body, then one footer line.
  const bodyLines = lines.slice(7, -1);
  const footer = lines[lines.length - 1];
  const expectedParagraphs = bodyLines.filter((l) => !l.startsWith('**'));
  const expectedSubheadings = bodyLines.filter((l) => l.startsWith('**')).map((l) => l.slice(2).trim());

  const { content, boilerplate } = parsePublicPage(seed);
  const paragraphs = content.body.filter((b) => b.type === 'paragraph').map((b) => (b as { text: string }).text);
  const subheadings = content.body.filter((b) => b.type === 'subheading').map((b) => (b as { text: string }).text);

  assert.equal(paragraphs.length, expectedParagraphs.length);
  assert.equal(paragraphs.length, 28);
  assert.deepEqual(paragraphs, expectedParagraphs);
  assert.equal(subheadings.length, 4);
  assert.deepEqual(subheadings, expectedSubheadings);
  assert.ok(
    subheadings.some((s) => s.startsWith('"') && s.endsWith('"')),
    'quotes in a subheading are kept',
  );
  // Interleaving: each block sits where its line sits.
  assert.equal(content.body.length, bodyLines.length);
  content.body.forEach((b, i) => assert.equal(b.type, bodyLines[i].startsWith('**') ? 'subheading' : 'paragraph'));

  assert.deepEqual(boilerplate, [footer]);
  assert.ok(footer.includes('(HAS)'));
  assert.ok(!content.body.some((b) => b.type === 'paragraph' && b.text === footer), 'footer is not body');
});

test('seed: hashtags from the body, without #', () => {
  const { content } = parsePublicPage(seed);
  assert.deepEqual(content.hashtags, ['اليوم_العالمي_للتضامن_مع_الأسرى', 'أنقذوا_الأسرى']);
});

test('seed: noise variants parse identically', () => {
  const reference = parsePublicPage(seed);
  const dateline = 'إسطنبول / ياقوت دندشي / الأناضول';
  const variants: Record<string, string> = {
    crlf: seed.replace(/\n/g, '\r\n'),
    'lone CR': seed.replace(/\n/g, '\r'),
    bom: '\uFEFF' + seed,
    'bom + crlf': '\uFEFF' + seed.replace(/\n/g, '\r\n'),
    'no nbsp': seed.replace(/\u00A0/g, ' '),
    'nbsp for every space in the header': seed
      .split('\n')
      .map((l, i) => (i < 12 ? l.replace(/ /g, '\u00A0') : l))
      .join('\n'),
    'nbsp and narrow nbsp around words': seed.replace(/ و /g, '\u00A0و\u202F'),
    'trailing spaces and nbsp': seed.replace(/\n/g, '  \u00A0\n'),
    'tabs as indentation': seed.replace(/\n(?=\S)/g, '\n\t'),
    'runs of blank lines': seed.replace(/\n\n/g, '\n\n\n \n\n'),
    'no blank lines': seed.replace(/\n\n/g, '\n'),
    'trailing newlines': seed + '\n\n\n',
    'dateline without spaces before /': seed.replace(dateline, 'إسطنبول/ ياقوت دندشي/ الأناضول'),
    'dateline without any spaces': seed.replace(dateline, 'إسطنبول/ياقوت دندشي/الأناضول'),
    'subheadings with and without space': seed.replace(/^\*\* ?/gm, (m) => (m === '** ' ? '**' : '** ')),
    'markdown bold subheadings': seed.replace(/^(\*\*.*)$/gm, '$1**'),
  };
  for (const [name, text] of Object.entries(variants)) {
    assert.notEqual(text, seed, `variant ${name} changes something`);
    assert.deepEqual(parsePublicPage(text), reference, `variant: ${name}`);
  }
});

test('the dateline example from the issue (Ramallah, no spaces before /)', () => {
  const text = seed.replace('إسطنبول / ياقوت دندشي / الأناضول', 'رام الله/ قيس أبو سمرة/ الأناضول');
  const { content } = parsePublicPage(text);
  assert.equal(content.dateline?.place, 'رام الله');
  assert.equal(content.dateline?.reporter, 'قيس أبو سمرة');
  assert.equal(content.dateline?.agency, 'الأناضول');
});

test('a dateline without a reporter (place / agency)', () => {
  const text = seed.replace('إسطنبول / ياقوت دندشي / الأناضول', 'القدس/ الأناضول');
  const { content } = parsePublicPage(text);
  assert.deepEqual(content.dateline, { place: 'القدس', placeNames: { tr: 'İstanbul' }, agency: 'الأناضول' });
  assert.equal(content.byline.length, 1);
});

test('dates are midnight in Istanbul, with the offset the zone had that day', () => {
  const withDates = (pub: string, upd: string) => parsePublicPage(seed.replace('30.01.2026 - محدث : 30.01.2026', `${pub} - محدث : ${upd}`));
  const a = withDates('30.01.2026', '02.02.2026');
  assert.equal(a.publishedAt, '2026-01-30T00:00:00+03:00');
  assert.equal(a.updatedAt, '2026-02-02T00:00:00+03:00');
  // Before September 2016 Turkey used EET/EEST.
  const b = withDates('15.01.2015', '15.07.2015');
  assert.equal(b.publishedAt, '2015-01-15T00:00:00+02:00');
  assert.equal(b.updatedAt, '2015-07-15T00:00:00+03:00');
  const noUpdate = parsePublicPage(seed.replace(' - محدث : 30.01.2026', ''));
  assert.equal(noUpdate.updatedAt, noUpdate.publishedAt);
});

function assertLayoutError(text: string, line: number, expected: RegExp): void {
  assert.throws(
    () => parsePublicPage(text),
    (err: unknown) => {
      assert.ok(err instanceof PageFormatError, `PageFormatError, got ${String(err)}`);
      assert.equal(err.line, line);
      assert.match(err.message, new RegExp(`^line ${line}: expected `));
      assert.match(err.message, expected);
      return true;
    },
  );
}

test('bad layouts name the failing line and what was expected', () => {
  const lines = seed.split('\n');
  const withLine = (i: number, value: string | null) => {
    const copy = [...lines];
    if (value === null) copy.splice(i, 1);
    else copy[i] = value;
    return copy.join('\n');
  };
  assertLayoutError('', 1, /categories/);
  assertLayoutError('\n\n \n', 1, /categories/);
  // Author line missing: the alt-text line (file line 8) is where the author line was expected.
  assertLayoutError(withLine(6, null), 7, /author line/);
  assertLayoutError(withLine(6, 'Yakoota Al Ahmad 30/01/2026'), 7, /author line/);
  assertLayoutError(seed.replace('| 30.01.2026', '| 31.02.2026'), 7, /real calendar date/);
  assertLayoutError(withLine(7, 'صورة أرشيفية'), 8, /photo alt text/);
  assertLayoutError(withLine(9, 'إسطنبول'), 10, /place in Latin script/);
  assertLayoutError(withLine(11, 'إسطنبول - ياقوت دندشي - الأناضول'), 12, /a dateline "place \/ reporter \/ agency"/);
  assertLayoutError(withLine(11, 'إسطنبول / / الأناضول'), 12, /dateline/);
  // Cut after the dateline: no body at all.
  assertLayoutError(lines.slice(0, 12).join('\n'), 13, /body paragraph/);
  // Only the footer left as body.
  assertLayoutError([...lines.slice(0, 13), lines[lines.length - 1]].join('\n'), 14, /body paragraph/);
  assertLayoutError(withLine(25, '**'), 26, /subheading text/);
  // A file of ordinary prose fails on its first line that cannot be a header line.
  assertLayoutError('Just some notes.\nSecond line.', 1, /categories/);
  assertLayoutError('Notes\n\nSecond line\nThird line\nFourth line without a date', 5, /author line/);
  assertLayoutError('{"id": 1, "title": "x"}', 1, /categories/);
});

test('footer recognition is by content, not position', () => {
  assert.equal(isAgencyFooter('The website of the agency shows part of what subscribers get in the News Broadcast System (HAS).'), true);
  assert.equal(
    isAgencyFooter('Anadolu Ajansı web sitesinde, AA Haber Akış Sistemi (HAS) üzerinden abonelere sunulan haberler özetlenerek yayımlanmaktadır.'),
    true,
  );
  assert.equal(isAgencyFooter('قال المسؤول إن عدد المشتركين في الخدمة ارتفع هذا العام.'), false);
  assert.equal(isAgencyFooter('A plain closing paragraph of the story.'), false);
});

test('a last paragraph that is not the footer stays body', () => {
  const lines = seed.split('\n');
  const text = lines.slice(0, -1).join('\n').trimEnd();
  const { content, boilerplate } = parsePublicPage(text);
  assert.deepEqual(boilerplate, []);
  assert.equal(content.body.filter((b) => b.type === 'paragraph').length, 28);
});
