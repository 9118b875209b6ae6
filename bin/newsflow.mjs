#!/usr/bin/env node
// The CLI runs the compiled JavaScript in dist/ (built by `npm install`): no transpiler in the server's
// memory. A checkout whose sources changed since the last build is rebuilt first, so `npm start` after
// a `git pull` runs the code that is there. Source maps make stack traces name the .ts files.
import { setFlagsFromString } from 'node:v8';
import { build, isFresh } from '../scripts/build.mjs';

if (process.argv[2] === 'serve') {
  // While the server loads its modules and the demo, V8 collects for size and keeps its young
  // generation at its first 2 MB instead of letting it grow to 32 MB it would keep at idle: an idle
  // server then measures under 100 MB RSS (docs/benchmarks.md). The server sets V8's defaults back
  // once it listens (src/server/heap.ts), so requests are served as before.
  setFlagsFromString('--optimize-for-size');
  setFlagsFromString('--semi-space-growth-factor=1');
}
// Stack traces name the .ts files. The server maps them when it logs an error instead (src/server/stack.ts):
// Node's support keeps every module's parsed map, a few MB of the idle server's memory budget.
if (process.argv[2] !== 'serve') process.setSourceMapsEnabled(true);
if (!isFresh()) {
  console.error('newsflow: building dist/ from src/ (sources changed since the last build)…');
  const error = await build();
  if (error) {
    console.error(`newsflow: ${error}`);
    process.exit(1);
  }
}
if (process.argv.length === 3 && process.argv[2] === 'serve') {
  // `newsflow serve` (npm start) loads the server alone: the other commands' modules (importers, the
  // CLI's option parser) would stay in the idle server's memory for nothing.
  const { runServer } = await import('../dist/server/index.js');
  await runServer();
} else {
  await import('../dist/cli/main.js');
}
