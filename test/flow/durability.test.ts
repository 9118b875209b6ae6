// Acknowledged publishes survive a crash: a child process publishing in a loop is killed with
// SIGKILL; every publish it acknowledged is in the log when the file is opened again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { openRuntime } from '../../src/server/runtime.ts';
import { REPO, tempDbFile } from '../helpers.ts';

it('a publisher killed with SIGKILL loses none of its acknowledged publishes', async () => {
  const file = tempDbFile();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/flow/fixtures/publisher.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: { seq: number; id: string }[] = [];
  let buffer = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const l of lines) {
        const [seq, id] = l.split(' ');
        acked.push({ seq: Number(seq), id });
      }
      if (acked.length >= 200 && !child.killed) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await new Promise((r) => child.once('exit', r));
  // Opened as the server would (a SQLite file, or a PostgreSQL URL with NEWSFLOW_TEST_STORE=postgres).
  const { store, close } = await openRuntime(file);
  const log = await store.readLog({ after: 0, limit: 100_000 });
  const bySeq = new Map(log.map((i) => [i.event.seq, i]));
  for (const a of acked) {
    const item = bySeq.get(a.seq);
    assert.ok(item, `acknowledged event ${a.seq} is in the log`);
    assert.equal(item.event.storyId, a.id);
    assert.equal(item.version.version, 1);
  }
  assert.ok(log.length >= acked.length);
  await close();
});
