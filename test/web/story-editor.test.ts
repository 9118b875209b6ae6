// The body field as the server renders it (the no-JavaScript form, and what the editor script mounts
// on) and as a post is read back: hostile text inert, the direction of the story's language, the
// interface language's words, the field's error next to it, and bad posts refused with a named field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyFromForm, EDITOR_LABELS, storyEditorField } from '../../src/web/story-editor.ts';
import { ValidationError } from '../../src/model/validate.ts';
import type { Block } from '../../src/model/story.ts';

const HOSTILE: Block[] = [
  { type: 'paragraph', text: '</textarea><script>alert(1)</script>' },
  { type: 'quote', text: '"><img src=x onerror=alert(2)>', attribution: '\u202Eevil' },
];

test('the field renders hostile blocks inert, in the story direction, with the interface words', () => {
  const out = storyEditorField({ label: 'نص الخبر', blocks: HOSTILE, language: 'ar', interfaceLanguage: 'ar' }).value;
  assert.ok(!out.includes('<script') && !out.includes('<img') && !out.includes('</textarea><'), out);
  assert.equal(out.match(/<textarea/g)?.length, 1);
  assert.equal(out.match(/<\/textarea>/g)?.length, 1);
  assert.match(
    out,
    /<textarea id="story-body-text" name="bodyText" rows="18" lang="ar" dir="rtl">&lt;\/textarea&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;\n\n&quot;&gt;&lt;img/,
  );
  assert.match(out, /data-language="ar"/);
  assert.ok(out.includes('data-labels="{&quot;toolbar&quot;:&quot;كتل النص&quot;'));
  assert.ok(!/[\u202A-\u202E]/.test(out));
  // data-blocks carries the blocks, parseable as JSON once the attribute is decoded.
  const attr = /data-blocks="([^"]*)"/
    .exec(out)![1]
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  assert.equal((JSON.parse(attr) as Block[])[0].type, 'paragraph');
  const withError = storyEditorField({
    label: 'Body',
    blocks: [],
    language: 'en',
    interfaceLanguage: 'en',
    error: 'the body needs at least one paragraph',
  }).value;
  assert.match(withError, /aria-invalid="true" aria-describedby="story-body-error"/);
  assert.match(withError, /<p class="field-error" id="story-body-error">the body needs at least one paragraph<\/p>/);
  assert.deepEqual(Object.keys(EDITOR_LABELS.tr), Object.keys(EDITOR_LABELS.en));
});

test('a post is read as the editor sends it (JSON blocks) or as the textarea does (paragraphs); bad JSON names the field', () => {
  assert.deepEqual(bodyFromForm({ body: JSON.stringify(HOSTILE), bodyText: 'ignored' }), HOSTILE);
  assert.deepEqual(bodyFromForm({ bodyText: 'one\n\ntwo' }), [
    { type: 'paragraph', text: 'one' },
    { type: 'paragraph', text: 'two' },
  ]);
  assert.deepEqual(bodyFromForm({}), []);
  assert.throws(
    () => bodyFromForm({ body: '[{"type":' }),
    (e) => e instanceof ValidationError && e.errors[0].field === '/body',
  );
  assert.throws(() => bodyFromForm({ body: '{"type":"paragraph"}' }), /body must be a list of blocks/);
});
