// newsflow on PostgreSQL (issue 15), not in CI: `npm run bench:pg`.
//
//   npm run bench:pg                      # on the tests' throwaway cluster (started if needed)
//   BENCH_PG_URL=postgres://… npm run bench:pg   # another server; the bench creates a database of its own there
//   npm run bench:pg -- --clients 1000 --stories 100 --bulk 20000
//   npm run bench:pg -- --only publishes,bulk     # only some parts: publishes bulk pgbench fanout (fan-out and cross-node)
//
// 1. Durable publishes per second through the newsroom (draft written first, then publish), one at a time and
//    16 at a time, with synchronous_commit on (the server's default, checked and printed).
// 2. Bulk import (store.importPublished, 1,000 stories a call) without and with the search index.
// 3. pgbench with a one-insert transaction, 1 and 16 clients, in the same run: the database's own ceiling,
//    reported as a ratio to newsflow's publishes.
// 4. SSE fan-out to N subscribers: 2 server processes on PostgreSQL (N/2 each, publishes on the first)
//    against 1 server on SQLite with all N; p50/p99 from the publish request to receipt.
// 5. A publish on node A to a client of node B: p50/p99/max over `--stories` publishes.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { connectClients, type FanoutResult, fanout, percentile } from './sse.ts';

const REPO = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const CLIENTS = Number(opt('clients', '1000'));
const STORIES = Number(opt('stories', '100'));
const BULK = Number(opt('bulk', '20000'));
const SINGLE = Number(opt('single', '300'));
const CONCURRENT = Number(opt('concurrent', '2000'));
const PARTS = ['publishes', 'bulk', 'pgbench', 'fanout'];
const ONLY = opt('only', PARTS.join(','))
  .split(',')
  .map((p) => p.trim());
for (const p of ONLY) if (!PARTS.includes(p)) throw new Error(`--only takes a comma-separated list of ${PARTS.join(', ')}; got ${JSON.stringify(p)}`);
const part = (name: string) => ONLY.includes(name);

const BODY = 'اختتم المؤتمر الإقليمي لتقاسم المياه أعماله اليوم بمشاركة ١٢ دولة، واتفق المشاركون على خطة عمل. ';

async function adminUrl(): Promise<string> {
  if (process.env.BENCH_PG_URL) return process.env.BENCH_PG_URL;
  execFileSync(process.execPath, [join(REPO, 'scripts/test-postgres.mjs'), 'start'], { stdio: 'inherit' });
  const info = JSON.parse(readFileSync(join(process.env.NEWSFLOW_TEST_PG_DIR ?? join(tmpdir(), 'newsflow-test-pg'), 'cluster.json'), 'utf8'));
  return info.url as string;
}

/** A new empty database on the server of `admin`; returns its URL. */
async function newDatabase(admin: string, tag: string): Promise<string> {
  const name = `nf_bench_${tag}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

async function setting(url: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const v = (await c.query(`SHOW ${name}`)).rows[0][name];
  await c.end();
  return v;
}

const content = (i: number, tag: string) => ({
  language: 'ar',
  headline: `${tag} ${i}: اجتماع إقليمي حول المياه`,
  body: [{ type: 'paragraph', text: BODY.repeat(8) }],
});

interface Rate {
  what: string;
  count: number;
  seconds: number;
}

/** Publishes through the newsroom: `count` drafts written first, then published `parallel` at a time. */
async function publishes(url: string, count: number, parallel: number): Promise<Rate> {
  const { openRuntime } = await import('../src/server/runtime.ts');
  const { SYSTEM_ACTOR } = await import('../src/model/actor.ts');
  const rt = await openRuntime(url);
  try {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await rt.newsroom.createDraft(content(i, `p${parallel}`), SYSTEM_ACTOR)).id);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < ids.length) await rt.newsroom.publish(ids[next++], SYSTEM_ACTOR);
      }),
    );
    return { what: `durable publishes, ${parallel} at a time`, count, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await rt.close();
  }
}

/** Bulk import in calls of 1,000 stories; with `index`, the search index is built in the same calls. */
async function bulk(url: string, count: number, index: boolean): Promise<Rate> {
  const { openRuntime } = await import('../src/server/runtime.ts');
  const { validateDraftInput } = await import('../src/model/validate.ts');
  const rt = await openRuntime(url);
  try {
    const at = new Date('2026-01-01T00:00:00Z').getTime();
    const t0 = performance.now();
    for (let i = 0; i < count; i += 1000) {
      const items = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
        content: validateDraftInput(content(i + j, index ? 'bi' : 'b')),
        publishedAt: new Date(at + (i + j) * 60_000).toISOString(),
      }));
      await rt.store.importPublished(items, { deferIndex: !index });
    }
    return { what: `bulk import${index ? ', indexed in the same calls' : ' (index deferred)'}`, count, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await rt.close();
  }
}

/** pgbench with one INSERT per transaction on `clients` connections for 10 s: transactions per second. */
function pgbench(url: string, clients: number): number {
  const bin = execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1']).toString().trim();
  const dir = mkdtempSync(join(tmpdir(), 'newsflow-pgbench-'));
  const script = join(dir, 'insert.sql');
  writeFileSync(script, "INSERT INTO bench_insert (v) VALUES ('a wire story headline of ordinary length');\n");
  execFileSync(join(bin, 'psql'), [
    url,
    '-qc',
    'SET client_min_messages = warning; CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, v text)',
  ]);
  const out = execFileSync(join(bin, 'pgbench'), ['-n', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', '10', '-f', script, url]).toString();
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(m[1]);
}

/** A server process (bin/newsflow.mjs serve) on a store; resolves once /healthz answers. */
async function startNode(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), NEWSFLOW_DEMO: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    if (child.exitCode !== null) throw new Error(`node on port ${port} exited with ${child.exitCode}`);
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node on port ${port} did not answer /healthz`);
}

interface Keys {
  editor: string;
  subscribers: string[];
}

/** A product taking everything and `count` subscribers with a key each, plus an editor key. */
async function setup(target: string, count: number): Promise<Keys> {
  const { openRuntime } = await import('../src/server/runtime.ts');
  const { issueKey } = await import('../src/flow/keys.ts');
  const { productFrom } = await import('../src/model/subscribers.ts');
  const rt = await openRuntime(target);
  try {
    await rt.store.subscribers.createProduct(productFrom({ name: 'All', embargoRights: true }));
    const subscribers: string[] = [];
    for (let i = 0; i < count; i++) {
      const sub = await rt.store.subscribers.createSubscriber({ name: `bench-${i}`, products: ['All'] });
      subscribers.push((await issueKey(rt.store, 'subscriber', { subscriberId: sub.id, label: `bench-${i}` })).secret);
    }
    return { editor: (await issueKey(rt.store, 'editor')).secret, subscribers };
  } finally {
    await rt.close();
  }
}

async function call(url: string, key: string, method: string, body?: unknown): Promise<{ id: string }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

/** Fan-out from a publish on `bases[0]` to `clients` subscribers spread evenly over `bases`. */
async function spread(system: string, bases: string[], keys: Keys, clients: number, pids: number[]): Promise<FanoutResult> {
  let draft = '';
  return fanout(
    system,
    clients,
    STORIES,
    100,
    async (on) => {
      const stops = await Promise.all(
        bases.map((base, b) => {
          const share = Math.floor(clients / bases.length) + (b < clients % bases.length ? 1 : 0);
          const offset = bases.slice(0, b).reduce((n, _, k) => n + Math.floor(clients / bases.length) + (k < clients % bases.length ? 1 : 0), 0);
          return connectClients(share, `${base}/v1/stream`, (i) => ({ authorization: `Bearer ${keys.subscribers[offset + i]}` }), on);
        }),
      );
      return () => {
        for (const stop of stops) stop();
      };
    },
    async () => {
      await call(`${bases[0]}/v1/stories/${draft}/publish`, keys.editor, 'POST');
    },
    () => pids,
    async (i) => {
      draft = (await call(`${bases[0]}/v1/stories`, keys.editor, 'POST', { ...content(i, `bench-${i}`), headline: `bench-${i} ${system}` })).id;
    },
  );
}

async function main(): Promise<void> {
  const admin = await adminUrl();
  const rates: Rate[] = [];
  const sync = await setting(admin, 'synchronous_commit');
  process.stderr.write(`PostgreSQL ${await setting(admin, 'server_version')}, synchronous_commit ${sync}\n`);

  if (part('publishes')) {
    rates.push(await publishes(await newDatabase(admin, 'p1'), SINGLE, 1));
    process.stderr.write(`${rates.at(-1)!.what}: ${(SINGLE / rates.at(-1)!.seconds).toFixed(0)}/s\n`);
    rates.push(await publishes(await newDatabase(admin, 'p16'), CONCURRENT, 16));
    process.stderr.write(`${rates.at(-1)!.what}: ${(CONCURRENT / rates.at(-1)!.seconds).toFixed(0)}/s\n`);
  }
  if (part('bulk')) {
    rates.push(await bulk(await newDatabase(admin, 'bulk'), BULK, false));
    process.stderr.write(`${rates.at(-1)!.what}: ${(BULK / rates.at(-1)!.seconds).toFixed(0)}/s\n`);
    rates.push(await bulk(await newDatabase(admin, 'bulki'), BULK, true));
    process.stderr.write(`${rates.at(-1)!.what}: ${(BULK / rates.at(-1)!.seconds).toFixed(0)}/s\n`);
  }
  let tps1 = Number.NaN;
  let tps16 = Number.NaN;
  if (part('pgbench')) {
    const benchDb = await newDatabase(admin, 'pgbench');
    tps1 = pgbench(benchDb, 1);
    tps16 = pgbench(benchDb, 16);
    process.stderr.write(`pgbench one-insert transactions: ${tps1.toFixed(0)} tps (1 client), ${tps16.toFixed(0)} tps (16 clients)\n`);
  }

  const fan: FanoutResult[] = [];
  let cross: number[] = [];
  if (part('fanout')) {
    // Fan-out: 1 node on SQLite vs 2 nodes on PostgreSQL, the same clients and publishes.
    const port = 19000 + Math.floor(Math.random() * 500);
    const dir = mkdtempSync(join(tmpdir(), 'newsflow-bench-pg-'));
    const sqliteFile = join(dir, 'bench.db');
    const sqliteKeys = await setup(sqliteFile, CLIENTS);
    const single = await startNode({ NEWSFLOW_DATA: sqliteFile }, port);
    try {
      fan.push(await spread('1 node, SQLite', [`http://127.0.0.1:${port}`], sqliteKeys, CLIENTS, [single.pid!]));
    } finally {
      single.kill('SIGTERM');
    }
    const pgUrl = await newDatabase(admin, 'fan');
    const pgKeys = await setup(pgUrl, CLIENTS);
    const nodes = [
      await startNode({ NEWSFLOW_DATABASE_URL: pgUrl, NEWSFLOW_NODE_NAME: 'a' }, port + 1),
      await startNode({ NEWSFLOW_DATABASE_URL: pgUrl, NEWSFLOW_NODE_NAME: 'b' }, port + 2),
    ];
    try {
      const bases = [`http://127.0.0.1:${port + 1}`, `http://127.0.0.1:${port + 2}`];
      fan.push(
        await spread(
          '2 nodes, PostgreSQL',
          bases,
          pgKeys,
          CLIENTS,
          nodes.map((n) => n.pid!),
        ),
      );
      cross = await crossNode(bases, pgKeys);
    } finally {
      for (const n of nodes) n.kill('SIGTERM');
    }
  }
  report(rates, { tps1, tps16 }, fan, cross, sync);
}

/** Latency from a publish request on node A to receipt by one client on node B, `STORIES` times. */
async function crossNode(bases: string[], keys: Keys): Promise<number[]> {
  const publishedAt = new Float64Array(STORIES);
  const latencies: number[] = [];
  const stop = await connectClients(
    1,
    `${bases[1]}/v1/stream`,
    () => ({ authorization: `Bearer ${keys.subscribers[0]}` }),
    (i) => {
      if (i < STORIES) latencies.push(performance.now() - publishedAt[i]);
    },
  );
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < STORIES; i++) {
    const draft = (await call(`${bases[0]}/v1/stories`, keys.editor, 'POST', { ...content(i, 'x'), headline: `bench-${i} cross` })).id;
    publishedAt[i] = performance.now();
    await call(`${bases[0]}/v1/stories/${draft}/publish`, keys.editor, 'POST');
    await new Promise((r) => setTimeout(r, 50));
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < STORIES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stop();
  return latencies.sort((a, b) => a - b);
}

function report(rates: Rate[], bench: { tps1: number; tps16: number }, fan: FanoutResult[], cross: number[], sync: string): void {
  const perSecond = (r: Rate) => r.count / r.seconds;
  const ceiling = (r: Rate) => (r.what.includes('16 at a time') ? bench.tps16 : r.what.includes('1 at a time') ? bench.tps1 : NaN);
  const sorted = Float64Array.from(cross);
  const lines = [
    `newsflow on PostgreSQL (synchronous_commit ${sync})`,
    '',
    '| what | count | per second | pgbench ceiling (tps) | ratio |',
    '|---|---|---|---|---|',
    ...rates.map(
      (r) =>
        `| ${r.what} | ${r.count} | ${perSecond(r).toFixed(0)} | ${Number.isNaN(ceiling(r)) ? '—' : ceiling(r).toFixed(0)} | ${Number.isNaN(ceiling(r)) ? '—' : (perSecond(r) / ceiling(r)).toFixed(2)} |`,
    ),
    ...(part('pgbench')
      ? [
          `| pgbench, one INSERT a transaction, 1 client | | ${bench.tps1.toFixed(0)} | | |`,
          `| pgbench, one INSERT a transaction, 16 clients | | ${bench.tps16.toFixed(0)} | | |`,
        ]
      : []),
    '',
    ...(part('fanout')
      ? [
          `SSE fan-out: ${STORIES} stories one every 100 ms, latency from the publish request to receipt over every receipt.`,
          '',
          '| setup | clients | p50 ms | p99 ms | max ms | received |',
          '|---|---|---|---|---|---|',
          ...fan.map((r) => `| ${r.system} | ${r.clients} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.received}/${r.expected} |`),
          '',
          `Publish on node A to a client on node B (${cross.length}/${STORIES} received): p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${(cross.at(-1) ?? NaN).toFixed(1)} ms`,
        ]
      : []),
  ];
  const machine = `${hostname()}: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  process.stdout.write(`${lines.join('\n')}\n\nmachine: ${machine}\ndate: ${new Date().toISOString()}\ncommand: npm run bench:pg -- ${args.join(' ')}\n`);
}

await main();
