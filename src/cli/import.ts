// `newsflow import <files…>`: with a progress bar on stderr and a summary of what failed and why.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeReport, Importer, type ImportReport } from '../flow/importer.ts';
import { openRuntime } from '../server/runtime.ts';
import { cliActor } from './actor.ts';
import { fail } from './output.ts';
import { addMedia, MEDIA_FILE } from './media.ts';

export async function importCommand(files: string[], opts: { batch: number; quiet?: boolean }): Promise<void> {
  for (const f of files) if (!existsSync(f)) fail(`no such file: ${f}`);
  files = files.flatMap(expand);
  // Photos and other media files in the folder go to the media store (their renditions made here).
  const mediaFiles = files.filter((f) => MEDIA_FILE.test(f));
  files = files.filter((f) => !MEDIA_FILE.test(f));
  if (!files.length && !mediaFiles.length) fail('no importable files (.txt, .json, .jsonl, .xml, or photos and media files) found');
  const rt = await openRuntime();
  if (mediaFiles.length) {
    try {
      const refused = await addMedia(rt, mediaFiles);
      process.stderr.write(`media: ${mediaFiles.length - refused} of ${mediaFiles.length} files stored\n`);
      if (refused && !files.length) process.exitCode = 1;
    } catch (e) {
      await rt.close();
      throw e;
    }
    if (!files.length) return void (await rt.close());
  }
  const importer = new Importer(rt.store);
  const showBar = !opts.quiet && process.stderr.isTTY;
  // Loaded by the commands that draw a bar, not by every start of the CLI (the server included).
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: '{file} [{bar}] {percentage}% | {eta_formatted} left',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let failed = 0;
  let imported = 0;
  let reindex = false;
  const started = Date.now();
  try {
    for (const file of files) {
      let started = false;
      const report = await importer.importFile(file, {
        batchSize: opts.batch,
        deferSearch: true,
        by: cliActor(),
        onProgress: (p) => {
          if (!showBar) return;
          if (!started) {
            bar.start(p.total, 0, { file });
            started = true;
          }
          bar.update(p.done, { file });
        },
      });
      if (started) {
        bar.update(bar.getTotal());
        bar.stop();
      }
      imported += report.imported;
      reindex ||= !!report.searchDeferred;
      failed += report.failed.length;
      process.stderr.write(describeReport(report) + '\n');
      printStoryIds(report);
    }
    if (reindex) {
      // One pass over the whole store, so the proclitic rule sees the full vocabulary.
      let barStarted = false;
      const r = await importer.reindexSearch((done, total, phase) => {
        if (!showBar) return;
        if (!barStarted) {
          bar.start(total * 2, 0, { file: 'search index' });
          barStarted = true;
        }
        bar.update(phase === 'vocabulary' ? done : total + done, { file: `search index (${phase})` });
      });
      if (barStarted) {
        bar.update(bar.getTotal());
        bar.stop();
      }
      process.stderr.write(`search index: ${r.indexed} stories indexed in ${(r.ms / 1000).toFixed(1)} s\n`);
    }
    // Stories an earlier, interrupted import stored but never indexed are "already present" now, so the
    // pass above may not have run: whatever the index still lacks is indexed here.
    const caught = await rt.store.search.catchUp();
    if (caught.indexed) process.stderr.write(`search index: ${caught.indexed} stories an earlier import left unindexed are now indexed\n`);
  } finally {
    await rt.close();
  }
  const secs = (Date.now() - started) / 1000;
  process.stderr.write(`done: ${imported} stories imported in ${secs.toFixed(1)} s, ${failed} failures\n`);
  if (failed && imported === 0) process.exitCode = 1;
}

/**
 * The ids of the stories a file brought, on stdout (so `ID=$(newsflow import story.json)` works): every
 * one for documents and pages; for an archive, which may hold a million, the count and the first few.
 */
function printStoryIds(report: ImportReport): void {
  const ids = report.storyIds ?? [];
  if (report.format !== 'archive-jsonl') return void (ids.length && process.stdout.write(ids.join('\n') + '\n'));
  if (!report.imported) return;
  const more = report.imported - ids.length;
  process.stdout.write(
    `${report.imported} ${report.imported === 1 ? 'story' : 'stories'} imported from ${basename(report.file)}; the first: ${ids.join(' ')}${more > 0 ? ` (and ${more} more: newsflow story list)` : ''}\n`,
  );
}

/** A folder stands for the importable files in it, recursively, in name order. */
function expand(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (statSync(full).isDirectory()) return expand(full);
      return /\.(txt|json|jsonl|ndjson|xml)$/i.test(name) || MEDIA_FILE.test(name) ? [full] : [];
    });
}
