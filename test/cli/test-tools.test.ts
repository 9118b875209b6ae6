// What npm test needs besides npm packages stops the run with the command to type, never a skip:
// scripts/test-tools.sh (npm's pretest and .ci/run) for Chromium, and needShared() for ../shared.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { needShared, REPO, SEED_FILE } from '../helpers.ts';
import { needChromium } from '../web/site-fixture.ts';

test('a missing Chromium stops the run with the command that installs it', () => {
  const r = spawnSync('bash', [join(REPO, 'scripts/test-tools.sh')], {
    encoding: 'utf8',
    env: { ...process.env, NEWSFLOW_CHROMIUM: join(REPO, 'no-such-dir/chromium') },
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /need Chromium at .*no-such-dir\/chromium/);
  assert.match(r.stderr, /apt-get install -y chromium/);
});

test('with Chromium and ../shared in place the check passes', () => {
  const r = spawnSync('bash', [join(REPO, 'scripts/test-tools.sh')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotThrow(() => needChromium());
  assert.equal(needShared(SEED_FILE), SEED_FILE);
});

test('a missing file of ../shared fails the test that reads it, naming the folder', () => {
  assert.throws(() => needShared(join(REPO, '../shared/no-such-file.txt')), /no-such-file\.txt is missing: the tests read the project's shared\/ folder/);
});
