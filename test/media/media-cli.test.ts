// `newsflow media add` and `newsflow import <folder>` with photos, run as the real command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime } from '../../src/server/runtime.ts';
import { REPO, tempDir } from '../helpers.ts';
import { drawJpeg, tag } from './fixtures.ts';
import { startS3 } from './s3.ts';

function newsflow(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [join(REPO, 'bin/newsflow.mjs'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

test('newsflow media add stores files, reads their metadata and makes renditions; bad files are refused by name', async () => {
  const dir = tempDir('newsflow-media-cli-');
  const env = { NEWSFLOW_DATA: join(dir, 'data') };
  const a = join(dir, 'a.jpg');
  await drawJpeg(a, 1600, 1200);
  tag(a, { 'IPTC:Credit': 'CLI credit' });
  const fake = join(dir, 'fake.jpg');
  writeFileSync(fake, 'not a photo');
  const r = newsflow(env, 'media', 'add', a, fake);
  assert.equal(r.status, 1, r.stderr);
  const line = r.stdout
    .trim()
    .split('\n')
    .find((l) => l.includes('a.jpg'))!;
  assert.match(line, /^m[0-9a-f]{32} .*a\.jpg done$/);
  assert.match(r.stderr, /fake\.jpg: refused: .*not a file type newsflow accepts/);
  const rt = await openRuntime(join(dir, 'data', 'newsflow.db'));
  try {
    const asset = await rt.store.media.getAsset(line.split(' ')[0]);
    assert.equal(asset?.metadata.credit, 'CLI credit');
    assert.equal(asset?.renditions.length, 9);
  } finally {
    await rt.close();
  }
});

test('newsflow import <folder> takes the photos in it too', async () => {
  const dir = tempDir('newsflow-media-cli-');
  const folder = join(dir, 'in');
  mkdirSync(folder);
  await drawJpeg(join(folder, 'one.jpg'), 900, 600);
  await drawJpeg(join(folder, 'two.jpg'), 600, 900);
  const r = newsflow({ NEWSFLOW_DATA: join(dir, 'data') }, 'import', folder);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /media: 2 of 2 files stored/);
  assert.equal(
    r.stdout
      .trim()
      .split('\n')
      .filter((l) => / done$/.test(l)).length,
    2,
  );
});

test('newsflow media add with NEWSFLOW_MEDIA_S3_URL stores the file and its renditions in the bucket, none on disk', async () => {
  const s3 = await startS3();
  try {
    const dir = tempDir('newsflow-media-cli-s3-');
    const a = join(dir, 'a.jpg');
    await drawJpeg(a, 1600, 1200);
    // Not spawnSync: the S3 server answers from this process's event loop.
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(REPO, 'bin/newsflow.mjs'), 'media', 'add', a],
        { env: { ...process.env, NEWSFLOW_DATA: join(dir, 'data'), NEWSFLOW_MEDIA_S3_URL: s3.url() }, encoding: 'utf8' },
        (e, stdout, stderr) => resolve({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    assert.equal(out.code, 0, out.stderr);
    const id = out.stdout.trim().split(' ')[0];
    assert.match(out.stdout, /^m[0-9a-f]{32} .*a\.jpg done$/m);
    const puts = s3.requests.filter((r) => r.method === 'PUT' && r.url.includes(`/${id.slice(1)}`));
    assert.equal(new Set(puts.map((r) => r.url.split('?')[0].split('/').at(-1))).size, 9, 'the original and its 8 renditions');
    const media = join(dir, 'data', 'media');
    const onDisk = existsSync(media)
      ? readdirSync(media, { recursive: true })
          .map(String)
          .filter((f) => f.includes(id.slice(1)))
      : [];
    assert.deepEqual(onDisk, [], 'no copy of the photo left in the data folder');
  } finally {
    await s3.stop();
  }
});
