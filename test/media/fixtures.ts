// Real photos for the media tests, drawn with sharp and tagged with ExifTool (the vendored perl one).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { REPO } from '../helpers.ts';

export const EXIFTOOL = join(REPO, 'node_modules/exiftool-vendored.pl/bin/exiftool');

/** A JPEG of `width`×`height` with a gradient (so it compresses like a photo, not a flat colour). */
export async function drawJpeg(file: string, width: number, height: number, opts: { orientation?: number } = {}): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1a4d80"/><stop offset="1" stop-color="#e0a040"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 3}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#fff" fill-opacity="0.5"/></svg>`;
  let img = sharp(Buffer.from(svg)).jpeg({ quality: 90 });
  if (opts.orientation) img = img.withExif({ IFD0: { Orientation: String(opts.orientation) } });
  await img.toFile(file);
}

/** Writes IPTC-IIM, XMP and EXIF fields (ExifTool tag names) into `file`. */
export function tag(file: string, tags: Record<string, string | number | string[]>): void {
  const args = ['-q', '-overwrite_original', '-charset', 'iptc=UTF8', '-codedcharacterset=utf8'];
  for (const [k, v] of Object.entries(tags)) for (const one of Array.isArray(v) ? v : [v]) args.push(`-${k}=${one}`);
  execFileSync('perl', [EXIFTOOL, ...args, file]);
}

/** The tags ExifTool reads from `file` (group:tag names). */
export function readTags(file: string): Record<string, unknown> {
  return (JSON.parse(execFileSync('perl', [EXIFTOOL, '-j', '-G', '-n', file], { encoding: 'utf8' })) as Record<string, unknown>[])[0];
}

export function writeBytes(file: string, bytes: Buffer): string {
  writeFileSync(file, bytes);
  return file;
}
