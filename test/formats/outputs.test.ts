// Every story of the test set rendered in every format and checked with the official validators:
// Ajv 2020 + ajv-formats for ninjs 3.2 / 2.3, xmllint (libxml2 in WebAssembly) + the NewsML-G2 2.35 XSD and the Atom RELAX NG grammar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ajv2020Module from 'ajv/dist/2020.js';
import ajvFormatsModule from 'ajv-formats';
import { allVersions, BASE_URL, STANDARDS } from './stories.ts';
import { toNinjs3 } from '../../src/formats/ninjs.ts';
import { toNinjs2 } from '../../src/formats/ninjs2.ts';
import { toNewsML } from '../../src/formats/newsml.ts';
import { toAtom } from '../../src/formats/atom.ts';
import { storyToHtml, storyToText } from '../../src/formats/html-body.ts';
import { parseXmlSafe } from '../../src/formats/xml-safe.ts';
import { ATOM_RNC, ATOM_RNC_SHA256, xmllintSchema, validateAtom } from './validators.ts';
import { needShared } from '../helpers.ts';

const set = allVersions();
const opts = { baseUrl: BASE_URL };

// The official schemas from ../shared (not the vendored copies), so a drifted copy would show here.
function sharedValidator(version: '3.2' | '2.3') {
  const ajv = new ajv2020Module.default({ allErrors: true });
  ajvFormatsModule.default(ajv);
  const read = (f: string) => JSON.parse(readFileSync(path.join(STANDARDS, 'ninjs', f), 'utf8'));
  ajv.addSchema(read('GeoJSON-schema.json'));
  return ajv.compile(read(`ninjs-schema_${version}.json`));
}

test('the test set holds the seed-like, corrected, killed, photo, embargoed and 200 corpus stories', () => {
  const labels = set.map((s) => s.label);
  for (const l of ['rich', 'corrected', 'killed', 'photo', 'embargoed']) assert.ok(labels.includes(l), l);
  assert.equal(labels.filter((l) => l.startsWith('corpus-')).length, 200, 'corpus stories (needs ../shared/corpus)');
});

test('ninjs 3.2 output validates against the official 3.2 schema', () => {
  const validate = sharedValidator('3.2');
  for (const { label, v } of set) {
    const doc = JSON.parse(JSON.stringify(toNinjs3(v, opts)));
    assert.ok(validate(doc), `${label}: ${JSON.stringify(validate.errors)}`);
  }
});

test('ninjs 2.3 output validates against the official 2.3 schema (and not against 3.2)', () => {
  const validate = sharedValidator('2.3');
  const v32 = sharedValidator('3.2');
  for (const { label, v } of set) {
    const doc = JSON.parse(JSON.stringify(toNinjs2(v, opts)));
    assert.ok(validate(doc), `${label}: ${JSON.stringify(validate.errors)}`);
  }
  assert.equal(v32(toNinjs2(set[0].v, opts)), false, '2.x spelling must not pass as 3.x');
});

test('ninjs carries the mapped fields in 3.x and 2.x names', () => {
  const rich = set.find((s) => s.label === 'rich')!.v;
  const n3 = toNinjs3(rich, opts) as any;
  assert.equal(n3.uri, `${BASE_URL}/stories/st-0001`);
  assert.deepEqual(
    n3.headlines.map((h: any) => h.role),
    ['main', 'subheadline'],
  );
  assert.deepEqual(
    n3.bodies.map((b: any) => b.contentType),
    ['text/html', 'text/plain'],
  );
  assert.equal(n3.located, 'إسطنبول');
  assert.equal(n3.subjects[0].uri, 'http://cv.iptc.org/newscodes/mediatopic/11000000');
  assert.deepEqual(n3.genres, [{ name: 'Feature', uri: 'http://cv.iptc.org/newscodes/genre/Feature', literal: 'genre:Feature' }]);
  assert.equal(n3.version, '1');
  assert.equal(n3.urgency, 3);
  const n2 = toNinjs2(set.find((s) => s.label === 'embargoed')!.v, opts) as any;
  assert.ok(n2.versioncreated && n2.firstcreated && n2.pubstatus && n2.altids && n2.embargoed);
  assert.equal(n2.bodies[0].contenttype, 'text/html');
  const killed = toNinjs3(set.find((s) => s.label === 'killed')!.v, opts) as any;
  assert.equal(killed.pubStatus, 'canceled');
  assert.ok(killed.edNote.startsWith('KILL'));
  assert.ok(killed.descriptions.some((d: any) => d.role === 'kill'));
  const photo = toNinjs3(set.find((s) => s.label === 'photo')!.v, opts) as any;
  assert.equal(photo.associations.length, 2);
  assert.equal(photo.associations[0].renditions[0].width, 1600);
});

test('NewsML-G2 output validates against the 2.35 XSD (one xmllint run)', async () => {
  const docs: Record<string, string> = {};
  for (const { label, v } of set) docs[label] = toNewsML(v, opts);
  const { failures } = await xmllintSchema(docs);
  assert.deepEqual(failures, {});
  const rich = docs.rich;
  assert.match(rich, /dir="rtl"/);
  assert.match(rich, /<itemClass qcode="ninat:text"\/>/);
  assert.match(rich, /qcode="medtop:11000000"/);
  assert.match(rich, /<genre qcode="genre:Feature">/);
  assert.match(docs.killed, /stat:canceled/);
  assert.match(docs.corrected, /sig:correction/);
  assert.match(docs.corrected, /rel="irel:previousVersion" residref="https:\/\/wire.example.org\/stories\/st-0001" version="1"/);
  assert.match(docs.embargoed, /<embargoed>2026-02-01T06:00:00Z<\/embargoed>/);
});

test('Atom feeds validate against the RFC 4287 grammar (one RELAX NG run)', async () => {
  const feed = { id: `${BASE_URL}/feeds/all`, title: 'كل الأخبار', link: `${BASE_URL}/v1/feeds/all.atom`, language: 'ar' };
  const versions = set.map((s) => s.v);
  const docs = {
    full: toAtom(feed, versions, { baseUrl: BASE_URL }),
    abbreviated: toAtom(feed, versions.slice(0, 50), {
      abbreviated: (v) => v.content.deck ?? v.content.headline,
      entryLink: (v) => `${BASE_URL}/ar/${v.storyId}`,
    }),
    empty: toAtom({ ...feed, updated: '2026-01-30T00:00:00Z' }, []),
  };
  const r = await validateAtom(docs);
  assert.ok(r.ok, r.output);
  assert.match(docs.full, /<content type="xhtml"><div xmlns="http:\/\/www.w3.org\/1999\/xhtml" dir="rtl">/);
  assert.ok(!docs.abbreviated.includes('<content'), 'abbreviated entries carry no full content');
  // Well-formed to our own strict reader too.
  parseXmlSafe(docs.full);
});

test('the Atom RELAX NG grammar is the conversion of the RFC grammar in ../shared', () => {
  const rnc = readFileSync(needShared(ATOM_RNC));
  assert.equal(
    createHash('sha256').update(rnc).digest('hex'),
    ATOM_RNC_SHA256,
    'the RFC grammar in ../shared changed: convert it again (test/formats/schemas/README.md)',
  );
});

test('html and text renderings', () => {
  for (const { label, v } of set.slice(0, 8)) {
    const html = storyToHtml(v);
    assert.ok(html.startsWith('<!DOCTYPE html>'), label);
    // The page minus its doctype is well-formed XML: the escaping holds.
    parseXmlSafe(html.replace('<!DOCTYPE html>', ''));
    assert.ok(storyToText(v).includes(v.content.headline), label);
  }
  assert.match(storyToHtml(set[0].v), /<html lang="ar" dir="rtl">/);
});

test('the validators do reject broken documents (no silent pass)', async () => {
  const good = toNewsML(set[0].v, opts);
  const { failures } = await xmllintSchema({ good, noguid: good.replace(/ guid="[^"]*"/, '') });
  assert.deepEqual(Object.keys(failures), ['noguid']);
  const atom = toAtom({ id: 'urn:x', title: 't', link: `${BASE_URL}/f` }, [set[0].v]);
  assert.equal((await validateAtom({ bad: atom.replace(/<updated>[^<]*<\/updated>/g, '') })).ok, false);
});
