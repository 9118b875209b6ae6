// Hostile and broken input: each rejected with a FormatError naming the line/path and the rule,
// quickly, without touching the file system or network, and the process stays up.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromNewsML } from '../../src/formats/newsml.ts';
import { fromNinjs, toNinjs3 } from '../../src/formats/ninjs.ts';
import { parseXmlSafe } from '../../src/formats/xml-safe.ts';
import { FormatError, MAX_DOCUMENT_BYTES, type FormatRule } from '../../src/formats/format-error.ts';
import { htmlToBody } from '../../src/formats/html-body.ts';
import { coreVersions, BASE_URL } from './stories.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

// The ninjs schema validator is compiled on first use; compiling it is not what "rejected quickly" is
// about (a hostile document must not make parsing slow), and under a loaded machine it took seconds.
before(() => {
  try {
    fromNinjs('{}');
  } catch {
    // Invalid on purpose: only the compiled validator is wanted.
  }
});

function rejects(fn: () => unknown, rule: FormatRule, location?: RegExp): FormatError {
  const t0 = performance.now();
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected FormatError, got ${(e as Error).stack}`);
    assert.equal(e.rule, rule, e.message);
    assert.ok(e.message.includes(`rule: ${rule}`), 'the message names the rule');
    if (location) assert.match(e.location ?? '', location, e.message);
    assert.ok(performance.now() - t0 < 2000, 'rejected quickly');
    return e;
  }
  assert.fail(`expected rejection with rule ${rule}`);
}

test('XML bombs and external entities: DOCTYPE refused outright, with its line', () => {
  const e = rejects(() => fromNewsML(fixture('billion-laughs.xml')), 'doctype-forbidden', /^line 2, column 1$/);
  assert.match(e.message, /DOCTYPE/);
  rejects(() => fromNewsML(fixture('xxe-file.xml')), 'doctype-forbidden', /^line 2/);
  rejects(() => fromNewsML(fixture('xxe-external-dtd.xml')), 'doctype-forbidden', /^line 2/);
  rejects(() => fromNewsML(fixture('xxe-parameter-entity.xml')), 'doctype-forbidden', /^line 2/);
  // An entity declaration smuggled without a DOCTYPE is refused as well.
  rejects(() => parseXmlSafe('<a><!ENTITY x "y"></a>'), 'entity-forbidden', /^line 1/);
});

test('undeclared entities are errors, never expanded or looked up', () => {
  rejects(() => fromNewsML(fixture('undeclared-entity.xml')), 'entity-forbidden', /headline/);
  // Double-escaped references decode once only.
  const root = parseXmlSafe('<a t="&amp;#60;">&amp;lt; &#1575;&#x627; &lt;</a>');
  assert.equal(root.attrs.t, '&#60;');
  assert.equal(root.children[0], '&lt; اا <');
});

test('malformed XML names line and column', () => {
  const e = rejects(() => fromNewsML(fixture('malformed.xml')), 'xml-syntax', /^line \d+, column \d+$/);
  assert.match(e.message, /itemClass/);
  rejects(() => fromNewsML(fixture('two-roots.xml')), 'xml-syntax');
  rejects(() => fromNewsML('not xml at all'), 'xml-syntax');
  rejects(() => parseXmlSafe('<a><b:c/></a>'), 'namespace', /\/a\/b:c/);
});

test('wrong namespace, packages and unsupported item classes are refused with the reason', () => {
  const ns = rejects(() => fromNewsML(fixture('wrong-namespace.xml')), 'namespace', /\/newsItem/);
  assert.match(ns.message, /http:\/\/example.org\/not-newsml/);
  const comp = rejects(() => fromNewsML(fixture('composite-item.xml')), 'unsupported-item-class', /itemClass/);
  assert.match(comp.message, /ninat:composite.*supported: ninat:text, ninat:picture/);
  rejects(() => fromNewsML(fixture('package-item.xml')), 'unsupported-item-class', /packageItem/);
  rejects(() => fromNewsML('<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" version="1"/>'), 'missing-element');
});

test('gigantic documents are refused before parsing', () => {
  const big = '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">' + 'x'.repeat(MAX_DOCUMENT_BYTES) + '</newsItem>';
  rejects(() => fromNewsML(big), 'size-limit');
  const bigJson = JSON.stringify({ uri: 'https://x.example/1', headlines: [{ value: 'x'.repeat(MAX_DOCUMENT_BYTES) }] });
  rejects(() => fromNinjs(bigJson), 'size-limit');
  // Multi-byte text is measured in bytes, not characters.
  const arabic = '{"uri":"https://x.example/1","headlines":[{"value":"' + 'ع'.repeat(MAX_DOCUMENT_BYTES / 2 + 10) + '"}]}';
  rejects(() => fromNinjs(arabic), 'size-limit');
});

test('pathologically deep nesting is refused, not a stack overflow', () => {
  const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
  rejects(() => parseXmlSafe(deep), 'depth-limit');
  const deepHtml = '<div>'.repeat(5000) + 'x' + '</div>'.repeat(5000);
  rejects(() => htmlToBody(deepHtml), 'depth-limit');
});

test('invalid JSON names line and column', () => {
  const e = rejects(() => fromNinjs(fixture('invalid-json.json')), 'json-syntax', /^line 3, column \d+$/);
  assert.match(e.message, /invalid JSON/);
  rejects(() => fromNinjs('[1, 2]'), 'schema', /^\/$/);
  rejects(() => fromNinjs('null'), 'schema');
});

test('schema-invalid ninjs lists every problem with JSON path and rule', () => {
  const e = rejects(() => fromNinjs(fixture('schema-invalid.ninjs.json')), 'schema');
  const rules = e.problems.map((p) => `${p.path} ${p.rule}`);
  assert.ok(rules.includes('/headlines/0 required'), rules.join('; '));
  assert.ok(rules.includes('/urgency maximum'), rules.join('; '));
  assert.ok(
    e.problems.some((p) => p.rule === 'unevaluatedProperties' && p.message.includes("'keywords'")),
    rules.join('; '),
  );
  rejects(() => fromNinjs(fixture('ninjs-event.json')), 'unsupported-type', /^\/type$/);
});

test('the process stays usable after every rejection', () => {
  const v = coreVersions()[0].v;
  assert.deepEqual(fromNinjs(JSON.stringify(toNinjs3(v, { baseUrl: BASE_URL }))).content, v.content);
});
