// The body ↔ editor document mapping, in Node: every block type both ways, an exact round trip of
// hostile and mixed-script text, what the model cannot hold is dropped, the textarea fallback, counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocksFromPlainText, blocksToDoc, blocksToPlainText, bodyCounts, docToBlocks, type DocNode } from '../../src/model/body-doc.ts';
import type { Block } from '../../src/model/story.ts';
import { validateContent } from '../../src/model/validate.ts';
import { emptyContent } from '../../src/model/story.ts';

const EVERY_BLOCK: Block[] = [
  { type: 'paragraph', text: 'قال المتحدث إن الاجتماع سيُعقد غدًا.' },
  { type: 'subheading', text: 'ردود الفعل' },
  { type: 'quote', text: 'لن نتراجع', attribution: 'وزير الخارجية' },
  { type: 'quote', text: 'A quote nobody signed' },
  { type: 'list', ordered: false, items: ['أولًا', 'ثانيًا'] },
  { type: 'list', ordered: true, items: ['one', 'two', 'three'] },
];

test('every block type maps onto its node and back exactly', () => {
  const doc = blocksToDoc(EVERY_BLOCK);
  assert.deepEqual(
    doc.content?.map((n) => n.type),
    ['paragraph', 'subheading', 'quote', 'quote', 'bulletList', 'orderedList'],
  );
  assert.deepEqual(doc.content?.[2], {
    type: 'quote',
    content: [
      { type: 'quoteText', content: [{ type: 'text', text: 'لن نتراجع' }] },
      { type: 'quoteAttribution', content: [{ type: 'text', text: 'وزير الخارجية' }] },
    ],
  });
  assert.deepEqual(doc.content?.[3].content?.[1], { type: 'quoteAttribution' }, 'a quote without attribution has an empty attribution node');
  assert.deepEqual(doc.content?.[5].content?.[1], { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] });
  assert.deepEqual(docToBlocks(doc), EVERY_BLOCK);
  assert.deepEqual(docToBlocks(JSON.parse(JSON.stringify(doc)) as DocNode), EVERY_BLOCK, 'the JSON the browser posts maps the same');
});

test('hostile and mixed text survives the round trip byte for byte', () => {
  const hostile: Block[] = [
    { type: 'paragraph', text: '<script>alert(1)</script> & "quotes" \'single\' <img src=x onerror=alert(1)>' },
    { type: 'paragraph', text: 'RTL override \u202Egnirts\u202C and isolate \u2066x\u2069, zero width \u200B\u200D, emoji 👩🏽‍💻' },
    { type: 'subheading', text: 'Reuters تقول: «الوضع هادئ» (2026)' },
    { type: 'quote', text: 'line one\nline two\n\nafter a blank line', attribution: '  spaced  ' },
    { type: 'list', ordered: true, items: ['  leading spaces', 'trailing spaces  ', 'ok\nwith a break'] },
    { type: 'paragraph', text: '\nstarts and ends with a break\n' },
    { type: 'paragraph', text: 'a\n\n\nb' },
    { type: 'paragraph', text: 'ٱلْعَرَبِيَّةُ مع التشكيل وكلمة English وأرقام ١٢٣' },
  ];
  const doc = blocksToDoc(hostile);
  assert.deepEqual(docToBlocks(doc), hostile);
  // Line breaks are hard break nodes: text nodes never hold one, and are never empty.
  const texts: string[] = [];
  const walk = (n: DocNode) => {
    if (n.type === 'text') texts.push(n.text ?? '');
    n.content?.forEach(walk);
  };
  walk(doc);
  assert.ok(texts.every((t) => t !== '' && !t.includes('\n')));
});

test('an empty body is one empty paragraph to type in, and gives no blocks back', () => {
  assert.deepEqual(blocksToDoc([]), { type: 'doc', content: [{ type: 'paragraph' }] });
  assert.deepEqual(docToBlocks(blocksToDoc([])), []);
});

test('what the model cannot hold is dropped: blank blocks, empty items and attributions, unknown nodes and marks', () => {
  const doc: DocNode = {
    type: 'doc',
    content: [
      { type: 'paragraph' },
      { type: 'paragraph', content: [{ type: 'text', text: '   ' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'bold', marks: [{ type: 'bold' }] }] },
      { type: 'image', attrs: { src: 'javascript:alert(1)' } },
      { type: 'quote', content: [{ type: 'quoteText' }, { type: 'quoteAttribution', content: [{ type: 'text', text: 'nobody' }] }] },
      { type: 'quote', content: [{ type: 'quoteText', content: [{ type: 'text', text: 'said' }] }, { type: 'quoteAttribution' }] },
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph' }] },
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] },
        ],
      },
      { type: 'orderedList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
      { type: 'subheading', content: [{ type: 'text', text: 'end' }] },
    ],
  };
  const blocks = docToBlocks(doc);
  assert.deepEqual(blocks, [
    { type: 'paragraph', text: 'bold' },
    { type: 'quote', text: 'said' },
    { type: 'list', ordered: false, items: ['x'] },
    { type: 'subheading', text: 'end' },
  ]);
  // Whatever the mapping gives is a valid story body.
  validateContent({ ...emptyContent('ar'), headline: 'عنوان', body: blocks });
});

test('the textarea fallback: paragraphs separated by blank lines, line breaks inside kept, CRLF as LF', () => {
  assert.deepEqual(blocksFromPlainText('first\r\nstill first\r\n\r\nsecond\n \n\n\nthird\n'), [
    { type: 'paragraph', text: 'first\nstill first' },
    { type: 'paragraph', text: 'second' },
    { type: 'paragraph', text: 'third' },
  ]);
  assert.deepEqual(blocksFromPlainText('  \n\n '), []);
  assert.equal(blocksToPlainText(EVERY_BLOCK).split('\n\n').length, EVERY_BLOCK.length);
});

test('counts: grapheme characters (a letter with its harakat is one) and Unicode words in Arabic, Turkish and English', () => {
  assert.deepEqual(bodyCounts([{ type: 'paragraph', text: 'كَتَبَ الولدُ' }]), { characters: 9, words: 2 });
  assert.deepEqual(bodyCounts([{ type: 'paragraph', text: 'İstanbul’da yağmur var.' }]), { characters: 23, words: 3 });
  assert.deepEqual(bodyCounts(EVERY_BLOCK).words, 6 + 2 + 2 + 2 + 4 + 1 + 1 + 3);
  assert.deepEqual(bodyCounts([]), { characters: 0, words: 0 });
});
