// The filesystem byte store for media: `<root>/<ab>/<sha256>/<name>`, written through a temporary file
// and a rename, so a crash or a cut upload never leaves half a file under a real key.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaFiles } from '../model/media.ts';

export class FileMediaFiles implements MediaFiles {
  private readonly tmp: string;

  constructor(readonly root: string) {
    this.tmp = join(root, 'tmp');
    mkdirSync(this.tmp, { recursive: true });
    // Uploads that were in progress when the last process stopped are gone for good.
    for (const f of readdirSync(this.tmp)) rmSync(join(this.tmp, f), { force: true, recursive: true });
  }

  path(key: string): string {
    // Keys are built by mediaKey (hex and fixed names); this check keeps that promise if a caller forgets.
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}\/[a-z0-9-]+(\.[a-z0-9]+)?$/.test(key)) throw new Error(`not a media key: ${key}`);
    return join(this.root, key);
  }

  tempPath(): string {
    return join(this.tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  }

  async put(key: string, tempFile: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(tempFile, target);
  }

  async write(key: string, bytes: Buffer): Promise<void> {
    const temp = this.tempPath();
    await writeFile(temp, bytes);
    await this.put(key, temp);
  }

  async discard(tempFile: string): Promise<void> {
    await rm(tempFile, { force: true });
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch {
      return null;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
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
