// Issue 15, faults: PostgreSQL restarted (`pg_ctl restart -m fast`) while publishing and streaming. Two
// real server processes on a private cluster, real SSE clients on both (resuming with Last-Event-ID if
// their stream ends), and publishers on both nodes that keep going through the restart, counting a
// publish only when it was acknowledged. Afterwards every acknowledged publish is in the log at the
// seq it was acknowledged with, every client got every logged event exactly once and in order, both
// nodes are healthy again and listening without having been restarted, and a new publish reaches the
// clients of both nodes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, it } from 'node:test';
import pg from 'pg';
import { REPO } from '../helpers.ts';
import { freshDatabase, privateCluster } from '../postgres.ts';
import { call, databaseNodeEnv, refusals, sleep, StreamClient, startNode, subscribersAndKeys, tryPublish, until } from './nodes.ts';

it('PostgreSQL restarted while publishing and streaming: nothing acknowledged is lost, nodes and streams recover by themselves', async () => {
  const cluster = await privateCluster();
  const url = await freshDatabase(cluster);
  // JSON deliveries for the subscriber, as its stream's events are checked against the log.
  const keys = await subscribersAndKeys(url, 1, { defaultFormat: 'json' });
  const a = await startNode('node-a', databaseNodeEnv(url));
  const b = await startNode('node-b', databaseNodeEnv(url));

  const clients = [a, a, b, b].map((n) => new StreamClient(n.url, keys.subscribers[0], { name: n.name }));
  after(() => Promise.all(clients.map((c) => c.stop())));
  await until('every stream to connect', () => clients.every((c) => c.ready), 10_000);

  // Publishers on both nodes, two each, one story after the other, until told to stop.
  const acknowledged: { seq: number; headline: string }[] = [];
  let refused = 0;
  let stop = false;
  let n = 0;
  const publisher = async (node: { url: string }) => {
    while (!stop) {
      const headline = `Restart wire ${n++}`;
      const published = await tryPublish(node.url, keys.editor, headline);
      if (published === null) {
        refused++;
        await sleep(50);
      } else acknowledged.push({ seq: published.seq, headline });
    }
  };
  const publishers = [a, a, b, b].map(publisher);

  await until('publishes before the restart', () => acknowledged.length >= 20, 20_000);
  const before = acknowledged.length;
  // pg_ctl runs in a child process of its own: `cluster.ctl` would block this process's event loop, and
  // the publishers and stream clients must keep going through the restart.
  const restart = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(REPO, 'scripts/test-postgres.mjs'))}); m.pgCtl(JSON.parse(process.env.CLUSTER), 'restart', '-m', 'fast');`,
    ],
    { env: { ...process.env, CLUSTER: JSON.stringify(cluster) }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let restartErr = '';
  restart.stderr!.on('data', (d: Buffer) => void (restartErr += d.toString()));
  const [code] = (await once(restart, 'exit')) as [number | null];
  assert.equal(code, 0, `pg_ctl restart -m fast: ${restartErr}`);
  const refusedDuringRestart = refused;
  // Keep publishing until the database takes writes again and some more were acknowledged.
  await until('publishes after the restart', () => acknowledged.length >= before + 20, 30_000).catch((e) => {
    throw new Error(
      `${e.message}: ${acknowledged.length - before} acknowledged since; refusals: ${refusals.slice(-6).join('\n')}\n${a.stderr()}\n${b.stderr()}`,
    );
  });
  stop = true;
  await Promise.all(publishers);
  assert.ok(refusedDuringRestart > 0, 'the restart came while publishing: some publishes were refused');

  // The log as PostgreSQL holds it.
  const db = new pg.Client({ connectionString: url });
  db.on('error', () => {}); // the private cluster may go first when the file ends
  await db.connect();
  after(() => db.end());
  const logged = (
    await db.query<{ seq: number; headline: string }>(`SELECT e.seq::int AS seq, v.content::json->>'headline' AS headline
       FROM events e JOIN versions v ON v.story_id = e.story_id AND v.version = e.version ORDER BY e.seq`)
  ).rows;
  const bySeq = new Map(logged.map((r) => [r.seq, r.headline]));
  for (const ack of acknowledged) assert.equal(bySeq.get(ack.seq), ack.headline, `acknowledged publish ${ack.seq} (${ack.headline}) is in the log`);
  const seqs = logged.map((r) => r.seq);
  assert.deepEqual(
    seqs,
    [...new Set(seqs)].sort((x, y) => x - y),
  );

  // Every client, on either node, got the whole log once, in order (no gap across the restart).
  await until('every stream to catch up with the log', () => clients.every((c) => c.seqs.length >= seqs.length), 20_000).catch((e) => {
    const seen = clients.map(
      (c) =>
        `${c.name}: ${c.seqs.length} events over ${c.connections} connections, last ${c.seqs.at(-1)}, missing ${seqs.filter((s) => !c.seqs.includes(s)).slice(0, 10)}`,
    );
    throw new Error(`${e.message}; log ${seqs.length} events up to ${seqs.at(-1)}\n${seen.join('\n')}\n${a.stderr()}\n${b.stderr()}`);
  });
  await sleep(300); // a duplicate would arrive meanwhile
  for (const c of clients) assert.deepEqual(c.seqs, seqs, `the stream on ${c.name} got every logged event exactly once, in order`);

  // Both nodes healthy, without a restart of theirs: still the same processes, and listening again.
  for (const node of [a, b]) {
    assert.equal(node.child.exitCode, null, `${node.name} is still running`);
    const h = await call(node.url, keys.editor, 'GET', '/healthz');
    assert.equal(h.status, 200, JSON.stringify(h.body));
    assert.equal(h.body.ok, true);
    assert.equal(h.body.database.reachable, true);
  }
  await until(
    'both nodes to LISTEN again',
    async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'newsflow-listener' AND datname = current_database()`)).rowCount === 2,
    15_000,
  );

  // A publish after the restart reaches the clients of both nodes within two seconds (LISTEN/NOTIFY, not
  // the 5 s safety poll; test/server/nginx.test.ts holds the one-second goal on a quiet pair of nodes).
  const last = (await tryPublish(b.url, keys.editor, 'After the restart'))?.seq ?? null;
  assert.ok(last !== null, 'a publish after the restart is acknowledged');
  const acked = Date.now();
  await until('the publish after the restart to reach every client', () => clients.every((c) => c.seqs.at(-1) === last), 2000);
  process.stdout.write(`# the publish after the restart reached every client ${Date.now() - acked} ms after its acknowledgement\n`);
  for (const c of clients) assert.deepEqual(c.seqs, [...seqs, last]);
  // Informational: how the fault showed (refused publishes, stream reconnections).
  process.stdout.write(
    `# ${acknowledged.length} acknowledged, ${refused} refused, ${seqs.length} logged; connections per client: ${clients.map((c) => c.connections).join(',')}\n`,
  );
});
