// The official IPTC examples and conformance suites through the importers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { STANDARDS } from './stories.ts';
import { fromNinjs } from '../../src/formats/ninjs.ts';
import { fromNewsML } from '../../src/formats/newsml.ts';
import { FormatError } from '../../src/formats/format-error.ts';

const NINJS = path.join(STANDARDS, 'ninjs');
const files = (dir: string) =>
  readdirSync(path.join(NINJS, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(NINJS, dir, f));
const read = (f: string) => readFileSync(f, 'utf8');

function rejection(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected FormatError, got ${e}`);
    return e;
  }
  assert.fail('expected the import to be rejected');
}

test('official ninjs examples of text and picture items import', () => {
  assert.ok(existsSync(NINJS), '../shared/standards/ninjs is needed');
  // 3.3/2.4 drafts only where they use no draft-only property (see the standards README).
  const dirs = ['3.1', '2.2', 'agency-3.0', '3.3', '2.4'];
  const draftOnly = new Set([
    '3.3/006_photo_only.json',
    '3.3/010_rendition_extensions_example.json',
    '2.4/006_photo_only.json',
    '2.4/010_rendition_extensions_example.json',
  ]);
  let texts = 0;
  let pictures = 0;
  for (const dir of dirs) {
    for (const f of files(`examples/${dir}`)) {
      const key = `${dir}/${path.basename(f)}`;
      const doc = JSON.parse(read(f));
      const type = doc.type ?? 'text';
      if (draftOnly.has(key)) {
        assert.equal(rejection(() => fromNinjs(doc)).rule, 'schema', key);
        continue;
      }
      if (type === 'text' || type === 'picture') {
        const { content, meta } = fromNinjs(doc);
        assert.ok(content.headline || content.body.length || content.photos.length, `${key} imported something`);
        assert.equal(meta.uri, doc.uri, key);
        if (type === 'picture') {
          pictures++;
          assert.equal(content.mediaType, 'photo', key);
          assert.ok(content.photos.length >= 1 && content.photos[0].url.startsWith('http'), `${key} photo rendition`);
        } else texts++;
      } else if (type === 'event' || type === 'planning') {
        assert.equal(rejection(() => fromNinjs(doc)).rule, 'unsupported-type', key);
      } else {
        fromNinjs(doc); // composite/audio/video: valid, imported with their text parts
      }
    }
  }
  assert.ok(texts >= 10 && pictures >= 3, `texts ${texts}, pictures ${pictures}`);
  const complex = fromNinjs(read(path.join(NINJS, 'examples/3.1/005_complex_text_article.json'))).content;
  assert.equal(complex.headline, 'Captain of wrecked cruise ship on trial in Italy');
  assert.equal(complex.body.length, 4, 'the XHTML body gives four paragraphs');
  assert.equal(complex.language, 'en');
  const complex2 = fromNinjs(read(path.join(NINJS, 'examples/2.2/005_complex_text_article.json'))).content;
  assert.deepEqual(complex2, complex, '2.2 and 3.1 spellings of the same article import alike');
});

test('upstream-invalid examples are rejected with path and rule', () => {
  for (const f of files('examples/upstream-invalid')) {
    const e = rejection(() => fromNinjs(read(f)));
    assert.equal(e.rule, 'schema');
    assert.match(e.message, /\/uri must match format "uri" \[format\]/);
  }
});

test('IPTC should_pass suites (3.0, 3.1, 2.1, 2.2) pass schema validation in the importer', () => {
  for (const dir of ['3.0', '3.1', '2.1', '2.2']) {
    for (const f of files(`test_suite/${dir}/should_pass`)) {
      try {
        fromNinjs(read(f));
      } catch (e) {
        // Events and planning items are valid ninjs but not stories: the only acceptable refusal.
        assert.ok(e instanceof FormatError && e.rule === 'unsupported-type', `${dir}/${path.basename(f)}: ${e}`);
      }
    }
  }
});

test('draft 3.3/2.4 should_pass cases use draft-only properties and are refused against 3.2/2.3', () => {
  for (const dir of ['3.3', '2.4']) {
    for (const f of files(`test_suite/${dir}/should_pass`)) {
      const e = rejection(() => fromNinjs(read(f)));
      assert.equal(e.rule, 'schema');
      assert.match(e.message, /unevaluated properties|additional properties/);
    }
  }
});

test('every IPTC should_fail case is rejected with a clear schema error', () => {
  let n = 0;
  for (const dir of readdirSync(path.join(NINJS, 'test_suite'))) {
    if (!existsSync(path.join(NINJS, 'test_suite', dir, 'should_fail'))) continue;
    for (const f of files(`test_suite/${dir}/should_fail`)) {
      const e = rejection(() => fromNinjs(read(f)));
      assert.equal(e.rule, 'schema', `${dir}/${path.basename(f)}`);
      assert.ok(e.problems.length > 0 && e.problems[0].path.startsWith('/'), 'problems carry JSON paths');
      assert.match(e.message, /not valid ninjs (3\.2|2\.3): \/\S* .+ \[\w+\]/);
      n++;
    }
  }
  assert.equal(n, 19);
});

test('official NewsML-G2 examples: text and picture items import, others are refused', () => {
  const dir = path.join(STANDARDS, 'newsml-g2', 'examples');
  const f = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  const l1 = fromNewsML(f('LISTING_1_A_NewsML-G2_News_Item.xml'));
  assert.equal(l1.content.headline, 'Fed to halt QE to avert "bubble"');
  assert.equal(l1.content.embargoUntil, '2018-10-23T12:00:00Z');
  assert.equal(l1.content.dateline?.place, 'Berlin');
  assert.equal(l1.meta.version, 11);
  assert.ok(l1.content.categories.includes('labour market'));
  const l2 = fromNewsML(f('LISTING_2_NewsML-G2_Text_Document.xml'));
  assert.equal(l2.content.body.length, 2, 'NITF body paragraphs');
  assert.match(l2.content.body[0].type === 'paragraph' ? l2.content.body[0].text : '', /^\(New York, NY - October 21\) Et, sent luptat/);
  assert.equal(l2.content.language, 'en-US');
  assert.deepEqual(l2.content.byline, [{ name: 'Meredith Jameson' }]);
  const l3 = fromNewsML(f('LISTING_3_Photo_in_NewsML-G2.xml'));
  assert.equal(l3.content.mediaType, 'photo');
  assert.equal(l3.content.photos[0].url, './GYI0062134533.jpg');
  assert.equal(l3.content.photos[0].width, 1500);
  assert.equal(l3.content.photos[0].credit, 'Getty Images');
  assert.deepEqual(l3.content.byline, [
    { name: 'Spencer Platt', role: 'photographer' },
    { name: 'sp/lrc', role: 'descrWriter' },
  ]);
  assert.ok(l3.content.keywords.includes('poverty'));
  const l29 = fromNewsML(f('LISTING_29_Hop_History.xml'));
  assert.equal(l29.content.mediaType, 'text');
  assert.equal(rejection(() => fromNewsML(f('LISTING_6_Simple_NewsML-G2_Package.xml'))).rule, 'unsupported-item-class');
  assert.equal(rejection(() => fromNewsML(f('LISTING_16_A_Set_of_Events_carried_in_a_News_Item.xml'))).rule, 'unsupported-item-class');
});
