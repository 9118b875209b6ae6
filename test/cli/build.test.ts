// The compiled build the server and CLI run (dist/, made by `npm install` and before `npm test`): it
// runs on plain Node with no transpiler, finds the files it reads beside itself, and its stack traces
// name the TypeScript sources.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { REPO, tempDir } from '../helpers.ts';

const DIST = join(REPO, 'dist');
const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* files(join(dir, e.name));
    else yield join(dir, e.name);
  }
}

describe('the compiled build', () => {
  before(() => {
    // Fresh after `npm test`'s pretest, so this is quick; it builds when run on its own after an edit.
    const r = node([join(REPO, 'scripts/build.mjs')]);
    assert.equal(r.status, 0, r.stderr);
  });

  it('runs the CLI from dist/ on plain Node, through the bin and directly', () => {
    for (const entry of [join(REPO, 'bin/newsflow.mjs'), join(DIST, 'cli/main.js')]) {
      const r = node([entry, '--help']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Usage: newsflow/);
      assert.match(r.stdout, /serve/);
      assert.doesNotMatch(r.stderr, /building dist/, 'a fresh build is not rebuilt');
    }
    const bin = readFileSync(join(REPO, 'bin/newsflow.mjs'), 'utf8');
    assert.match(bin, /dist\/cli\/main\.js/);
    assert.doesNotMatch(bin, /tsx/, 'the bin loads no transpiler');
  });

  it('has a JavaScript file for every source and no import of a .ts file left', () => {
    const client = join(REPO, 'src/web/client');
    for (const f of files(join(REPO, 'src'))) {
      if (!f.endsWith('.ts') || f.startsWith(client)) continue;
      const js = join(DIST, relative(join(REPO, 'src'), f)).replace(/\.ts$/, '.js');
      assert.ok(existsSync(js), `${js} for ${f}`);
      assert.ok(existsSync(`${js}.map`), `source map for ${f}`);
      assert.doesNotMatch(readFileSync(js, 'utf8'), /(from|import\()\s*['"]\.{1,2}\/[^'"]*\.ts['"]/, `${js} imports a .ts file`);
    }
  });

  it('bundles every page script of src/web/client into dist/client, minified, hashed, gzipped, in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(DIST, 'client/manifest.json'), 'utf8')) as Record<string, string>;
    const entries = readdirSync(join(REPO, 'src/web/client')).filter((f) => f.endsWith('.ts'));
    assert.ok(entries.includes('editor.ts'));
    assert.deepEqual(Object.keys(manifest).sort(), entries.map((f) => f.replace(/\.ts$/, '')).sort());
    for (const [entry, file] of Object.entries(manifest)) {
      assert.match(file, new RegExp(`^${entry}-[A-Z0-9]{8}\\.js$`));
      const js = readFileSync(join(DIST, 'client', file), 'utf8');
      // Minified: a few lines (a small page script importing shared chunks), or long ones (the licences
      // esbuild keeps at the end are the only short ones).
      const lines = js.split('\n').length;
      assert.ok(lines <= 5 || js.length / lines > 1000, `${file} is minified`);
      assert.ok(existsSync(join(DIST, 'client', `${file}.gz`)), `${file}.gz`);
    }
    // The server from dist/ finds the bundles as the one from src/ does.
    const r = node([
      '--input-type=module',
      '-e',
      `const { clientScriptUrl } = await import(${JSON.stringify(join(DIST, 'web/client-assets.js'))}); console.log(clientScriptUrl('editor'));`,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `/assets/${manifest.editor}`);
  });

  it('carries every file the code reads beside itself (migrations, schemas, demo images, site assets)', () => {
    for (const f of files(join(REPO, 'src'))) {
      if (f.endsWith('.ts')) continue;
      const copy = join(DIST, relative(join(REPO, 'src'), f));
      assert.ok(existsSync(copy), `${copy} is missing`);
      assert.deepEqual(readFileSync(copy), readFileSync(f), copy);
    }
    // The compiled CLI creates a store (the migrations are found), and the site finds its assets and fonts.
    const store = join(tempDir(), 'newsflow.db');
    const list = spawnSync(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'story', 'list', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, NEWSFLOW_DATA: store },
    });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), []);
    const r = node([
      '--input-type=module',
      '-e',
      `
      const { loadStatic } = await import(${JSON.stringify(join(DIST, 'web/static.js'))});
      console.log(loadStatic().files.size);
    `,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Number(r.stdout) >= 9, `static files: ${r.stdout}`);
  });

  it('names the TypeScript source in a stack trace', () => {
    const r = node([
      '--enable-source-maps',
      '--input-type=module',
      '-e',
      `
      const { parsePublicPage } = await import(${JSON.stringify(join(DIST, 'formats/seed-page.js'))});
      try { parsePublicPage(''); } catch (e) { console.log(e.stack); }
    `,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /src\/formats\/seed-page\.ts:\d+/);
  });

  it('a checkout without dist/, or with sources newer than it, is built before the CLI runs', () => {
    // A copy of the parts the build reads, so the repository's own dist/ is left alone.
    const root = tempDir('newsflow-build-');
    for (const part of ['bin', 'scripts', 'src', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.client.json', 'package.json'])
      cpSync(join(REPO, part), join(root, part), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    const cli = () => spawnSync(process.execPath, [join(root, 'bin/newsflow.mjs'), '--help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

    const first = cli();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /building dist\//);
    assert.match(first.stdout, /Usage: newsflow/);
    assert.ok(existsSync(join(root, 'dist/cli/main.js')));
    assert.ok(existsSync(join(root, 'dist/client/manifest.json')), 'the browser bundles are built with it');

    const again = cli();
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /building/, 'a fresh build is used as it is');

    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'src/cli/main.ts'), later, later);
    const edited = cli();
    assert.equal(edited.status, 0, edited.stderr);
    assert.match(edited.stderr, /building dist\//, 'a source newer than the build is built first');

    // A migration renamed in src/ (and a module removed) must not stay behind in dist/, where the old
    // copy would still be applied or imported.
    writeFileSync(join(root, 'dist/store/sqlite/migrations/099_renamed_since.sql'), 'CREATE TABLE stale (x);');
    writeFileSync(join(root, 'dist/flow/removed-since.js'), 'export {};');
    utimesSync(join(root, 'src/cli/main.ts'), new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    const rebuilt = cli();
    assert.equal(rebuilt.status, 0, rebuilt.stderr);
    assert.ok(!existsSync(join(root, 'dist/store/sqlite/migrations/099_renamed_since.sql')), 'a stale migration is removed');
    assert.ok(!existsSync(join(root, 'dist/flow/removed-since.js')), 'a stale module is removed');
    assert.ok(existsSync(join(root, 'dist/store/sqlite/migrations/001_core.sql')));
  });
});
