// The editable subject table must only hold real IPTC codes (checked against the IPTC export).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STANDARDS } from './stories.ts';
import { genreFor, qcodeToUri, subjectTable, topicFor, uriToQcode } from '../../src/formats/mediatopics.ts';

test('every medtop code in subject-map.json exists, is not retired, and has IPTC label', () => {
  const iptc = JSON.parse(readFileSync(path.join(STANDARDS, 'mediatopics', 'mediatopic_2025-10-09_en-GB.json'), 'utf8')) as {
    conceptSet: { qcode: string; prefLabel: Record<string, string>; retired?: string }[];
  };
  const byCode = new Map(iptc.conceptSet.map((c) => [c.qcode, c]));
  for (const [category, code] of Object.entries(subjectTable().topics)) {
    const concept = byCode.get(code.qcode);
    assert.ok(concept, `${category}: ${code.qcode} is not an IPTC Media Topic`);
    assert.ok(!concept.retired, `${category}: ${code.qcode} is retired`);
    assert.equal(code.label, concept.prefLabel['en-GB'], category);
  }
});

test('genre codes use the IPTC genre scheme', () => {
  for (const code of Object.values(subjectTable().genres)) assert.match(code.qcode, /^genre:[A-Z][A-Za-z]+$/);
});

test('the categories named in issue #4 all map', () => {
  for (const c of [
    'الدول العربية',
    'العالم',
    'الشرق الأوسط',
    'رياضة',
    'اقتصاد',
    'تكنولوجيا',
    'ثقافة',
    'internationalNews',
    'middleEast',
    'sport',
    'economy',
    'technology',
    'culture',
    'Dünya',
    'Spor',
    'World',
    'Sport',
    'Politics',
    'Economy',
  ]) {
    assert.ok(topicFor(c), c);
  }
  assert.equal(genreFor('التقارير')?.qcode, 'genre:Feature');
  assert.equal(topicFor('SPORT')?.qcode, 'medtop:15000000', 'case-insensitive lookup');
  assert.equal(topicFor('no such category'), undefined);
  assert.equal(uriToQcode(qcodeToUri('medtop:15000000')), 'medtop:15000000');
});

test('every category the demo newsroom uses maps to a Media Topic or a genre', async () => {
  const { demoStories } = await import('../../src/demo/stories.ts');
  const { topicFor, genreFor } = await import('../../src/formats/mediatopics.ts');
  const unmapped = new Set<string>();
  for (const d of demoStories()) for (const c of d.content.categories) if (!topicFor(c) && !genreFor(c)) unmapped.add(c);
  assert.deepEqual([...unmapped], []);
});
