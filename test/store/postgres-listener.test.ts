// Waking readers across nodes with LISTEN/NOTIFY (issue 15, point 3), on a real PostgreSQL server: a
// notify from another connection wakes the hub at once (its safety poll is 5 s, so only the push can
// be that fast), and the listener survives its connection being killed and the server restarting.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import pg from 'pg';
import { Hub } from '../../src/flow/hub.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { LISTENER_APPLICATION, listenForHead } from '../../src/store/postgres/listener.ts';
import { freshDatabase, privateCluster } from '../postgres.ts';

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  after(() => c.end().catch(() => {}));
  return c;
}

/** Appends a log row the way a node's append does: the row, and the notify committed with it. */
async function append(c: pg.Client, seq: number, notify = true): Promise<void> {
  await c.query('BEGIN');
  await c.query(
    `INSERT INTO events (seq, kind, story_id, version, at, language, categories, urgency, media_type)
     VALUES ($1, 'published', $2, 1, '2026-11-30T12:00:00.000Z', 'en', '[]', 4, 'text')`,
    [seq, `story-${seq}`],
  );
  if (notify) await c.query(`SELECT pg_notify('newsflow_log', $1)`, [String(seq)]);
  await c.query('COMMIT');
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const listenerPids = async (c: pg.Client) =>
  (
    await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LISTENER_APPLICATION])
  ).rows.map((r) => r.pid);

it('a commit on another connection wakes the hub in well under a second (the push, not the 5 s safety poll)', async () => {
  const url = await freshDatabase();
  const store = await PostgresStore.open(url);
  after(() => store.close());
  const hub = new Hub(store);
  await hub.start(200, 5000);
  after(() => hub.stop());
  const other = await connect(url);
  await until('the listener', async () => (await listenerPids(other)).length === 1);

  for (const seq of [1, 2, 3]) {
    const woken = new Promise<number>((resolve) => {
      const stop = hub.subscribe((head) => {
        stop();
        resolve(head);
      });
    });
    const t0 = performance.now();
    await append(other, seq);
    const head = await woken;
    const ms = performance.now() - t0;
    assert.equal(head, seq);
    assert.ok(ms < 500, `woken after ${ms.toFixed(0)} ms`);
  }
  // Stopping the hub closes its listening connection (a stopped runtime leaves no connection behind).
  hub.stop();
  await until('the listener gone', async () => (await listenerPids(other)).length === 0);
});

it('the listener reconnects by itself after its connection is terminated, and tells the head committed meanwhile', async () => {
  const url = await freshDatabase();
  const store = await PostgresStore.open(url); // applies the schema
  await store.close();
  const heads: number[] = [];
  const listener = listenForHead(url, (h) => heads.push(h), { minDelayMs: 200 });
  after(() => listener.stop());
  const other = await connect(url);
  await until('listening', () => listener.listening);
  const [pid] = await listenerPids(other);
  await append(other, 1);
  await until('the first notify', () => heads.includes(1));

  await other.query('SELECT pg_terminate_backend($1)', [pid]);
  // Committed while nobody listens, without a notify: the reconnect's head read must carry it.
  await append(other, 2, false);
  await until('a new listener connection', async () => {
    const pids = await listenerPids(other);
    return pids.length === 1 && pids[0] !== pid && listener.listening;
  });
  await until('the head read after reconnecting', () => heads.includes(2));
  await append(other, 3);
  await until('a notify after the reconnect', () => heads.includes(3));
});

it('the listener reconnects by itself after PostgreSQL restarts (pg_ctl restart -m fast)', async () => {
  const cluster = await privateCluster();
  const url = await freshDatabase(cluster);
  const store = await PostgresStore.open(url);
  await store.close();
  const heads: number[] = [];
  const states: string[] = [];
  const listener = listenForHead(url, (h) => heads.push(h), { minDelayMs: 100, maxDelayMs: 1000, onState: (s) => states.push(s) });
  after(() => listener.stop());
  await until('listening', () => listener.listening);

  cluster.ctl('restart', '-m', 'fast');
  await until('the loss noticed', () => states.includes('lost'));
  await until('listening again', () => listener.listening, 30_000);
  const other = await connect(url);
  await append(other, 7);
  await until('a notify after the restart', () => heads.includes(7));
  assert.deepEqual(states.slice(0, 2), ['listening', 'lost']);
  assert.equal(states.at(-1), 'listening');
});
