// Faults of several nodes on one PostgreSQL database (issue 15), with real processes, a real PostgreSQL
// server and real clients:
// 1. A publish on node A reaches SSE clients connected to nodes B and C within one second (the wake-up
//    goes through LISTEN/NOTIFY; the safety poll is far slower, so only the push can pass).
// 2. `kill -9` of a node while clients stream from it: they reconnect through nginx (docs/deploy/nginx.conf)
//    with Last-Event-ID and receive every event exactly once, in order, up to the head.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { tempDir } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';
import { publishStory, StreamClient, startNginx, startNode, subscribersAndKeys, until } from './nodes.ts';

type Client = StreamClient;

/** Nodes on one fresh database, no demo data; subscribers and keys made before they start. */
async function cluster(names: string[], clients: number) {
  const url = await freshDatabase();
  const keys = await subscribersAndKeys(url, clients);
  const media = join(tempDir('newsflow-nodes-'), 'media');
  const nodes = await Promise.all(names.map((name) => startNode(name, { NEWSFLOW_DATABASE_URL: url, NEWSFLOW_MEDIA_DIR: media, NEWSFLOW_DEMO: '0' })));
  return { url, keys, nodes };
}

/** Resolves once every client's stream said it is connected. */
async function connected(clients: Client[]): Promise<void> {
  await until(
    () => `every stream to connect: ${clients.map((cl) => cl.errors.at(-1) ?? 'no answer yet').join(' | ')}`,
    () => clients.every((cl) => cl.ready),
    30_000,
  );
}

/** Every client got exactly `storyIds` (one `published` event each), in order, strictly rising positions. */
function assertExactlyOnce(clients: Client[], storyIds: string[], label: (i: number) => string): void {
  clients.forEach((c, i) => {
    assert.deepEqual(c.faults, [], `${label(i)}: ${c.faults.join('; ')}`);
    assert.deepEqual(
      c.received.map((r) => r.storyId),
      storyIds,
      `${label(i)} got every story exactly once, in publish order (connections: ${c.connections}, ended: ${c.errors.join(' | ')})`,
    );
    assert.ok(
      c.received.every((r) => r.kind === 'published'),
      `${label(i)}: only published events`,
    );
    const seqs = c.received.map((r) => r.seq);
    assert.ok(
      seqs.every((s, k) => k === 0 || s > seqs[k - 1]),
      `${label(i)}: positions rise: ${seqs.join(',')}`,
    );
  });
}

it('a publish on node A reaches SSE clients connected to nodes B and C within one second', async (t) => {
  const perNode = 2;
  const { keys, nodes } = await cluster(['node-a', 'node-b', 'node-c'], 2 * perNode);
  const [a, b, c] = nodes;
  const clients = [b, b, c, c].map((node, i) => new StreamClient(node.url, keys.subscribers[i]));
  const label = (i: number) => `client ${i} on ${i < perNode ? 'node-b' : 'node-c'}`;
  try {
    await connected(clients);
    const storyIds: string[] = [];
    const latencies: number[] = [];
    for (let n = 0; n < 12; n++) {
      const { id, sentAt } = await publishStory(a.url, keys.editor, `Story ${n} published on node A`);
      storyIds.push(id);
      await until(
        () => `story ${n} (${id}) to reach every client: ${clients.map((cl, i) => `${label(i)} has ${cl.received.length}`).join(', ')}`,
        () => clients.every((cl) => cl.received.some((r) => r.storyId === id)),
        5000,
      );
      const slowest = Math.max(...clients.map((cl) => cl.received.find((r) => r.storyId === id)!.at - sentAt));
      latencies.push(slowest);
      assert.ok(slowest < 1000, `story ${n} took ${slowest.toFixed(0)} ms from the publish on node A to the last client on B or C`);
    }
    const sorted = [...latencies].sort((x, y) => x - y);
    t.diagnostic(
      `publish on node A to the slowest of ${clients.length} clients on B and C: median ${sorted[sorted.length >> 1].toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
    );
    assertExactlyOnce(clients, storyIds, label);
    clients.forEach((cl, i) => assert.equal(cl.connections, 1, `${label(i)} never had to reconnect: ${cl.errors.join(' | ')}`));
  } finally {
    await Promise.all(clients.map((cl) => cl.stop()));
  }
});

it('kill -9 of a node while clients stream from it: they reconnect through nginx with Last-Event-ID and get every event exactly once', async (t) => {
  const { keys, nodes } = await cluster(['node-a', 'node-b'], 8);
  const [publisher, victim] = nodes;
  const nginx = await startNginx(join(tempDir('newsflow-nodes-nginx-'), 'nginx'), [publisher.port, victim.port]);
  const clients = keys.subscribers.map((key) => new StreamClient(nginx.url, key, { retryMs: 300 }));
  const victimAddr = `127.0.0.1:${victim.port}`;
  const onVictim = (cl: Client) => cl.upstreams[0] === victimAddr;
  const label = (i: number) => `client ${i} (first on ${clients[i].upstreams[0]})`;
  try {
    await connected(clients);
    const first = clients.filter(onVictim).length;
    assert.ok(first > 0 && first < clients.length, `nginx spread the clients over both nodes (${first} of ${clients.length} on the victim)`);

    // Publishing continuously on the node that stays; the other is killed in the middle.
    const storyIds: string[] = [];
    const publishedAt: number[] = [];
    const total = 30;
    const killAfter = 10;
    let killedAt = 0;
    for (let n = 0; n < total; n++) {
      storyIds.push((await publishStory(publisher.url, keys.editor, `Story ${n} while a node dies`)).id);
      publishedAt.push(performance.now());
      if (n + 1 === killAfter) {
        // Only once the victim's clients are streaming what is published, so the kill lands mid-stream.
        const id = storyIds.at(-1)!;
        await until(
          'the victim node to stream the first stories',
          () => clients.filter(onVictim).every((cl) => cl.received.some((r) => r.storyId === id)),
          5000,
        );
        victim.child.kill('SIGKILL');
        const gone = await victim.exited;
        assert.equal(gone.signal, 'SIGKILL');
        killedAt = performance.now();
      }
      await new Promise((r) => setTimeout(r, 20));
    }

    const head = ((await (await fetch(`${publisher.url}/healthz`)).json()) as { head: number }).head;
    await until(
      () => `every client at the head ${head}: ${clients.map((cl, i) => `${label(i)} at ${cl.received.at(-1)?.seq}`).join(', ')}`,
      () => clients.every((cl) => cl.received.at(-1)?.seq === head),
      10_000,
    );
    assertExactlyOnce(clients, storyIds, label);
    clients.forEach((cl, i) => {
      if (onVictim(cl)) {
        assert.ok(cl.connections >= 2, `${label(i)} reconnected after the kill`);
        // Stories published while it was away reach it only by resuming from its Last-Event-ID.
        const away = publishedAt.filter((at) => at > killedAt && at < cl.openedAt[1]).length;
        assert.ok(away > 0, `${label(i)}: stories were published between the kill and its reconnect`);
        assert.ok(
          cl.upstreams.slice(1).every((u) => u.split(', ').at(-1) === `127.0.0.1:${publisher.port}`),
          `${label(i)} resumed on the node that stayed: ${cl.upstreams.join(' | ')}`,
        );
        assert.ok(
          cl.received.some((r) => r.connection > 0),
          `${label(i)} got events on its resumed connection`,
        );
      } else {
        assert.equal(cl.connections, 1, `${label(i)} on the node that stayed kept its stream: ${cl.errors.join(' | ')}`);
      }
    });
    const resumed = clients.filter(onVictim).map((cl) => cl.received.find((r) => r.connection > 0 && r.at > killedAt)?.at ?? Number.NaN);
    t.diagnostic(
      `${clients.filter(onVictim).length} clients of the killed node resumed through nginx; first event after the kill at ${resumed.map((at) => `${(at - killedAt).toFixed(0)} ms`).join(', ')}`,
    );
  } finally {
    await Promise.all(clients.map((cl) => cl.stop()));
  }
});
