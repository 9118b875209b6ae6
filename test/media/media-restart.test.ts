// A process killed mid-rendering loses nothing: the next start finds the job, makes the renditions, and
// leaves no temporary file behind; with the files in the folder and in an S3 bucket (a real s3rver).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime } from '../../src/server/runtime.ts';
import { REPO, tempDir } from '../helpers.ts';
import { drawJpeg } from './fixtures.ts';
import { startS3 } from './s3.ts';

for (const on of ['folder', 'S3'] as const) {
  test(`a restart mid-rendering finishes the job (files in ${on === 'S3' ? 'an S3 bucket' : 'the folder'})`, async () => {
    const s3 = on === 'S3' ? await startS3() : null;
    try {
      await restartMidRendering(s3?.url());
    } finally {
      await s3?.stop();
    }
  });
}

async function restartMidRendering(s3Url?: string): Promise<void> {
  const dir = tempDir('newsflow-media-restart-');
  const file = join(dir, 'newsflow.db');
  const photo = join(dir, 'big.jpg');
  await drawJpeg(photo, 6000, 4000);
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/media/render-child.ts'), file, photo, ...(s3Url ? [s3Url] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const id = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running (m[0-9a-f]{32})/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the child ended (${code}) before rendering`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const rt = await openRuntime(file, s3Url ? { media: { s3Url } } : {});
  try {
    assert.equal((await rt.store.media.getAsset(id))?.state, 'running', 'the killed process left the job running');
    await rt.media.start();
    const a = await rt.media.settled(id, 120_000);
    assert.equal(a.state, 'done', a.error ?? '');
    assert.equal(a.renditions.length, 9);
    for (const r of a.renditions) assert.notEqual(await rt.media.files.size(keyOf(a.sha256, r)), null, r.name);
    assert.deepEqual(readdirSync(join(dir, 'media', 'tmp')), []);
  } finally {
    await rt.close();
  }
}

function keyOf(sha: string, r: { name: string; contentType: string }): string {
  const ext = r.contentType === 'image/webp' ? '.webp' : r.contentType === 'image/jpeg' && r.name !== 'original' ? '.jpg' : '';
  return `${sha.slice(0, 2)}/${sha}/${r.name}${ext}`;
}
