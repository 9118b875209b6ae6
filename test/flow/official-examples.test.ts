// IPTC's own examples and should_pass suites, imported for real: read, validated, stored as published
// stories (issue #4: "Import of the official examples … must succeed"). Event and planning items are
// not news items of text or photo, and are refused with a reason.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { Importer } from '../../src/flow/importer.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { SHARED, needShared, tempDbFile } from '../helpers.ts';

const STANDARDS = join(SHARED, 'standards');
const files = (dir: string) =>
  readdirSync(needShared(join(STANDARDS, dir)))
    .filter((f) => /\.(json|xml)$/.test(f))
    .map((f) => join(STANDARDS, dir, f));

let rt: Runtime;
before(async () => {
  rt = await openRuntime(tempDbFile());
});
after(async () => {
  await rt.close();
});

it('imports every official text and photo example and should_pass case into the store', async () => {
  const importer = new Importer(rt.store);
  const docs = [
    ...files('ninjs/examples/2.2'),
    ...files('ninjs/examples/3.1'),
    ...files('ninjs/examples/agency-3.0'),
    ...files('ninjs/test_suite/2.1/should_pass'),
    ...files('ninjs/test_suite/2.2/should_pass'),
    ...files('ninjs/test_suite/3.0/should_pass'),
    ...files('ninjs/test_suite/3.1/should_pass'),
    ...['LISTING_1_A_NewsML-G2_News_Item.xml', 'LISTING_2_NewsML-G2_Text_Document.xml', 'LISTING_3_Photo_in_NewsML-G2.xml', 'LISTING_29_Hop_History.xml'].map(
      (f) => join(STANDARDS, 'newsml-g2/examples', f),
    ),
  ];
  const refused: string[] = [];
  for (const file of docs) {
    const r = await importer.importFile(file);
    if (r.failed.length) {
      // Only items that are not news items of text or photo may be refused, and with a reason.
      assert.match(r.failed[0].message, /event|planning|unsupported|not a news item/i, `${file}: ${r.failed[0].message}`);
      refused.push(file);
    } else {
      assert.equal(r.imported + r.skipped, 1, file);
    }
  }
  const textOrPhoto = refused.filter((f) => /text|photo|image|article|simple_example|associations|LISTING/i.test(f));
  assert.deepEqual(textOrPhoto, [], 'no text or photo item is refused');
  const stored = await rt.store.countStories();
  assert.ok(stored >= 20, `${stored} stories stored from ${docs.length - refused.length} accepted documents`);
});
