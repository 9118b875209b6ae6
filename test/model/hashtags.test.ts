import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractHashtags, mergeHashtags } from '../../src/model/hashtags.ts';

test('Arabic hashtags end at Arabic punctuation', () => {
  assert.deepEqual(extractHashtags('حملة بوسوم مثل #يوم_المكتبات، و #القراءة_للجميع. وأيضا #مكتبة؛ ثم #كتب؟'), [
    'يوم_المكتبات',
    'القراءة_للجميع',
    'مكتبة',
    'كتب',
  ]);
});

test('Arabic marks, tatweel and Arabic-Indic digits belong to the tag', () => {
  assert.deepEqual(extractHashtags('#المَكتبة_الرقمية و #عـــاجل و #قمة_٢٠٢٦'), ['المَكتبة_الرقمية', 'عـــاجل', 'قمة_٢٠٢٦']);
});

test('Turkish letters, including dotted capital İ', () => {
  assert.deepEqual(extractHashtags('Bugün #İstanbul ve #Eskişehir için #BilimŞenliği!'), ['İstanbul', 'Eskişehir', 'BilimŞenliği']);
});

test('English tags, case-insensitive de-duplication keeps the first spelling', () => {
  assert.deepEqual(extractHashtags('#OpenData and #opendata and #OPENDATA, then #science.'), ['OpenData', 'science']);
  assert.deepEqual(extractHashtags('#İstanbul #istanbul #ISTANBUL #Istanbul'), ['İstanbul']);
});

test('digits-only is not a tag, digits with letters are', () => {
  assert.deepEqual(extractHashtags('Issue #2 and #2026 but #2026Summit and #G20'), ['2026Summit', 'G20']);
  assert.deepEqual(extractHashtags('#١٢٣ #٢٠٢٦'), []);
});

test('not inside URLs, words, entities or repeated #', () => {
  assert.deepEqual(
    extractHashtags('See https://example.org/page#section and www.example.com/#top and http://x.test/?q=#a, also C# and abc#def and &#1234; and ##double'),
    [],
  );
  assert.deepEqual(extractHashtags('Link: https://example.org/a#frag then #real'), ['real']);
  assert.deepEqual(extractHashtags('(#inParens) "#quoted" [#bracket]'), ['inParens', 'quoted', 'bracket']);
});

test('full-width # and ZWNJ inside Persian words', () => {
  assert.deepEqual(extractHashtags('＃東京 and #می‌خواهم‌'), ['東京', 'می‌خواهم']);
});

test('empty and tag-less text', () => {
  assert.deepEqual(extractHashtags(''), []);
  assert.deepEqual(extractHashtags('# # #_ #__'), []);
  assert.deepEqual(extractHashtags('no tags here'), []);
});

test('mergeHashtags: explicit first, then body, each once', () => {
  const body = [
    { type: 'paragraph' as const, text: 'نص مع #أنقذوا_الأسرى و #Library' },
    { type: 'subheading' as const, text: 'عنوان #library' },
    { type: 'list' as const, ordered: false, items: ['#One', 'two #Three'] },
    { type: 'quote' as const, text: 'said #Quote', attribution: 'someone #NotCounted' },
  ];
  assert.deepEqual(mergeHashtags(['#explicit', ' أنقذوا_الأسرى ', '', '#'], body), ['explicit', 'أنقذوا_الأسرى', 'Library', 'One', 'Three', 'Quote']);
  assert.deepEqual(mergeHashtags([], []), []);
});

test('a tag glued to a preceding letter is not a tag (as on the big platforms: و#وسم)', () => {
  assert.deepEqual(extractHashtags('و#وسم'), []);
});
