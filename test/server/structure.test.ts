// The shape the composition root gives the code, checked on the sources: only src/server/config.ts reads
// the environment, the API and the site do not import each other, the runtime interface names no
// concrete store or HTTP framework, and no module keeps services in a registry keyed by store.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { REPO } from '../helpers.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sources(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

const SRC = join(REPO, 'src');
const files = sources(SRC).map((f) => ({ name: relative(SRC, f), text: readFileSync(f, 'utf8') }));
const importsOf = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);

it('only src/server/config.ts reads process.env', () => {
  const readers = files.filter((f) => /process\.env/.test(f.text)).map((f) => f.name);
  assert.deepEqual(readers, ['server/config.ts']);
});

it('the API does not import the site, nor the site the API', () => {
  for (const f of files) {
    if (f.name.startsWith('http/')) assert.ok(!importsOf(f.text).some((i) => /\/web\//.test(i)), `${f.name} imports src/web`);
    if (f.name.startsWith('web/')) assert.ok(!importsOf(f.text).some((i) => /\/http\//.test(i)), `${f.name} imports src/http`);
  }
});

it('flow/runtime.ts names interfaces only: no SQLite store, no Fastify', () => {
  const runtime = files.find((f) => f.name === 'flow/runtime.ts')!;
  assert.ok(!importsOf(runtime.text).some((i) => /sqlite|fastify/.test(i)), importsOf(runtime.text).join(', '));
});

it('no inner folder imports src/server', () => {
  for (const f of files.filter((f) => !f.name.startsWith('server/') && !f.name.startsWith('cli/'))) {
    assert.ok(!importsOf(f.text).some((i) => /\/server\//.test(i)), `${f.name} imports src/server`);
  }
});

it('no registry of services keyed by store', () => {
  for (const f of files) {
    assert.doesNotMatch(f.text, /new WeakMap<(Store|Runtime),/, f.name);
    assert.doesNotMatch(f.text, /\b(deliveriesFor|fanoutOf)\b/, f.name);
  }
});
