// The bundles' manifest on the server side: a checkout whose bundles were never built, or a page script
// missing from the manifest, fails with a message naming `npm run build`; the plugin refuses a prefix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { ClientAssets, clientAssetsPlugin } from '../../src/web/client-assets.ts';
import { tempDir } from '../helpers.ts';

test('missing bundles name `npm run build`', () => {
  const dir = tempDir('newsflow-client-');
  assert.throws(() => new ClientAssets(dir), /manifest\.json is missing\): run `npm run build`/);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ editor: 'editor-ABCDEFGH.js' }));
  const assets = new ClientAssets(dir);
  assert.equal(assets.url('editor'), '/assets/editor-ABCDEFGH.js');
  assert.throws(() => assets.url('wire'), /no browser script "wire" .*run `npm run build`/);
  assert.equal(assets.file('editor-ABCDEFGH.js'), null, 'a file the manifest names but the disk lacks is a 404, not a crash');
  mkdirSync(join(dir, 'chunks'));
  writeFileSync(join(dir, 'chunks/shared-XYZ.js'), 'export{}');
  assert.equal(assets.file('chunks/shared-XYZ.js')?.body.toString(), 'export{}');
  assert.equal(assets.file('../manifest.json'), null);
  assert.equal(assets.file('manifest.json'), null);
});

test('the plugin is registered without a prefix, and serves chunks with the immutable cache', async () => {
  const dir = tempDir('newsflow-client-');
  writeFileSync(join(dir, 'manifest.json'), '{}');
  mkdirSync(join(dir, 'chunks'));
  writeFileSync(join(dir, 'chunks/shared-XYZ.js'), 'export{}');
  const app = Fastify();
  await app.register(clientAssetsPlugin, { assets: new ClientAssets(dir) });
  await assert.rejects(async () => {
    await app.register(async (desk) => desk.register(clientAssetsPlugin, { assets: new ClientAssets(dir) }), { prefix: '/desk' });
    await app.ready();
  }, /register it without a prefix/);
  const app2 = Fastify();
  await app2.register(clientAssetsPlugin, { assets: new ClientAssets(dir) });
  const res = await app2.inject('/assets/chunks/shared-XYZ.js');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(res.body, 'export{}');
  await app.close().catch(() => {});
  await app2.close();
});
