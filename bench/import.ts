// npm run bench:import — bulk import throughput (stories/s) of the archive corpora and durable
// publish throughput (acknowledged publishes/s, each its own fsynced transaction) on a fresh store.
// Reads ../shared/corpus; prints a table. Not a test: nothing here asserts a time.
import { SYSTEM_ACTOR } from '../src/model/actor.ts';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Importer } from '../src/flow/importer.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { sampleContent, tempDir, CORPUS, CORPUS2 } from '../test/helpers.ts';

const rows: [string, string, string, string][] = [];
const files = [CORPUS, CORPUS2].filter(existsSync);
if (!files.length) {
  console.error('bench:import needs ../shared/corpus/*.jsonl');
  process.exit(1);
}

// 1. Bulk import: both corpora into a fresh store, batches of 500 per transaction.
{
  const rt = await openRuntime(join(tempDir(), 'import.db'));
  const importer = new Importer(rt.store);
  for (const file of files) {
    const t0 = performance.now();
    const r = await importer.importFile(file, { deferSearch: true });
    const secs = (performance.now() - t0) / 1000;
    rows.push([`bulk import ${file.split('/').pop()} (store + log)`, String(r.imported), `${secs.toFixed(2)} s`, `${Math.round(r.imported / secs)} stories/s`]);
  }
  // The search index over everything loaded, as `newsflow import` builds it after the files.
  const t0 = performance.now();
  const idx = await importer.reindexSearch();
  const secs = (performance.now() - t0) / 1000;
  rows.push(['search index of all imported stories', String(idx.indexed), `${secs.toFixed(2)} s`, `${Math.round(idx.indexed / secs)} stories/s`]);
  await rt.close();
}

// 2. Durable publishes: create a draft and publish it, one fsynced commit per publish, acknowledged in order.
for (const concurrency of [1, 16]) {
  const rt = await openRuntime(join(tempDir(), `publish-${concurrency}.db`));
  const n = 2000;
  const drafts: { id: string }[] = [];
  for (let i = 0; i < n; i++) drafts.push(await rt.newsroom.createDraft(sampleContent({ headline: `خبر ${i}` }), SYSTEM_ACTOR));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await rt.newsroom.publish(drafts[next++].id, SYSTEM_ACTOR);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  rows.push([`durable publishes (${concurrency} concurrent)`, String(n), `${secs.toFixed(2)} s`, `${Math.round(n / secs)} publishes/s`]);
  await rt.close();
}

console.log(`\nnewsflow bench:import — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} — node ${process.version}\n`);
console.log('| what | items | time | throughput |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
