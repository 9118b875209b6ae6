// Several nodes behind Debian's nginx (issue 15, point 7), with the very config docs/deploy.md gives
// (docs/deploy/nginx.conf): nginx runs as an unprivileged-style instance with its own prefix, pid and
// temp paths in a temporary folder, in front of two real `bin/newsflow.mjs serve` processes on one
// store. An SSE stream opened through nginx receives an event published on the other node, and
// /healthz answers through nginx.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../helpers.ts';
import { publishStory, readUntil, startNginx, startNode } from './nodes.ts';
import { demoKey } from './process.ts';

/**
 * Where the nodes keep their store: one PostgreSQL database, as docs/deploy.md sets nodes up ('sqlite'
 * runs the same test on one shared SQLite file, which several processes also support).
 */
const STORE_TARGET = 'postgres' as 'sqlite' | 'postgres';

async function storeEnv(dir: string): Promise<Record<string, string>> {
  if (STORE_TARGET === 'postgres') {
    const { freshDatabase } = await import('../postgres.ts');
    return { NEWSFLOW_DATABASE_URL: await freshDatabase(), NEWSFLOW_MEDIA_DIR: join(dir, 'media') };
  }
  return { NEWSFLOW_DATA: join(dir, 'newsflow.db'), NEWSFLOW_MEDIA_DIR: join(dir, 'media') };
}

it('through nginx: an SSE stream gets an event published on the other node, and /healthz answers', async () => {
  const dir = tempDir('newsflow-nginx-');
  const store = await storeEnv(dir);
  // The first node creates the store (and its demo keys); the second joins it.
  const a = await startNode('node-a', store);
  const b = await startNode('node-b', { ...store, NEWSFLOW_DEMO: '0' });
  const ports = [a.port, b.port];
  const nodes = new Map([
    [`127.0.0.1:${ports[0]}`, a],
    [`127.0.0.1:${ports[1]}`, b],
  ]);
  const nginx = await startNginx(join(dir, 'nginx'), ports);
  const front = `http://127.0.0.1:${nginx.port}`;

  // Health through nginx: 200, and each node names itself.
  const named = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const h = await fetch(`${front}/healthz`);
    assert.equal(h.status, 200, h.status === 200 ? undefined : await h.clone().text());
    const body = (await h.json()) as { ok: boolean; node: string; database: { reachable: boolean } };
    assert.equal(body.ok, true);
    assert.equal(body.database.reachable, true);
    named.add(body.node);
  }
  assert.deepEqual([...named].sort(), ['node-a', 'node-b'], 'nginx spreads requests over both nodes');

  const subscriber = demoKey(a.stdout(), 'subscriber');
  const editor = demoKey(a.stdout(), 'editor');
  const stream = await fetch(`${front}/v1/stream`, { headers: { authorization: `Bearer ${subscriber}` } });
  assert.equal(stream.status, 200, stream.status === 200 ? '' : await stream.text());
  assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
  const servedBy = stream.headers.get('x-test-upstream')!;
  const other = [...nodes.entries()].find(([addr]) => addr !== servedBy)![1];
  const reader = stream.body!.getReader();
  const seen = { text: '' };
  await readUntil(reader, /: connected/, 5000, seen);

  const headline = `Published on the other node ${Date.now()}`;
  const { sentAt } = await publishStory(other.url, editor, headline);
  const text = await readUntil(reader, new RegExp(headline), 5000, seen);
  const ms = Math.round(performance.now() - sentAt);
  assert.ok(ms < 1000, `reached the stream on the other node in ${ms} ms`);
  // The event carries its position as the SSE id, so a client reconnecting through nginx resumes.
  const lastId = /^id: (\S+)$/m.exec(text.slice(text.indexOf(': connected')))![1];
  await reader.cancel();

  // Last-Event-ID passes through nginx: while the client is away another story is published; the
  // resumed stream gets that one and not the one it had already seen.
  const missed = `Published while away ${Date.now()}`;
  await publishStory(other.url, editor, missed);
  const resumed = await fetch(`${front}/v1/stream`, { headers: { authorization: `Bearer ${subscriber}`, 'last-event-id': lastId } });
  assert.equal(resumed.status, 200);
  const again = resumed.body!.getReader();
  const resumedText = await readUntil(again, new RegExp(missed), 5000);
  assert.doesNotMatch(resumedText, new RegExp(headline), 'the event already seen is not sent again');
  await again.cancel();
});
