// The dependency rule, checked on every import in src/ (static, type-only, re-exports, `import('x')` in
// types and dynamic imports alike): no import circles anywhere, and no arrow from an inner folder to an
// outer one. A failure names the file, the line and the import, and the rule it breaks.
//
// The folders, innermost first (docs/architecture.md draws the same picture):
//   text, model      depend on nothing of ours: text is language analysis, model the newsroom's own
//                    types, rules, errors and the interfaces a store implements.
//   demo             the demo newsroom's stories and images: data, built from model only. The flow
//                    loads it into an empty store, the site serves its images, the CLI prints its keys.
//   formats, search  IPTC formats and the search index: model and text only.
//   media            image work on photos (sharp, exifr: detection, metadata, renditions): model only.
//   store            the storage engines (src/store/sqlite): may use formats and search.
//   flow             the newsroom and the subscriber flow: everything above.
//   http, web        the API and the public site: everything above, never each other.
//   cli, server      the outermost shells (server is the composition root that assembles the rest):
//                    may import everything, and each other (circles are still refused).
// Two narrower rules: only the shells and the store itself name a concrete store engine (store/sqlite),
// and only http, web and the shells use the web framework (fastify, @fastify/*). Route files
// (src/http/routes) never import one another: what they share lives in a module named for what it does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO } from '../helpers.ts';

/** What each folder of src/ may import besides itself. A folder not listed here is an error too. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  text: [],
  model: [],
  demo: ['model', 'text'],
  formats: ['model', 'text'],
  search: ['model', 'text'],
  media: ['model'],
  store: ['model', 'text', 'formats', 'search'],
  flow: ['store', 'model', 'text', 'formats', 'search', 'demo', 'media'],
  http: ['flow', 'store', 'model', 'text', 'formats', 'search', 'demo', 'media'],
  web: ['flow', 'store', 'model', 'text', 'formats', 'search', 'demo', 'media'],
  cli: ['server', 'http', 'web', 'flow', 'store', 'model', 'text', 'formats', 'search', 'demo', 'media'],
  server: ['cli', 'http', 'web', 'flow', 'store', 'model', 'text', 'formats', 'search', 'demo', 'media'],
};

/** Folders that may name a concrete store engine: the engine is chosen where the system is assembled. */
const MAY_IMPORT_ENGINE = new Set(['store', 'cli', 'server']);
/** Folders that may use the web framework. */
const MAY_IMPORT_FASTIFY = new Set(['http', 'web', 'cli', 'server']);
const FASTIFY = /^(fastify|@fastify\/.+)$/;

interface Import {
  /** Repo-relative file that imports, e.g. src/http/app.ts. */
  from: string;
  line: number;
  /** The specifier as written. */
  spec: string;
  /** Repo-relative target for our own files; the package name otherwise. */
  to: string;
  ours: boolean;
}

interface Violation {
  key: string;
  message: string;
}

const SRC_DIR = path.join(REPO, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module specifier a file mentions, with its line: imports, re-exports, import types, import(). */
function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const from = path.relative(REPO, file).split(path.sep).join('/');
  const out: Import[] = [];
  const add = (node: ts.Node, lit: ts.Expression | undefined) => {
    if (!lit || !ts.isStringLiteralLike(lit)) return;
    const spec = lit.text;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    const ours = spec.startsWith('.');
    const to = ours
      ? path
          .relative(REPO, path.resolve(path.dirname(file), spec))
          .split(path.sep)
          .join('/')
      : packageName(spec);
    out.push({ from, line, spec, to, ours });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal as ts.Expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0]);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** `src/http/routes/feed.ts` → `http`; null outside src/. */
function folderOf(file: string): string | null {
  const m = /^src\/([^/]+)\//.exec(file);
  return m ? m[1] : null;
}

function where(i: Import): string {
  return `${i.from}:${i.line} imports '${i.spec}'`;
}

/** Arrows that point outward, leave src/, name a store engine or the web framework where they may not. */
function ruleViolations(imports: Import[]): Violation[] {
  const out: Violation[] = [];
  for (const i of imports) {
    const own = folderOf(i.from);
    if (!own) continue;
    const key = `${i.from} -> ${i.to}`;
    if (!(own in MAY_IMPORT)) {
      out.push({ key: `${i.from} (folder)`, message: `${i.from}: src/${own} is not a known folder; add it to MAY_IMPORT with its place in the order` });
      continue;
    }
    if (i.ours) {
      const target = folderOf(i.to);
      if (!target) {
        out.push({ key, message: `${where(i)}: src/ must not import from outside src/ (${i.to})` });
        continue;
      }
      if (target !== own && !MAY_IMPORT[own].includes(target)) {
        const allowed = MAY_IMPORT[own].length ? MAY_IMPORT[own].join(', ') : 'nothing of ours';
        const why = 'an arrow from an inner folder to an outer one, or between http and web';
        out.push({ key, message: `${where(i)}: ${own} may import ${allowed}, not ${target} (${why})` });
      }
      if (i.to.startsWith('src/store/sqlite/') && !MAY_IMPORT_ENGINE.has(own)) {
        const why = `${own} names the Store interface of src/model/store.ts`;
        out.push({ key, message: `${where(i)}: only the composition root (server, cli) picks a store engine; ${why}` });
      }
      if (/^src\/http\/routes\//.test(i.from) && /^src\/http\/routes\//.test(i.to) && i.from !== i.to) {
        out.push({ key, message: `${where(i)}: a route file imports another route file; move what they share to a module of src/http named for what it does` });
      }
    } else if (FASTIFY.test(i.to) && !MAY_IMPORT_FASTIFY.has(own)) {
      out.push({ key, message: `${where(i)}: ${own} must not depend on the web framework (${i.to}); only http, web, cli and server do` });
    }
  }
  return out;
}

/** Import circles among our files: each strongly connected component of more than one file (or a file importing itself). */
function circles(imports: Import[]): Violation[] {
  const edges = new Map<string, Import[]>();
  for (const i of imports) {
    if (!i.ours) continue;
    if (!edges.has(i.from)) edges.set(i.from, []);
    edges.get(i.from)!.push(i);
  }
  const nodes = new Set<string>([...edges.keys(), ...imports.filter((i) => i.ours).map((i) => i.to)]);
  // Tarjan's algorithm, iterative enough for a few hundred files.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const e of edges.get(v) ?? []) {
      if (!idx.has(e.to)) {
        strong(e.to);
        low.set(v, Math.min(low.get(v)!, low.get(e.to)!));
      } else if (onStack.has(e.to)) {
        low.set(v, Math.min(low.get(v)!, idx.get(e.to)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      components.push(comp);
    }
  };
  for (const v of [...nodes].sort()) if (!idx.has(v)) strong(v);
  const out: Violation[] = [];
  for (const comp of components) {
    const members = new Set(comp);
    const inside = comp.flatMap((f) => (edges.get(f) ?? []).filter((e) => members.has(e.to)));
    if (comp.length === 1 && inside.length === 0) continue;
    out.push({
      key: `circle: ${[...members].sort().join(', ')}`,
      message: `import circle among ${[...members].sort().join(', ')}:\n${inside.map((e) => `    ${where(e)}`).join('\n')}`,
    });
  }
  return out;
}

function report(violations: Violation[]): string {
  return (
    `${violations.length} import(s) break the dependency rule (see the comment at the top of test/architecture/imports.test.ts):\n` +
    violations.map((v) => `  - ${v.message}`).join('\n')
  );
}

const files = sourceFiles(SRC_DIR);
const imports = files.flatMap((f) => importsOf(f));

test('the scan sees the whole of src/ (a vacuous pass is a failure)', () => {
  assert.ok(files.length > 100, `only ${files.length} source files found under ${SRC_DIR}`);
  assert.ok(imports.length > 400, `only ${imports.length} imports found`);
  // Each kind of import the walker must see, on files known to carry one.
  const has = (from: string, to: string) => imports.some((i) => i.from === from && i.to === to);
  assert.ok(has('src/http/app.ts', 'src/flow/runtime.ts'), 'a type-only import (http/app.ts → flow/runtime.ts) was not seen');
  assert.ok(has('src/search/index.ts', 'src/search/query.ts'), 'a re-export (search/index.ts → search/query.ts) was not seen');
  assert.ok(has('src/http/routes/feed.ts', 'src/flow/deliveries.ts'), 'a value import was not seen');
});

test('no import circles anywhere in src/', () => {
  const found = circles(imports);
  assert.equal(found.length, 0, report(found));
});

test('every arrow points inward: no inner folder imports an outer one, http and web do not import each other', () => {
  const found = ruleViolations(imports);
  assert.equal(found.length, 0, report(found));
});

test('the checker itself finds circles and outward arrows (on made-up files)', () => {
  const fake = (from: string, spec: string): Import[] =>
    importsOf(path.join(REPO, from), spec.startsWith('.') || !spec.includes(' ') ? `import { x } from '${spec}';\n` : spec);
  const sample = [
    ...fake('src/model/a.ts', '../http/app.ts'), // inner → outer
    ...fake('src/http/b.ts', '../web/site.ts'), // http → web
    ...fake('src/formats/c.ts', "import type { FastifyRequest } from 'fastify';\n"), // framework in an inner folder
    ...fake('src/flow/d.ts', "export type R = import('../store/sqlite/index.ts').SqliteStore;\n"), // engine named in flow, as an import type
    ...fake('src/http/routes/e.ts', './f.ts'), // route → route
    ...fake('src/text/g.ts', './h.ts'),
    ...fake('src/text/h.ts', './i.ts'),
    ...fake('src/text/i.ts', './g.ts'), // a three-file circle
    ...fake('src/flow/j.ts', "const m = await import('../cli/main.ts');\n"), // dynamic import outward
  ];
  const rules = ruleViolations(sample).map((v) => v.key);
  assert.deepEqual(rules.sort(), [
    'src/flow/d.ts -> src/store/sqlite/index.ts',
    'src/flow/j.ts -> src/cli/main.ts',
    'src/formats/c.ts -> fastify',
    'src/http/b.ts -> src/web/site.ts',
    'src/http/routes/e.ts -> src/http/routes/f.ts',
    'src/model/a.ts -> src/http/app.ts',
  ]);
  const circle = circles(sample);
  assert.equal(circle.length, 1);
  assert.match(circle[0].message, /src\/text\/g\.ts:1 imports '\.\/h\.ts'/);
  assert.match(circle[0].message, /src\/text\/i\.ts:1 imports '\.\/g\.ts'/);
});
