#!/usr/bin/env node
// Compiles src/ to dist/ (tsc, with source maps) and copies the files the code reads next to itself
// (SQL migrations, JSON schemas, demo images, the site's CSS and JS), so dist/ runs on its own; and
// bundles the browser's scripts (src/web/client/*.ts, one entry a page script) with esbuild into
// dist/client: minified, content-hashed names, a gzip copy of each, and manifest.json (entry → file),
// which src/web/client-assets.ts reads.
// `npm install` runs it (prepare), `npm test` before the tests (pretest), and bin/newsflow.mjs when
// dist/ is missing or older than the sources. Concurrent runs (parallel tests spawning the CLI) take
// turns through a lock folder; whoever comes second finds the build fresh and does nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC = join(ROOT, 'src');
export const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const LOCK = join(ROOT, '.build.lock');
const INPUTS = [join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json'), join(ROOT, 'tsconfig.client.json')];
export const CLIENT_SRC = join(SRC, 'web', 'client');
export const CLIENT_DIST = join(DIST, 'client');
const CLIENT_MANIFEST = join(CLIENT_DIST, 'manifest.json');

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else yield p;
  }
}

const mtime = (p) => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};

/** True when dist/ was built after the last change to any source file or build setting. */
export function isFresh() {
  return builtAfterSources(STAMP) && builtAfterSources(CLIENT_MANIFEST);
}

function builtAfterSources(stamp) {
  const built = mtime(stamp);
  if (built < 0) return false;
  for (const f of files(SRC)) if (mtime(f) > built) return false;
  return INPUTS.every((f) => mtime(f) <= built);
}

/**
 * Deletes what dist/ holds for sources that are gone (tsc and the copy above only add): a renamed or
 * removed migration left in dist/ would still be applied, a removed module still be importable.
 */
function removeStale() {
  for (const f of files(DIST)) {
    const rel = relative(DIST, f);
    if (rel.startsWith('client') || rel.startsWith('.')) continue;
    const compiledFrom = join(SRC, rel.replace(/\.js\.map$/, '.ts').replace(/\.js$/, '.ts'));
    if (mtime(join(SRC, rel)) < 0 && mtime(compiledFrom) < 0) rmSync(f);
  }
}

/**
 * The browser bundles: each file directly in src/web/client is a page script (entry point), folders
 * hold what they import. Shared code goes to chunks, so two page scripts do not download it twice.
 * Returns an error message, or undefined.
 */
export async function buildClient() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return 'esbuild is not installed here: run `npm install` (it builds dist/ too)';
  }
  const entryPoints = readdirSync(CLIENT_SRC, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(CLIENT_SRC, e.name));
  const result = await esbuild
    .build({
      entryPoints,
      // The metafile's paths are relative to this folder (the checkout), whatever the caller's cwd is.
      absWorkingDir: ROOT,
      outdir: CLIENT_DIST,
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
      entryNames: '[name]-[hash]',
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
      legalComments: 'eof',
      logLevel: 'error',
      tsconfig: join(ROOT, 'tsconfig.client.json'),
    })
    .catch((e) => e);
  if (result instanceof Error) return `the browser bundles did not build: ${result.message.split('\n')[0]}`;
  const manifest = {};
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    const file = relative(CLIENT_DIST, join(ROOT, out)).split('\\').join('/');
    writeFileSync(join(ROOT, `${out}.gz`), gzipSync(readFileSync(join(ROOT, out)), { level: 9 }));
    if (meta.entryPoint) manifest[meta.entryPoint.split('/').pop().replace(/\.ts$/, '')] = file;
  }
  writeFileSync(CLIENT_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  // Bundles of earlier builds stay a day: a server started before this build (or a page loaded from it)
  // still asks for them by their old names. Older ones go.
  const keep = new Set(Object.keys(result.metafile.outputs).flatMap((out) => [join(ROOT, out), join(ROOT, `${out}.gz`)]));
  for (const f of files(CLIENT_DIST)) {
    if (f !== CLIENT_MANIFEST && !keep.has(f) && Date.now() - mtime(f) > 86_400_000) rmSync(f, { force: true });
  }
  return undefined;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds unless fresh; returns an error message, or undefined when dist/ is ready. */
export async function build({ force = false } = {}) {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than ten minutes belongs to a build that died.
      if (Date.now() - mtime(LOCK) > 600_000) rmSync(LOCK, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    if (!force && isFresh()) return undefined;
    if (force || !builtAfterSources(CLIENT_MANIFEST)) {
      const error = await buildClient();
      if (error) return error;
    }
    if (!force && builtAfterSources(STAMP)) return undefined;
    let tsc;
    try {
      tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    } catch {
      return 'TypeScript is not installed here: run `npm install` (it builds dist/ too)';
    }
    const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
    // tsc exits 2 when it reports type errors but wrote the JavaScript anyway: the code runs as it would
    // under tsx, and `npm run typecheck` (CI) is where type errors fail. Any other failure wrote nothing.
    if (r.status === 2) console.error('newsflow build: type errors above; dist/ was written anyway (`npm run typecheck` lists them)');
    else if (r.status !== 0) return 'the TypeScript build failed (see above); `npm run build` shows it again';
    for (const f of files(SRC)) {
      if (f.endsWith('.ts')) continue;
      const to = join(DIST, relative(SRC, f));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f, to);
    }
    removeStale();
    writeFileSync(STAMP, `${new Date().toISOString()}\n`);
    return undefined;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const error = await build({ force: process.argv.includes('--force') });
  if (error) {
    console.error(`newsflow build: ${error}`);
    // An install without dev dependencies has no TypeScript: the install goes on, and the CLI says
    // what to do when it is started. A failed compile is a failure everywhere.
    const noCompiler = error.startsWith('TypeScript is not installed');
    process.exit(noCompiler && process.env.npm_lifecycle_event === 'prepare' ? 0 : 1);
  }
}
