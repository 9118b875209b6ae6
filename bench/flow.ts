// Fan-out and pull-feed benchmark of the subscriber flow (not in CI): `npm run bench:flow`.
//
//   ulimit -n 65536   # each side holds one descriptor per subscriber
//   apt-get install -y nginx libnginx-mod-nchan   # the peer; skipped when nginx is missing
//   npm run bench:flow [-- --clients 1000,10000 --stories 100 --interval 100]   (--clients 0: pull feed only)
//   npm run bench:flow -- --shared-subscriber   # the old mode: every client uses ONE subscriber key
//   npm run bench:flow -- --profile-server /tmp/prof   # writes the server's CPU profile there
//   npm run bench:flow -- --no-pin   # do not pin servers and clients to separate CPUs
//
// 1. SSE fan-out: N concurrent subscribers on loopback, each its own subscriber with its own key (so
//    entitlement and grouping run per subscriber), 100 stories published one by one;
//    latency from the publish request to receipt at each client (p50/p99 over every receipt) and the
//    server's RSS. With --shared-subscriber all N clients share one subscriber key, which the server
//    groups into one subscriber: entitlement once per event (kept for comparison only).
// 2. The same payloads through nginx + nchan over EventSource to the same number of clients.
// 3. Pull feed with auth (autocannon) as a ratio of a bare Fastify route in the same server.
// The server runs in its own process (this file with --serve) so client work never slows it down.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClients, type FanoutResult, fanout } from './sse.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

/** The server side: the real app on the given store, plus a bare route to compare with. */
async function serve(file: string, port: number): Promise<void> {
  const { openRuntime } = await import('../src/server/runtime.ts');
  const { buildWebApp } = await import('../src/server/app.ts');
  const { readConfig } = await import('../src/server/config.ts');
  const config = readConfig(process.env);
  // The heap setting `newsflow serve` uses.
  (await import('../src/server/heap.ts')).preferSmallHeap(config.heap);
  const rt = await openRuntime(file);
  await rt.hub.start();
  const { app } = await buildWebApp(rt, config, {
    extraRoutes: [
      async (app) => {
        app.get('/bench/bare', async () => ({ ok: true }));
      },
    ],
  });
  await app.listen({ host: '127.0.0.1', port });
  // An orderly exit, so `--cpu-prof` in NODE_OPTIONS writes the server's profile too.
  process.on('SIGTERM', () => process.exit(0));
  // And no orphan when the benchmark itself dies.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
  if (process.env.BENCH_MEMORY_LOG) {
    const mb = (n: number) => Math.round(n / 2 ** 20);
    setInterval(() => {
      const m = process.memoryUsage();
      process.stderr.write(
        `server memory MB: rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)} buffers ${mb(m.arrayBuffers)}\n`,
      );
    }, 1000).unref();
  }
  process.stdout.write('ready\n');
}

interface Keys {
  admin: string;
  editor: string;
  subscriber: string;
  subscribers: string[];
  setupMs: number;
}

/**
 * A product taking everything, and `count` subscribers with one key each (a single one with
 * --shared-subscriber). Made directly on the store inside one SQLite transaction, so 10,000 take seconds.
 */
async function setupStore(file: string, count: number): Promise<Keys> {
  const { openRuntime } = await import('../src/server/runtime.ts');
  const { issueKey } = await import('../src/flow/keys.ts');
  const { productFrom } = await import('../src/model/subscribers.ts');
  const rt = await openRuntime(file);
  await rt.store.subscribers.createProduct(productFrom({ name: 'All', embargoRights: true }));
  const t0 = performance.now();
  const db = (rt.store as unknown as { db?: { exec(sql: string): void } }).db;
  const subscribers: string[] = [];
  db?.exec('BEGIN');
  try {
    for (let i = 0; i < Math.max(1, count); i++) {
      const sub = await rt.store.subscribers.createSubscriber({ name: `bench-${i}`, products: ['All'] });
      subscribers.push((await issueKey(rt.store, 'subscriber', { subscriberId: sub.id, label: `bench-${i}` })).secret);
    }
    db?.exec('COMMIT');
  } catch (e) {
    db?.exec('ROLLBACK');
    throw e;
  }
  const setupMs = performance.now() - t0;
  const keys = {
    admin: (await issueKey(rt.store, 'admin')).secret,
    editor: (await issueKey(rt.store, 'editor')).secret,
    subscriber: subscribers[0],
    subscribers,
    setupMs,
  };
  await rt.close();
  return keys;
}

function startServer(file: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const profile = opt('profile-server', '') ? ['--cpu-prof', `--cpu-prof-dir=${opt('profile-server', '')}`] : [];
    const [cmd, ...pre] = pinned(SERVER_CPU, process.execPath);
    const child = spawn(
      cmd,
      [
        ...pre,
        ...profile,
        ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--serve',
        file,
        String(port),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
    );
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

// On a machine with at least two CPUs, each server (newsflow, nginx) runs pinned to its own CPU and this
// process (clients, publisher, autocannon) to another, so neither side steals the other's CPU and runs
// compare like with like. --no-pin turns it off.
const PIN = !args.includes('--no-pin') && cpus().length >= 2 && existsSync('/usr/bin/taskset');
const SERVER_CPU = 1;
const CLIENT_CPU = 0;

/** The command line running `program` on `cpu` (taskset), or just the program when not pinning. */
function pinned(cpu: number, program: string): string[] {
  return PIN ? ['/usr/bin/taskset', '-c', String(cpu), program] : [program];
}

async function json(url: string, key: string, method: string, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function startNchan(dir: string, port: number, clients: number): Promise<ChildProcess | null> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);
  const mod = ['/usr/lib/nginx/modules/ngx_nchan_module.so', '/usr/share/nginx/modules/ngx_nchan_module.so'].find(existsSync);
  if (!nginx || !mod) return null;
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `
load_module ${mod};
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile ${clients * 2 + 1024};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${clients * 2 + 1024}; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  client_max_body_size 1m;
  nchan_message_buffer_length 200;
  nchan_max_reserved_memory 256M;
  server {
    listen 127.0.0.1:${port};
    location = /pub { nchan_publisher; nchan_channel_id bench; }
    location = /sub { nchan_subscriber eventsource; nchan_channel_id bench; }
  }
}`,
  );
  const [cmd, ...pre] = pinned(SERVER_CPU, nginx);
  const child = spawn(cmd, [...pre, '-c', conf, '-p', dir], { stdio: 'inherit' });
  await new Promise((r) => setTimeout(r, 1000));
  return child;
}

function nginxPids(master: number): number[] {
  try {
    const kids = execFileSync('pgrep', ['-P', String(master)])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
    return [master, ...kids];
  } catch {
    return [master];
  }
}

async function feedRatio(base: string, key: string, cursor: string): Promise<{ bare: number; feedEmpty: number; feedPage: number }> {
  const autocannon = (await import('autocannon')).default as unknown as (o: object) => Promise<{ requests: { average: number }; non2xx: number }>;
  const run = async (path: string, auth: boolean) => {
    const r = await autocannon({ url: base + path, connections: 50, duration: 8, headers: auth ? { authorization: `Bearer ${key}` } : {} });
    if (r.non2xx) throw new Error(`${path}: ${r.non2xx} non-2xx answers`);
    return r.requests.average;
  };
  const bare = await run('/bench/bare', false);
  const head = (await json(`${base}/v1/feed`, key, 'GET')).next_cursor;
  const feedEmpty = await run(`/v1/feed?cursor=${head}`, true);
  const feedPage = await run(`/v1/feed?cursor=${cursor}&limit=20`, true);
  return { bare, feedEmpty, feedPage };
}

async function main(): Promise<void> {
  if (PIN) execFileSync('/usr/bin/taskset', ['-pc', String(CLIENT_CPU), String(process.pid)], { stdio: 'ignore' });
  const clientCounts = opt('clients', '1000,10000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const stories = Number(opt('stories', '100'));
  const interval = Number(opt('interval', '100'));
  const shared = args.includes('--shared-subscriber');
  // Each side (client process, server process) holds one descriptor per subscriber.
  const nofile = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? Infinity);
  const need = Math.max(0, ...clientCounts) + 512;
  if (nofile < need)
    throw new Error(
      `open-file limit ${nofile} < ${need} needed for ${Math.max(...clientCounts)} clients: run \`ulimit -n ${need * 2}\` first (or lower --clients)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'newsflow-bench-'));
  const file = join(dir, 'bench.db');
  const keys = await setupStore(file, shared ? 1 : Math.max(1, ...clientCounts));
  process.stderr.write(`setup: ${keys.subscribers.length} subscriber(s) with one key each in ${(keys.setupMs / 1000).toFixed(1)} s\n`);
  const port = 18000 + Math.floor(Math.random() * 1000);
  const base = `http://127.0.0.1:${port}`;
  // The shared mode needs the per-subscriber stream cap (NEWSFLOW_STREAMS_PER_SUBSCRIBER, default 100) lifted.
  const server = await startServer(file, port, shared ? { NEWSFLOW_STREAMS_PER_SUBSCRIBER: String(Math.max(100, ...clientCounts)) } : {});
  const results: FanoutResult[] = [];
  let firstCursor = '';
  try {
    firstCursor = (await json(`${base}/v1/feed`, keys.subscriber, 'GET')).next_cursor;
    let n = 0;
    let draft = '';
    for (const clients of clientCounts) {
      const r = await fanout(
        'newsflow',
        clients,
        stories,
        interval,
        (on) => connectClients(clients, `${base}/v1/stream`, (i) => ({ authorization: `Bearer ${shared ? keys.subscriber : keys.subscribers[i]}` }), on),
        // Timed from the publish request (the draft is written before the clock starts).
        async () => {
          await json(`${base}/v1/stories/${draft}/publish`, keys.editor, 'POST');
        },
        () => [server.pid!],
        async (i) => {
          draft = (
            await json(`${base}/v1/stories`, keys.editor, 'POST', {
              language: 'ar',
              headline: `bench-${i} ${n++}`,
              body: [{ type: 'paragraph', text: 'اختتم المؤتمر الإقليمي لتقاسم المياه أعماله اليوم بمشاركة ١٢ دولة. '.repeat(20) }],
            })
          ).id;
        },
      );
      results.push(r);
      process.stderr.write(
        `newsflow ${clients}: p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms, ${r.received}/${r.expected}, RSS ${r.connectedRssMb.toFixed(0)} MB connected, ${r.rssMb.toFixed(0)} MB end, ${r.peakRssMb.toFixed(0)} MB peak\n`,
      );
    }
    const nchanPort = port + 1;
    for (const clients of clientCounts) {
      const nginx = await startNchan(dir, nchanPort, clients);
      if (!nginx) {
        process.stderr.write('nginx with the nchan module not found: peer skipped\n');
        break;
      }
      try {
        // The same payload newsflow sent: an item of the feed is byte for byte the `data:` of the stream.
        const data = JSON.stringify((await json(`${base}/v1/feed?cursor=${firstCursor}&limit=1`, keys.subscriber, 'GET')).items[0]);
        const r = await fanout(
          'nginx+nchan',
          clients,
          stories,
          interval,
          (on) => connectClients(clients, `http://127.0.0.1:${nchanPort}/sub`, () => ({}), on),
          async (i) => {
            const res = await fetch(`http://127.0.0.1:${nchanPort}/pub`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: data.replace(/bench-\d+/g, `bench-${i}`),
            });
            if (res.status >= 300) throw new Error(`nchan publish: ${res.status}`);
            await res.arrayBuffer();
          },
          () => nginxPids(nginx.pid!),
        );
        results.push(r);
        process.stderr.write(
          `nchan ${clients}: p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms, ${r.received}/${r.expected}, RSS ${r.rssMb.toFixed(0)} MB\n`,
        );
      } finally {
        nginx.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    if (clientCounts.length === 0) {
      // Pull feed only: give the log something to page through.
      for (let i = 0; i < 100; i++) {
        const d = await json(`${base}/v1/stories`, keys.editor, 'POST', {
          language: 'ar',
          headline: `feed-${i}`,
          body: [{ type: 'paragraph', text: 'اختتم المؤتمر الإقليمي لتقاسم المياه أعماله اليوم بمشاركة ١٢ دولة. '.repeat(20) }],
        });
        await json(`${base}/v1/stories/${d.id}/publish`, keys.editor, 'POST');
      }
    }
    const feed = await feedRatio(base, keys.subscriber, firstCursor);
    report(results, feed, stories, interval, shared);
  } finally {
    server.kill('SIGTERM');
  }
}

function report(
  results: FanoutResult[],
  feed: { bare: number; feedEmpty: number; feedPage: number },
  stories: number,
  interval: number,
  shared: boolean,
): void {
  const row = (r: FanoutResult) =>
    `| ${r.system} | ${r.clients} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.received}/${r.expected} | ${r.connectedRssMb.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} |`;
  const table = [
    `SSE fan-out: ${stories} stories, one every ${interval} ms; latency from the publish request to receipt, over every receipt.`,
    shared
      ? 'newsflow clients: all share ONE subscriber key (--shared-subscriber): entitlement runs once per event, not per subscriber.'
      : 'newsflow clients: one subscriber with its own key per client (entitlement and grouping per subscriber).',
    '',
    '| system | clients | p50 ms | p99 ms | max ms | received | RSS MB (all connected) | RSS MB (end) | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    'Pull feed with auth vs a bare Fastify route in the same server (autocannon, 50 connections, 8 s each):',
    '',
    '| route | requests/s | ratio to bare |',
    '|---|---|---|',
    `| GET /bench/bare (no auth) | ${feed.bare.toFixed(0)} | 1.00 |`,
    `| GET /v1/feed at the head (auth, cursor, entitlement scan, 0 items) | ${feed.feedEmpty.toFixed(0)} | ${(feed.feedEmpty / feed.bare).toFixed(2)} |`,
    `| GET /v1/feed page of 20 full stories | ${feed.feedPage.toFixed(0)} | ${(feed.feedPage / feed.bare).toFixed(2)} |`,
  ].join('\n');
  process.stdout.write(table + '\n');
  const machine = `${hostname()}: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
  process.stdout.write(`\ncpus: ${PIN ? `server pinned to CPU ${SERVER_CPU}, clients and publisher to CPU ${CLIENT_CPU} (taskset)` : 'not pinned'}`);
  process.stdout.write(`\nmachine: ${machine}\ndate: ${new Date().toISOString()}\ncommand: npm run bench:flow -- ${process.argv.slice(2).join(' ')}\n`);
}

// Last, so every module-level constant above is initialised first.
if (args[0] === '--serve') await serve(args[1], Number(args[2]));
else await main();
