// The escaper, URL and JSON guards, and slugs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, raw, safeUrl, scriptJson } from '../../src/web/html.ts';
import { slugify } from '../../src/model/slug.ts';
import { negotiate } from '../../src/web/i18n.ts';

test('html escapes interpolations and passes nested templates through', () => {
  const evil = '<script>alert("x")</script>&\'';
  assert.equal(html`<p>${evil}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>');
  assert.equal(html`<div>${html`<b>${'<i>'}</b>`}${[raw('<br>'), 'a<b']}</div>`.value, '<div><b>&lt;i&gt;</b><br>a&lt;b</div>');
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
});

test('bidi embedding, override and isolate controls are removed from story text', () => {
  const spoof = 'abc\u202Egnp.exe\u202C \u2066x\u2069 \u202Ay\u202B';
  assert.equal(escapeHtml(spoof), 'abcgnp.exe x y');
  assert.equal(escapeHtml('a\u0000b\u001Fc'), 'abc');
});

test('only site paths and http(s) URLs survive as links', () => {
  assert.equal(safeUrl('/static/demo/a.svg'), '/static/demo/a.svg');
  assert.equal(safeUrl('https://img.example.org/a.jpg'), 'https://img.example.org/a.jpg');
  for (const bad of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.example/x', '/\\evil.example', 'vbscript:x', '', null]) {
    assert.equal(safeUrl(bad), null, String(bad));
  }
});

test('JSON in a script block cannot close it', () => {
  const out = scriptJson({ headline: '</script><script>alert(1)</script>\u2028' }).value;
  assert.ok(!out.includes('</script>') && !out.includes('<'));
  assert.deepEqual(JSON.parse(out), { headline: '</script><script>alert(1)</script>\u2028' });
});

test('slugs keep letters of every script and use locale-aware casing', () => {
  assert.equal(slugify('İstanbul’da Büyük Fuar', 'tr'), 'istanbul-da-büyük-fuar');
  assert.equal(slugify('IĞDIR', 'tr'), 'ığdır');
  assert.equal(slugify('الدول العربية', 'ar'), 'الدول-العربية');
  assert.equal(slugify('مُؤْتَمَر', 'ar'), 'مؤتمر');
  assert.equal(slugify('<script>!!!', 'en'), 'script');
  assert.equal(slugify('!!!', 'en'), 'story');
});

test('Accept-Language picks the edition by quality', () => {
  assert.equal(negotiate('de-DE,tr;q=0.8,en;q=0.9'), 'en');
  assert.equal(negotiate('tr-TR'), 'tr');
  assert.equal(negotiate('fr'), 'ar');
  assert.equal(negotiate(undefined), 'ar');
});
