import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocksToHtml, blocksToText, escapeXml, htmlToBody } from '../../src/formats/html-body.ts';
import type { Block } from '../../src/model/story.ts';

test('escaping covers markup characters and drops characters XML cannot carry', () => {
  assert.equal(escapeXml('a < b & "c" > d'), 'a &lt; b &amp; &quot;c&quot; &gt; d');
  assert.equal(escapeXml('x\u0001y\u000Bz\uFFFE'), 'xyz');
  assert.equal(escapeXml('نص عربي\u200F مع علامة'), 'نص عربي\u200F مع علامة', 'bidi marks are kept');
  assert.equal(blocksToHtml([{ type: 'paragraph', text: '<script>alert(1)</script>' }]), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
});

test('every block type survives HTML and back', () => {
  const blocks: Block[] = [
    { type: 'paragraph', text: 'فقرة أولى' },
    { type: 'subheading', text: 'عنوان فرعي' },
    { type: 'quote', text: 'اقتباس', attribution: 'قائل' },
    { type: 'quote', text: 'بلا قائل' },
    { type: 'list', ordered: true, items: ['أ', 'ب'] },
    { type: 'list', ordered: false, items: ['ج'] },
  ];
  assert.deepEqual(htmlToBody(blocksToHtml(blocks)).blocks, blocks);
  assert.equal(blocksToText(blocks).split('\n\n').length, 6);
});

test('sloppy HTML from other systems still imports as paragraphs', () => {
  assert.deepEqual(
    htmlToBody('<p>one<br>two</p><p>three &nbsp;four</p>').blocks.map((b) => (b as { text: string }).text),
    ['one', 'two', 'three \u00a0four'],
  );
});
