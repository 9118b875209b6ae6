#!/usr/bin/env node
// The CLI runs the compiled JavaScript in dist/ (built by `npm install`): no transpiler in the server's
// memory. A checkout whose sources changed since the last build is rebuilt first, so `npm start` after
// a `git pull` runs the code that is there. Source maps make stack traces name the .ts files.
import { build, isFresh } from '../scripts/build.mjs';

process.setSourceMapsEnabled(true);
if (!isFresh()) {
  console.error('newsflow: building dist/ from src/ (sources changed since the last build)…');
  const error = build();
  if (error) {
    console.error(`newsflow: ${error}`);
    process.exit(1);
  }
}
await import('../dist/cli/main.js');
