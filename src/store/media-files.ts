// The filesystem byte store for media: `<root>/<ab>/<sha256>/<name>`, written through a temporary file
// and a rename, so a crash or a cut upload never leaves half a file under a real key.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { type ByteSpan, isMediaKey, MediaRefusedError, type MediaFiles } from '../model/media.ts';

export class FileMediaFiles implements MediaFiles {
  private readonly tmp: string;

  constructor(readonly root: string) {
    this.tmp = freshTempFolder(root);
  }

  /** The file of `key` in the folder. */
  path(key: string): string {
    // Keys are built by mediaKey (hex and fixed names); this check keeps that promise if a caller forgets.
    if (!isMediaKey(key)) throw new Error(`not a media key: ${key}`);
    return join(this.root, key);
  }

  localPath(key: string): string {
    return this.path(key);
  }

  tempPath(): string {
    return tempFileIn(this.tmp);
  }

  async put(key: string, tempFile: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(tempFile, target);
  }

  async write(key: string, bytes: Buffer): Promise<void> {
    this.path(key);
    const temp = this.tempPath();
    await writeFile(temp, bytes);
    await this.put(key, temp);
  }

  async discard(tempFile: string): Promise<void> {
    await rm(tempFile, { force: true });
  }

  async size(key: string): Promise<number | null> {
    const file = this.path(key);
    try {
      return (await stat(file)).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async read(key: string, span?: ByteSpan, opts: { highWaterMark?: number } = {}): Promise<Readable> {
    // Opened here, not by the stream, so a missing file is an answer (404) rather than a broken response.
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(this.path(key), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new MediaRefusedError(404, `no stored file ${key}`);
      throw e;
    }
    return fh.createReadStream({ ...opts, ...(span ? { start: span.start, end: span.end } : {}) });
  }

  async withLocalFile<T>(key: string, use: (path: string) => Promise<T>): Promise<T> {
    // The file itself: no copy to make or remove.
    if ((await this.size(key)) === null) throw new MediaRefusedError(404, `no stored file ${key}`);
    return use(this.path(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async close(): Promise<void> {}
}

/** `<root>/tmp`, emptied: uploads that were in progress when the last process stopped are gone for good. */
export function freshTempFolder(root: string): string {
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  for (const f of readdirSync(tmp)) rmSync(join(tmp, f), { force: true, recursive: true });
  return tmp;
}

/** A new file name in a temporary folder. */
export function tempFileIn(tmp: string): string {
  return join(tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
}

/**
 * The key rendition links are signed with, kept in the media folder (mode 600) so links survive a
 * restart and the CLI signs as the server does. Made at first use.
 */
export function linkSecretIn(root: string): Buffer {
  const file = join(root, 'link-secret');
  mkdirSync(root, { recursive: true });
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  chmodSync(file, 0o600);
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}
