// Issue 15, faults: `kill -9` of a node in the middle of a webhook delivery. Two real server processes on
// one PostgreSQL database, a real receiver on loopback that verifies every Standard Webhooks signature and
// holds each request a while; the node whose connection the receiver is holding (found from the socket's
// port in /proc) is killed with SIGKILL while its request is held. The other node takes the subscription
// over within seconds (PostgreSQL freed the dead session's advisory lock): the receiver gets every logged
// message, in log order, and the one that was cut off comes again with the same webhook-id.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_LOCK_CLASS } from '../../src/store/postgres/subscribers.ts';
import { freshDatabase } from '../postgres.ts';
import { call, databaseNodeEnv, type Node, sleep, startNode, subscribersAndKeys, tryPublish, until } from './nodes.ts';

const HOLD_MS = 300;

/** The process (of those given) that owns the loopback TCP socket with local port `port`. */
function ownerOfPort(port: number, pids: number[]): number | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && Number.parseInt(cols[1].split(':').at(-1)!, 16) === port) inodes.add(cols[9]);
    }
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // the process is gone (the killed node)
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return pid;
      } catch {
        // the descriptor closed meanwhile
      }
    }
  }
  return null;
}

it('kill -9 of the node delivering a webhook: the other node takes over within seconds, every message arrives in order, a repeat keeps its webhook-id', async () => {
  const url = await freshDatabase();
  // JSON deliveries for the subscriber, so the receiver reads each message's seq from its payload.
  const keys = await subscribersAndKeys(url, 1, { defaultFormat: 'json' });
  const env = { NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '1', NEWSFLOW_WEBHOOK_BASE_DELAY_MS: '100' };
  const a = await startNode('node-a', databaseNodeEnv(url, env));
  const b = await startNode('node-b', databaseNodeEnv(url, env));

  // The receiver: verifies, records (seq, webhook-id, sending node, time), holds the answer HOLD_MS.
  let verifier: Webhook | null = null;
  const got: { seq: number; id: string; from: Node | null; at: number }[] = [];
  let killAt = 0;
  let victim: Node | null = null;
  const nodes = [a, b];
  const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = verifier!.verify(body, req.headers as Record<string, string>) as { data: { event: { seq: number } } };
      const pid = ownerOfPort(
        req.socket.remotePort!,
        nodes.map((n) => n.child.pid!),
      );
      const from = nodes.find((n) => n.child.pid === pid) ?? null;
      got.push({ seq: payload.data.event.seq, id: String(req.headers['webhook-id']), from, at: Date.now() });
      // The fourth message: the node sending it dies while the receiver still holds the request.
      if (got.length === 4 && !victim) {
        assert.ok(from, 'the sending node is one of the two');
        victim = from;
        killAt = Date.now();
        from.child.kill('SIGKILL');
      }
      setTimeout(() => res.writeHead(204).end(), HOLD_MS);
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  after(
    () =>
      new Promise<void>((ok) => {
        receiver.closeAllConnections();
        receiver.close(() => ok());
      }),
  );
  const hook = await call(a.url, keys.subscribers[0], 'POST', '/v1/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  verifier = new Webhook(hook.body.secret);

  // Stories published on both nodes; the kill comes while they are being delivered.
  const published: number[] = [];
  for (let i = 0; i < 10; i++) {
    const p = await tryPublish(nodes[i % 2].url, keys.editor, `Webhook wire ${i}`);
    assert.ok(p !== null, `publish ${i} acknowledged`);
    published.push(p.seq);
  }
  await until('the kill', () => victim !== null, 20_000);
  await (victim as unknown as Node).exited;
  const survivor = nodes.find((n) => n !== victim)!;
  // More news after the kill, on the node left.
  for (let i = 10; i < 13; i++) {
    const p = await tryPublish(survivor.url, keys.editor, `Webhook wire ${i}`);
    assert.ok(p !== null, `publish ${i} acknowledged`);
    published.push(p.seq);
  }

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  after(() => db.end());
  const logged = (await db.query<{ seq: number }>('SELECT seq::int AS seq FROM events ORDER BY seq')).rows.map((r) => r.seq);
  assert.deepEqual(logged, published, 'the log holds exactly what was acknowledged');
  await until('every message to arrive', () => new Set(got.map((g) => g.seq)).size >= logged.length, 30_000).catch((e) => {
    throw new Error(`${e.message}; got ${JSON.stringify(got.map((g) => [g.seq, g.from?.name]))}\n${survivor.stderr()}`);
  });
  await sleep(HOLD_MS + 500); // a stray repeat would arrive meanwhile

  const seqs = got.map((g) => g.seq);
  // In log order: never back to an earlier message; a repeat is of the message just before it.
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] >= seqs[i - 1], `in log order: ${seqs.join(',')}`);
  assert.deepEqual([...new Set(seqs)], logged, 'every logged message arrived');
  for (const g of got) assert.equal(g.id, `msg_${hook.body.id}_${g.seq}`, 'a message keeps its webhook-id, repeated or not');
  // The message cut off by the kill was never recorded as delivered: it comes again, and it alone.
  const cut = got[3].seq;
  assert.deepEqual(
    seqs.filter((s, i) => seqs.indexOf(s) !== i),
    [cut],
    `only the message cut off by the kill came twice: ${seqs.join(',')}`,
  );

  // Handed over within seconds: the first message the survivor sent after the kill.
  const takeover = got.find((g) => g.at >= killAt && g.from === survivor);
  assert.ok(takeover, 'the surviving node delivered after the kill');
  assert.equal(takeover.seq, cut, 'the survivor starts again from the stored cursor: the message cut off');
  const handoverMs = takeover.at - killAt;
  assert.ok(handoverMs < 3000, `handed over in ${handoverMs} ms`);
  // The survivor holds the subscription's lock now (or none, once caught up); the dead node holds nothing.
  const holders = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.classid = $1::oid AND s.datname = current_database()`,
      [WEBHOOK_LOCK_CLASS],
    )
  ).rows[0].n;
  assert.ok(holders <= 1);
  assert.equal(survivor.child.exitCode, null, 'the other node kept running');
  process.stdout.write(
    `# killed ${(victim as unknown as Node).name} mid-delivery of ${got[3].seq}; handover in ${handoverMs} ms; received ${seqs.join(',')}\n`,
  );
});
