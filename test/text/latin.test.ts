import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, detectLanguage, porterStem } from '../../src/text/index.ts';

test('Turkish folds case by the Turkish alphabet', () => {
  assert.deepEqual(
    analyze('İstanbul IRAK Işık', 'tr').map((t) => t.term),
    ['istanbul', 'ırak', 'ışık'],
  );
});

test('Turkish apostrophe suffixes fall off proper nouns; offsets cover the written word', () => {
  const text = "İstanbul'da ve Ankara’ya";
  const tokens = analyze(text, 'tr');
  assert.deepEqual(
    tokens.map((t) => t.term),
    ['istanbul', 've', 'ankara'],
  );
  assert.equal(text.slice(tokens[0].start, tokens[0].end), "İstanbul'da");
});

test('English uses the Porter stemmer', () => {
  assert.deepEqual(['caresses', 'ponies', 'running', 'hopping', 'relational', 'generalization', 'connections', 'agreed'].map(porterStem), [
    'caress',
    'poni',
    'run',
    'hop',
    'relat',
    'gener',
    'connect',
    'agre',
  ]);
  const tokens = analyze("The minister's statements", 'en');
  assert.deepEqual(
    tokens.map((t) => [t.term, t.stem]),
    [
      ['the', 'the'],
      ['minister', 'minist'],
      ['statements', 'statement'],
    ],
  );
});

test('Arabic words in English copy still get Arabic analysis', () => {
  assert.equal(analyze('Protesters chanted والأسرى', 'en')[2].stem, 'اسر');
});

test('language detection for queries', () => {
  assert.equal(detectLanguage('الأسرى في غزة'), 'ar');
  assert.equal(detectLanguage("İstanbul'da"), 'tr');
  assert.equal(detectLanguage('Işık'), 'tr');
  assert.equal(detectLanguage('prisoners in Gaza'), 'en');
  assert.equal(detectLanguage('CNN غزة الأسرى'), 'ar');
  assert.equal(detectLanguage('2018'), 'und');
});
