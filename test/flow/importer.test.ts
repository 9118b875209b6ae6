// Importing files into a real store: the seed page exactly, a whole archive corpus in batches.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Importer } from '../../src/flow/importer.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { parsePublicPage } from '../../src/formats/seed-page.ts';
import { CORPUS2, SEED_FILE, needShared, tempDbFile, tempDir } from '../helpers.ts';

let rt: Runtime;
before(async () => {
  needShared(SEED_FILE);
  needShared(CORPUS2);
  rt = await openRuntime(tempDbFile());
});
after(async () => {
  await rt.close();
});

describe('importer', () => {
  it('carries the seed story into a published version, field by field', async () => {
    const report = await new Importer(rt.store).importFile(SEED_FILE);
    assert.equal(report.imported, 1);
    assert.deepEqual(report.failed, []);
    const event = report.events[0];
    assert.equal(event.kind, 'published');
    const v = await rt.store.getVersion(event.storyId, 1);
    const page = parsePublicPage(readFileSync(SEED_FILE, 'utf8'));
    const c = v!.content;
    assert.equal(c.language, 'ar');
    assert.deepEqual(c.categories, ['الدول العربية', 'التقارير']);
    assert.equal(c.headline, page.content.headline);
    assert.equal(c.deck, page.content.deck);
    assert.deepEqual(c.body, page.content.body);
    assert.equal(c.body.filter((b) => b.type === 'subheading').length, 4);
    assert.deepEqual(c.dateline, { ...page.content.dateline });
    assert.equal(c.dateline!.place, 'إسطنبول');
    assert.equal(c.dateline!.reporter, 'ياقوت دندشي');
    assert.equal(c.dateline!.agency, 'الأناضول');
    assert.equal(c.dateline!.placeNames!.tr, 'İstanbul');
    assert.ok(c.byline.some((p) => p.name === 'Yakoota Al Ahmad'));
    assert.equal(c.photos[0].caption, 'سجن إسرائيلي-أرشيفية');
    assert.ok(c.hashtags.includes('أنقذوا_الأسرى'));
    assert.equal(new Date(v!.firstPublishedAt).toISOString(), '2026-01-29T21:00:00.000Z', '30.01.2026 midnight in Istanbul');
    assert.ok(!c.body.some((b) => b.type === 'paragraph' && /HAS/.test(b.text)), 'the subscriber footer is not body');
  });

  it('refuses a file that is not in the layout, naming the line, storing nothing', async () => {
    const file = join(tempDir(), 'broken.txt');
    const seed = readFileSync(SEED_FILE, 'utf8').split('\n');
    writeFileSync(file, seed.slice(0, 6).join('\n'));
    const before = await rt.store.headSeq();
    const report = await new Importer(rt.store).importFile(file);
    assert.equal(report.imported, 0);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].message, /line \d+/);
    assert.equal(await rt.store.headSeq(), before);
  });

  it('loads a whole archive corpus in batches', async () => {
    const before = await rt.store.headSeq();
    const report = await new Importer(rt.store).importFile(CORPUS2, { batchSize: 500 });
    assert.equal(report.imported, 5001);
    assert.deepEqual(report.failed, []);
    assert.equal(await rt.store.headSeq(), before + 5001);
    const again = await new Importer(rt.store).importFile(CORPUS2);
    assert.equal(again.imported, 0);
    assert.equal(again.skipped, 5001);
  });
});
