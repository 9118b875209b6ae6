// `newsflow media add` and `newsflow import <folder>` with photos, run as the real command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime } from '../../src/server/runtime.ts';
import { REPO, tempDir } from '../helpers.ts';
import { drawJpeg, tag } from './fixtures.ts';

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
