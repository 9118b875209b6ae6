import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze, normalizeArabic, type Vocabulary } from '../../src/text/index.ts';
import { needShared } from '../helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(repoRoot, '../shared/corpus/arabic-news.jsonl');

/** A toy archive: the proclitic rule needs to know which bare forms are real, common words. */
const vocab: Vocabulary = {
  frequency: (t) =>
    (
      ({
        فلسطين: 900,
        بفلسطين: 40,
        وزاره: 300,
        زاره: 3,
        حكومه: 400,
        الحكومه: 900,
        بحكومه: 10,
        لاعبين: 300,
        الاعبين: 0,
        لديه: 800,
        بلديه: 100,
        البلديه: 200,
        بلد: 500,
        يري: 300,
        كيري: 80,
        قال: 5000,
        وقال: 2000,
        قطاع: 500,
        لقطاع: 50,
      }) as Record<string, number>
    )[t] ?? 0,
};
const stems = (w: string) => analyze(w, 'ar', { vocabulary: vocab }).map((t) => t.stem);
const stemOf = (w: string) => {
  const s = stems(w);
  assert.equal(s.length, 1, `one token for ${w}: ${s}`);
  return s[0];
};

const MUST_MATCH: string[][] = [
  ['الأسرى', 'والأسرى', 'أسرى', 'للأسرى', 'الأَسْرَى', 'الأســرى'],
  ['فلسطين', 'بفلسطين', 'لفلسطين'],
  ['غزة', 'غزه', 'لغزة'],
  ['ایران', 'إيران'],
  ['٩٢٠٠', '9200'],
  ['۲۰۱۸', '2018'],
  ['إسرائيل', 'اسرائيل'],
  ['مسؤول', 'مسئول'],
  // our own, from forms seen in the 2018 corpus
  ['الحكومة', 'حكومة', 'والحكومة', 'بالحكومة', 'بحكومة', 'الحكومـــة'],
  ['المسلحين', 'المسلحون', 'مسلحين'],
  ['الانتخابات', 'انتخابات', 'والانتخابات', 'للانتخابات'],
  ['وقال', 'قال'],
  ['البحرين', 'والبحرين', 'بالبحرين', 'للبحرين'],
  ['لبنان', 'للبنان', 'ولبنان'],
  ['قطاع', 'لقطاع'],
  ['مُسْتَشْفَى', 'مستشفى', 'مستشفي'],
  ['ترفيهي', 'ترفيهية', 'الترفيهية'],
  ['الفلسطينيين', 'فلسطيني', 'الفلسطينية'],
  ['سيارات', 'سياراته', 'سياراتها'],
  ['لاعبين', 'للاعبين', 'اللاعبين'],
  ['حكومة', 'وبحكومة'],
  ['ﻷن', 'لأن'],
  ['كتاب', 'کتاب'],
];
const MUST_NOT_MATCH: [string, string][] = [
  ['وزارة', 'زار'],
  ['البحرين', 'بحر'],
  ['السودان', 'سود'],
  ['لبنان', 'لبن'],
  ['عمان', 'عم'],
  // our own
  ['وزير', 'زير'],
  ['الله', 'له'],
  ['فريق', 'ريق'],
  ['برلين', 'برل'],
  ['بلدية', 'لديه'],
  ['كيري', 'يري'],
];

test('must-match pairs share a stem', () => {
  for (const group of MUST_MATCH) {
    const first = stemOf(group[0]);
    for (const w of group.slice(1)) assert.equal(stemOf(w), first, `${w} ~ ${group[0]}`);
  }
});

test('must-not-match pairs keep different stems', () => {
  for (const [a, b] of MUST_NOT_MATCH) assert.notEqual(stemOf(a), stemOf(b), `${a} ≠ ${b}`);
});

test('bare proclitic is kept when the archive does not know the rest', () => {
  const none: Vocabulary = { frequency: () => 0 };
  assert.equal(analyze('بحكومة', 'ar', { vocabulary: none })[0].stem, 'بحكوم');
  assert.equal(analyze('بحكومة', 'ar', { vocabulary: vocab })[0].stem, 'حكوم');
});

test('normalization folds the documented characters', () => {
  assert.equal(normalizeArabic('أإآٱ'), 'اااا');
  assert.equal(normalizeArabic('ىیے'), 'ييي');
  assert.equal(normalizeArabic('ک'), 'ك');
  assert.equal(normalizeArabic('ةۀہە'), 'هههه');
  assert.equal(normalizeArabic('ؤئ'), 'ءء');
  assert.equal(normalizeArabic('كتـــابٌ'), 'كتاب');
  assert.equal(normalizeArabic('\u0627\u0654'), 'ا', 'decomposed hamza composes, then folds');
  assert.equal(normalizeArabic('٣٫٥'), '3.5');
  assert.equal(normalizeArabic('الْقُرْآنِ'), 'القران');
});

test('offsets point into the original diacritized, tatweel-laden text', () => {
  const text = 'قال «الأَسْرَى» في \u200fالســـجون\u200f، بفلسطين.';
  const tokens = analyze(text, 'ar', { vocabulary: vocab });
  const slices = tokens.map((t) => text.slice(t.start, t.end));
  assert.deepEqual(slices, ['قال', 'الأَسْرَى', 'في', 'الســـجون', 'بفلسطين']);
  assert.deepEqual(
    tokens.map((t) => t.position),
    [0, 1, 2, 3, 4],
  );
});

test('format controls inside a word do not cut it', () => {
  const tokens = analyze('مي\u200cخواهم فل\u200fسطين', 'ar');
  assert.deepEqual(
    tokens.map((t) => t.term),
    ['ميخواهم', 'فلسطين'],
  );
});

test('Latin words in Arabic copy are lowercased, not stemmed', () => {
  const tokens = analyze('شبكة CNN الأمريكية', 'ar');
  assert.equal(tokens[1].term, 'cnn');
  assert.equal(tokens[1].stem, 'cnn');
});

test('on the corpus, every token maps back to a span that folds to its term', () => {
  const lines = fs.readFileSync(needShared(CORPUS), 'utf8').slice(0, 3_000_000).split('\n').slice(0, 300);
  let checked = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line) as { title: string; body: string };
    const text = doc.title + '\n' + doc.body;
    for (const t of analyze(text, 'ar')) {
      const span = text.slice(t.start, t.end);
      assert.ok(
        analyze(span, 'ar').some((u) => u.term === t.term),
        `span ${JSON.stringify(span)} → ${t.term}`,
      );
      assert.ok(!/^[\s\p{P}]/u.test(span), 'spans start on a letter or digit');
      checked++;
    }
  }
  assert.ok(checked > 10_000);
});
