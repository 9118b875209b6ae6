// Archive lines written here are invented; the real corpus is only read from ../shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { needShared } from '../helpers.ts';
import {
  ArchiveLineError,
  archiveDate,
  detectLanguage,
  parseArchiveLine,
  readArchive,
  type ArchiveProgress,
  type ArchiveResult,
} from '../../src/formats/archive-jsonl.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusPath = path.resolve(root, '../shared/corpus/arabic-news.jsonl');

const good = {
  id: 'demo-1',
  source: 'demo-source',
  category: 'middleEast',
  title: '  افتتاح مكتبة عامة جديدة  ',
  body: 'الفقرة الأولى عن #المكتبة.\nالفقرة الثانية.\n\n  الفقرة الثالثة  ',
  date: '2018-03-04T05:06:07Z',
};
const line = (o: object) => JSON.stringify(o);

test('a good line becomes a routine Arabic story with provenance', () => {
  const { content, publishedAt, sourceId, source } = parseArchiveLine(line(good), 1);
  assert.equal(sourceId, 'demo-1');
  assert.equal(source, 'demo-source');
  assert.equal(publishedAt, '2018-03-04T05:06:07Z');
  assert.equal(content.language, 'ar');
  assert.equal(content.headline, 'افتتاح مكتبة عامة جديدة');
  assert.deepEqual(content.body, [
    { type: 'paragraph', text: 'الفقرة الأولى عن #المكتبة.' },
    { type: 'paragraph', text: 'الفقرة الثانية.' },
    { type: 'paragraph', text: 'الفقرة الثالثة' },
  ]);
  assert.deepEqual(content.categories, ['middleEast', 'الشرق الأوسط']);
  assert.deepEqual(content.hashtags, ['المكتبة']);
  assert.equal(content.urgency, 4);
  assert.equal(content.mediaType, 'text');
  assert.deepEqual(content.provenance, { source: 'demo-source', originalIds: { archive: 'demo-1' } });
});

test('categories: known code with its label, unknown code alone, null none', () => {
  assert.deepEqual(parseArchiveLine(line({ ...good, category: 'sport' }), 1).content.categories, ['sport', 'رياضة']);
  assert.deepEqual(parseArchiveLine(line({ ...good, category: 'weather' }), 1).content.categories, ['weather']);
  assert.deepEqual(parseArchiveLine(line({ ...good, category: null }), 1).content.categories, []);
});

test('dates: date-only is midnight UTC, offsets are converted to UTC', () => {
  assert.equal(parseArchiveLine(line({ ...good, date: '2015-07-21' }), 1).publishedAt, '2015-07-21T00:00:00Z');
  assert.equal(archiveDate('2018-02-01T10:00:00+03:00'), '2018-02-01T07:00:00Z');
  assert.equal(archiveDate('2018-02-01T10:00:00.250Z'), '2018-02-01T10:00:00Z');
  assert.equal(archiveDate('2018-02-30'), null);
  assert.equal(archiveDate('2018-13-01T00:00:00Z'), null);
  assert.equal(archiveDate('Sun, 18 Feb 2018 10:00:00 GMT'), null);
});

test('language: mostly Latin letters is English, otherwise Arabic', () => {
  assert.equal(detectLanguage('The port authority approved the plan on Monday.'), 'en');
  assert.equal(detectLanguage('قال مدير مشروع OpenShelf إن العمل بدأ.'), 'ar');
  assert.equal(detectLanguage('1234 !!'), 'ar');
  assert.equal(parseArchiveLine(line({ ...good, title: 'A library opens', body: 'The city library opened on Monday.' }), 1).content.language, 'en');
});

function assertLineError(text: string, lineNo: number, reason: RegExp): void {
  assert.throws(
    () => parseArchiveLine(text, lineNo),
    (err: unknown) => {
      assert.ok(err instanceof ArchiveLineError);
      assert.equal(err.lineNo, lineNo);
      assert.match(err.message, new RegExp(`^line ${lineNo}: `));
      assert.match(err.message, reason);
      return true;
    },
  );
}

test('bad lines name the line number and the problem', () => {
  assertLineError('{"id": "x", "title": ', 7, /bad JSON/);
  assertLineError('[1, 2]', 8, /expected a JSON object, got an array/);
  assertLineError('null', 9, /expected a JSON object, got null/);
  const { title: _t, ...noTitle } = good;
  assertLineError(line(noTitle), 10, /missing title/);
  assertLineError(line({ ...good, title: '   ' }), 11, /title is empty/);
  assertLineError(line({ ...good, body: ['a', 'b'] }), 12, /body is not a string \(got an array\)/);
  assertLineError(line({ ...good, body: '\n \n' }), 13, /body is empty/);
  assertLineError(line({ ...good, date: '18/02/2018' }), 14, /bad date "18\/02\/2018"/);
  assertLineError(line({ ...good, date: 20180218 }), 15, /date is not a string/);
  const { id: _i, ...noId } = good;
  assertLineError(line(noId), 16, /missing id/);
  const { source: _s, ...noSource } = good;
  assertLineError(line(noSource), 17, /missing source/);
  assertLineError(line({ ...good, category: 3 }), 18, /category is not a string or null/);
});

async function collect(file: string, onProgress?: (p: ArchiveProgress) => void): Promise<ArchiveResult[]> {
  const out: ArchiveResult[] = [];
  for await (const r of readArchive(file, { onProgress, chunkBytes: 64 })) out.push(r);
  return out;
}

test('readArchive: a bad line is reported with its number and the rest loads', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'newsflow-archive-'));
  try {
    const file = path.join(dir, 'mixed.jsonl');
    const lines = [
      line({ ...good, id: 'a' }),
      line({ ...good, id: 'b', title: 'عنوان طويل '.repeat(20) }), // spans many 64-byte chunks
      '{"id": "broken", ',
      '',
      line({ ...good, id: 'c', body: 42 }),
      line({ ...good, id: 'd', date: '2015-08-01' }),
    ];
    // BOM at the start, CRLF endings and no final newline: all tolerated.
    writeFileSync(file, '\uFEFF' + lines.join('\r\n'));
    const progress: ArchiveProgress[] = [];
    const results = await collect(file, (p) => progress.push(p));
    assert.deepEqual(
      results.map((r) => [r.lineNo, r.ok]),
      [
        [1, true],
        [2, true],
        [3, false],
        [5, false],
        [6, true],
      ],
    );
    const ids = results.flatMap((r) => (r.ok ? [r.item.sourceId] : []));
    assert.deepEqual(ids, ['a', 'b', 'd']);
    const errors = results.flatMap((r) => (r.ok ? [] : [r.error.message]));
    assert.match(errors[0], /^line 3: bad JSON/);
    assert.match(errors[1], /^line 5: body is not a string/);
    const last = progress[progress.length - 1];
    assert.equal(last.bytesRead, last.totalBytes);
    assert.ok(progress.length > 5, 'progress reported per chunk');
    assert.ok(progress.every((p, i) => i === 0 || p.bytesRead >= progress[i - 1].bytesRead));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('real corpus: the first 500 lines of arabic-news.jsonl all load', async () => {
  needShared(corpusPath);
  const rl = createInterface({ input: createReadStream(corpusPath, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  const categories = new Set<string>();
  for await (const raw of rl) {
    n++;
    const { content, publishedAt, sourceId, source } = parseArchiveLine(raw, n);
    const obj = JSON.parse(raw) as { id: string; source: string; title: string; body: string; category: string };
    assert.equal(sourceId, obj.id);
    assert.equal(source, obj.source);
    assert.equal(content.headline, obj.title.trim());
    assert.equal(content.body.length, obj.body.split('\n').filter((p) => p.trim()).length);
    assert.match(publishedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(content.categories[0], obj.category);
    assert.equal(content.categories.length, 2);
    assert.equal(content.language, 'ar');
    for (const tag of content.hashtags) assert.ok(obj.body.includes('#' + tag));
    categories.add(obj.category);
    if (n === 500) break;
  }
  rl.close();
  assert.equal(n, 500);
  assert.ok(categories.size >= 1);
});

test('real corpus: the whole file streams with progress', async () => {
  needShared(corpusPath);
  let ok = 0;
  let bad = 0;
  let last: ArchiveProgress | undefined;
  for await (const r of readArchive(corpusPath, { onProgress: (p) => (last = p) })) r.ok ? ok++ : bad++;
  assert.equal(bad, 0);
  assert.equal(ok, 29_378);
  assert.equal(last?.bytesRead, last?.totalBytes);
});
