// `newsflow media add <files…>`: photos, video, audio and graphics files into the media store; photos'
// renditions are made before the command ends (a running server would take the jobs up too).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { MediaRefusedError } from '../model/media.ts';
import type { Runtime } from '../server/runtime.ts';
import { openRuntime } from '../server/runtime.ts';
import { fail } from './output.ts';

/** File names `newsflow import <folder>` hands to the media store instead of the story importer. */
export const MEDIA_FILE = /\.(jpe?g|png|webp|tiff?|avif|gif|svg|pdf|eps|mp4|m4v|mov|webm|mp3|m4a|wav|ogg|oga|flac)$/i;

export function registerMediaCommands(program: Command): void {
  const media = program.command('media').description('photos and media files');
  media
    .command('add')
    .description('store files (the type is read from the bytes) and make the photos’ renditions; prints each asset id')
    .argument('<files...>', 'files to add')
    .option('--no-render', 'leave the renditions to the running server')
    .action(async (files: string[], opts: { render: boolean }) => {
      for (const f of files) if (!existsSync(f) || !statSync(f).isFile()) fail(`no such file: ${f}`);
      const rt = await openRuntime();
      try {
        const failed = await addMedia(rt, files, opts.render);
        if (failed) process.exitCode = 1;
      } finally {
        await rt.close();
      }
    });
}

/** Adds each file, printing `<id> <file> <state>`; returns how many were refused or failed to render. */
export async function addMedia(rt: Runtime, files: string[], render = true): Promise<number> {
  let failed = 0;
  const ids: [string, string][] = [];
  for (const file of files) {
    try {
      const { asset, created } = await rt.media.ingest(createReadStream(file), basename(file));
      ids.push([asset.id, file]);
      if (!created) process.stderr.write(`${file}: already stored as ${asset.id}\n`);
    } catch (e) {
      if (!(e instanceof MediaRefusedError)) throw e;
      failed++;
      process.stderr.write(`${file}: refused: ${e.message}\n`);
    }
  }
  if (render) await rt.media.start();
  for (const [id, file] of ids) {
    const a = render ? await rt.media.settled(id, 600_000) : (await rt.media.asset(id))!;
    if (a.state === 'failed') {
      failed++;
      process.stderr.write(`${file}: ${a.error}\n`);
    }
    process.stdout.write(`${id} ${file} ${a.state}\n`);
  }
  return failed;
}
