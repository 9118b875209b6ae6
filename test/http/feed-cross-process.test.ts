// Any writer reaches live readers: a story published by another process on the same SQLite file wakes
// a waiting long-poll and an open stream through the hub's head polling.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { EventSource } from 'eventsource';
import { REPO } from '../helpers.ts';
import { addProduct, addSubscriber, call, startServer, until, type FlowServer } from './subscriber-helpers.ts';

const run = promisify(execFile);

/** Publishes from a child process; returns the seqs and commit times it reports. */
async function publishFromAnotherProcess(file: string, ...headlines: string[]): Promise<{ seq: number; committedAt: number }[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(REPO, 'test/http/subscriber-writer.ts'), file, ...headlines], { cwd: REPO });
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('a writer in another process', () => {
  let s: FlowServer;
  let sub: Awaited<ReturnType<typeof addSubscriber>>;
  before(async () => {
    s = await startServer({ webhooks: false });
    await addProduct(s, { name: 'All' });
    sub = await addSubscriber(s, 'Cross-process desk', ['All']);
  });
  after(async () => s.stop());

  it('wakes a long-poll and an open stream within a second', async () => {
    const start = (await call(s, sub.key, 'GET', '/v1/feed')).body.next_cursor;
    const streamed: { seq: number; at: number }[] = [];
    const es = new EventSource(`${s.url}/v1/stream?cursor=${start}&access_token=${sub.key}`);
    es.addEventListener('published', (e) => streamed.push({ seq: JSON.parse(e.data).event.seq, at: Date.now() }));
    try {
      const polling = call(s, sub.key, 'GET', `/v1/feed?cursor=${start}&wait=30`).then((r) => ({ r, at: Date.now() }));
      const [written] = await publishFromAnotherProcess(s.file, 'من عملية أخرى');
      const { r, at } = await polling;
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.items.map((i: any) => i.event.seq),
        [written.seq],
      );
      await until('the stream to get it', () => streamed.length === 1);
      assert.equal(streamed[0].seq, written.seq);
      const pollLatency = at - written.committedAt;
      const streamLatency = streamed[0].at - written.committedAt;
      // The hub polls the head every 100 ms here (200 ms in `serve`); a second is the promise.
      assert.ok(pollLatency < 1000, `long-poll answered ${pollLatency} ms after the commit`);
      assert.ok(streamLatency < 1000, `stream got it ${streamLatency} ms after the commit`);
    } finally {
      es.close();
    }
  });
});
