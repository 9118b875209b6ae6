// The server keeps no source maps in memory (bin/newsflow.mjs leaves Node's support off for `serve`), so
// its logged stack traces are mapped to the .ts sources when written (src/server/stack.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { mapStack, serializeError } from '../../src/server/stack.ts';
import { REPO } from '../helpers.ts';

it('maps a frame of a compiled file in dist/ to its line in src/, and leaves other frames as they are', () => {
  const built = spawnSync(process.execPath, [join(REPO, 'scripts/build.mjs')], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  // Line 21, column 5 of dist/flow/newsroom.js: whatever it is, the map names a line of newsroom.ts.
  const stack = [
    'Error: boom',
    `    at Newsroom.publish (${join(REPO, 'dist/flow/newsroom.js')}:21:5)`,
    `    at file://${join(REPO, 'dist/flow/newsroom.js')}:21:5`,
    '    at node:internal/process/task_queues:95:5',
    '    at /nowhere/without-a-map.js:3:1',
  ].join('\n');
  const lines = mapStack(stack).split('\n');
  assert.match(lines[1], new RegExp(`\\(${join(REPO, 'src/flow/newsroom.ts')}:\\d+:\\d+\\)$`));
  assert.match(lines[2], new RegExp(`at ${join(REPO, 'src/flow/newsroom.ts')}:\\d+:\\d+$`));
  assert.equal(lines[3], '    at node:internal/process/task_queues:95:5');
  assert.equal(lines[4], '    at /nowhere/without-a-map.js:3:1');
});

it('writes a logged error with its type, message and mapped stack', () => {
  const e = new TypeError('bad');
  e.stack = `TypeError: bad\n    at x (${join(REPO, 'dist/flow/newsroom.js')}:21:5)`;
  const out = serializeError(e);
  assert.equal(out.type, 'TypeError');
  assert.equal(out.message, 'bad');
  assert.match(out.stack, /src\/flow\/newsroom\.ts:\d+:\d+\)$/);
});
