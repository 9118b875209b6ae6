// npm run bench:desk — the newsroom desk with 50,000 stories in the store: server time (p99) of the
// wire monitor and the story list pages under load, how long a publish takes to appear in a wire
// monitor open in Chromium (p99 over 100 publishes, timed in the page by a MutationObserver against
// the moment the publish was sent), the editor page's JavaScript size compressed, and the editor's
// first load in Chromium (navigation timing). The server runs in a child process, as in production;
// it times each request itself, from the request's arrival to the last byte written (what the user
// waits for on the server), and hands the times to the bench over IPC. Not a test: nothing asserts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Accounts } from '../src/flow/accounts.ts';
import { issueKey } from '../src/flow/keys.ts';
import type { StoryContent } from '../src/model/story.ts';
import { userActor } from '../src/model/users.ts';
import { buildWebApp } from '../src/server/app.ts';
import { readConfig } from '../src/server/config.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { CLIENT_DIR } from '../src/web/client-assets.ts';
import { sampleContent, tempDir } from '../test/helpers.ts';
import { signInHttp } from '../test/web/desk-fixture.ts';
import { launchBrowser } from '../test/web/site-fixture.ts';

const STORIES = Number(process.env.BENCH_STORIES ?? 50_000);
const NEWSROOM_PUBLISHES = Number(process.env.BENCH_NEWSROOM ?? 500);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const LIVE_PUBLISHES = Number(process.env.BENCH_LIVE ?? 100);
const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const PORT = 19_000 + Math.floor(Math.random() * 1000);
const PASSWORD = 'bench-desk-password-1';

if (process.argv[2] === '--serve') {
  // Child: the real server on the prepared store, timing every request from arrival to last byte.
  const config = readConfig({ ...process.env, NEWSFLOW_PUBLIC_URL: 'https://news.example.org' });
  const rt = await openRuntime(process.argv[3]);
  await rt.hub.start();
  const { app } = await buildWebApp(rt, config);
  // Per group, two times per request: until the response is complete in the server (res.end called:
  // what Server-Timing would report) and until its last byte was handed to the socket ('finish', which
  // also waits for a slow client to read a large page).
  const times = new Map<string, { end: number[]; finish: number[] }>();
  app.server.prependListener('request', (req, res) => {
    const start = process.hrtime.bigint();
    const path = req.url ?? '';
    const group = path.startsWith('/desk/stories') ? 'list' : path === '/desk' || path.startsWith('/desk?') ? 'wire' : 'other';
    let t = times.get(group);
    if (!t) times.set(group, (t = { end: [], finish: [] }));
    const list = t;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    let ended = false;
    res.end = ((...args: unknown[]) => {
      if (!ended) list.end.push(Number(process.hrtime.bigint() - start) / 1e6);
      ended = true;
      return end(...args);
    }) as typeof res.end;
    res.on('finish', () => list.finish.push(Number(process.hrtime.bigint() - start) / 1e6));
  });
  process.on('message', (m: { take: string }) => {
    const t = times.get(m.take) ?? { end: [], finish: [] };
    times.set(m.take, { end: [], finish: [] });
    process.send!({ times: t });
  });
  await app.listen({ port: Number(process.argv[4]), host: '127.0.0.1' });
  process.send!({ ready: true });
  await new Promise(() => {});
}

const LANGS = ['ar', 'tr', 'en'] as const;
const CATEGORIES: Record<string, string[]> = {
  ar: ['الدول العربية', 'اقتصاد', 'رياضة', 'ثقافة'],
  tr: ['Dünya', 'Ekonomi', 'Spor', 'Kültür'],
  en: ['World', 'Economy', 'Sport', 'Culture'],
};
const DESKS = ['world', 'economy', 'sport', 'culture'];

function synthetic(i: number): StoryContent {
  const lang = LANGS[i % 3];
  const cats = CATEGORIES[lang];
  return sampleContent({
    language: lang,
    headline: `${lang === 'ar' ? 'خبر تجريبي رقم' : lang === 'tr' ? 'Deneme haberi' : 'Bench story'} ${i}`,
    body: [{ type: 'paragraph', text: `${lang === 'ar' ? 'نص الخبر' : 'Story text'} ${i}.` }],
    categories: [cats[i % cats.length]],
    urgency: i % 50 === 0 ? 1 : i % 10 === 0 ? 2 : 4,
    desk: DESKS[i % DESKS.length],
    provenance: { originalIds: { bench: String(i) } },
  });
}

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

function serve(db: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', db, String(PORT)], {
    env: { ...process.env, NEWSFLOW_QUIET: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function serverTimes(child: ChildProcess, group: string): Promise<{ end: number[]; finish: number[] }> {
  return new Promise((resolve) => {
    child.once('message', (m: { times: { end: number[]; finish: number[] } }) => resolve(m.times));
    child.send({ take: group });
  });
}

// 1. The store: STORIES imported (one transaction per 1,000), then the newsroom's own publishes, drafts
//    and submissions through rt.newsroom as a signed-in editor would make them.
const dir = tempDir('newsflow-bench-desk-');
const db = join(dir, 'desk.db');
let t0 = performance.now();
let editorKey = '';
let editorEmail = '';
{
  const rt = await openRuntime(db);
  for (let i = 0; i < STORIES; i += 1000) {
    const batch = [];
    for (let k = i; k < Math.min(STORIES, i + 1000); k++) {
      batch.push({ content: synthetic(k), publishedAt: new Date(Date.UTC(2025, 0, 1) + k * 60_000).toISOString() });
    }
    await rt.store.importPublished(batch);
  }
  console.log(`imported ${STORIES} stories in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const accounts = new Accounts(rt.store);
  editorEmail = 'bench-editor@agency.test';
  const { user } = await accounts.add({ email: editorEmail, role: 'editor', name: 'Bench Editor', language: 'en', password: PASSWORD });
  const by = userActor(user);
  t0 = performance.now();
  for (let i = 0; i < NEWSROOM_PUBLISHES; i++) {
    const s = await rt.newsroom.createDraft(synthetic(STORIES + i), by);
    if (i % 5 === 4) await rt.newsroom.submit(s.id, by);
    else if (i % 5 !== 3) await rt.newsroom.publish(s.id, by);
  }
  console.log(`newsroom: ${NEWSROOM_PUBLISHES} drafts (3 in 5 published, 1 submitted) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  editorKey = (await issueKey(rt.store, 'editor', { label: 'bench' })).secret;
  // The public site's read model catches up with the whole store once here, not in the server during the runs.
  t0 = performance.now();
  await rt.store.site.position();
  console.log(`site read model built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await rt.close();
}

const base = `http://127.0.0.1:${PORT}`;
const rows: string[][] = [];
const child = await serve(db);
const browser = await launchBrowser();
try {
  const session = await signInHttp(base, editorEmail, PASSWORD);

  // 2. Server time under load: the wire monitor (first pages, filtered pages, older pages) and the story lists.
  const head = Number(/data-seq="(\d+)"/.exec(await (await session.get('/desk')).text())?.[1] ?? 0);
  const wirePaths = ['/desk', '/desk?language=ar', '/desk?urgency=1', '/desk?kind=published&language=tr', `/desk?before=${Math.max(1, head - 20_000)}`];
  const listPaths = [
    '/desk/stories',
    '/desk/stories?status=published',
    '/desk/stories?status=submitted',
    '/desk/stories?status=draft&language=en',
    '/desk/stories?status=published&desk=sport',
  ];
  const load = async (title: string, group: string, paths: string[]) => {
    await serverTimes(child, group); // forget the warm-up
    let n = 0;
    const r = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            path: paths[n++ % paths.length],
            headers: { ...(req.headers as Record<string, string>), cookie: session.cookie },
          }),
        },
      ],
    });
    const server = await serverTimes(child, group);
    const bad = r.non2xx + r.errors + r.timeouts;
    rows.push([
      title,
      `${server.end.length} requests, ${Math.round(r.requests.average)} req/s; client p99 ${r.latency.p99} ms; to last byte p99 ${ms(percentile(server.finish, 99))}${bad ? `, ${bad} failed` : ''}`,
      `p50 ${ms(percentile(server.end, 50))}, **p99 ${ms(percentile(server.end, 99))}**`,
      '< 50 ms',
    ]);
  };
  // Warm-up (JIT, caches, the heap's first growth), thrown away; then list and wire in alternate order.
  for (const p of [...wirePaths, ...listPaths]) await session.get(p);
  await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: 3,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          path: '/desk',
          headers: { ...(req.headers as Record<string, string>), cookie: session.cookie },
        }),
      },
    ],
  });
  await load('story list page, server time', 'list', listPaths);
  await load('wire monitor page, server time', 'wire', wirePaths);
  // One connection: server time without queueing behind the other connections.
  const single = async (title: string, group: string, paths: string[]) => {
    await serverTimes(child, group);
    for (let i = 0; i < 300; i++) await session.get(paths[i % paths.length]);
    const server = await serverTimes(child, group);
    rows.push([
      title,
      `${server.end.length} requests one at a time; to last byte p99 ${ms(percentile(server.finish, 99))}`,
      `p50 ${ms(percentile(server.end, 50))}, **p99 ${ms(percentile(server.end, 99))}**`,
      '< 50 ms',
    ]);
  };
  await single('wire monitor page, server time, 1 connection', 'wire', wirePaths);
  await single('story list page, server time, 1 connection', 'list', listPaths);

  // 3. Publish → row in an open wire monitor, timed in the page.
  const context = await browser.newContext({ baseURL: base });
  const [name, value] = session.cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  await page.goto('/desk');
  await page.waitForFunction(() => document.querySelector('table.wire')?.getAttribute('data-live') === 'open');
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { seen: Record<string, number> }).seen = seen;
    new MutationObserver((records) => {
      const now = performance.timeOrigin + performance.now();
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLTableRowElement && n.dataset.story) seen[n.dataset.story] ??= now;
    }).observe(document.querySelector('table.wire tbody')!, { childList: true });
  });
  const api = async (path: string, body?: unknown) => {
    const r = await fetch(base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${editorKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as { id: string };
  };
  const latencies: number[] = [];
  let missed = 0;
  for (let i = 0; i < LIVE_PUBLISHES; i++) {
    const draft = await api('/v1/stories', { ...synthetic(STORIES + NEWSROOM_PUBLISHES + i), provenance: undefined });
    const sent = Date.now();
    await api(`/v1/stories/${draft.id}/publish`);
    const seenAt = await page
      .waitForFunction((id) => (window as unknown as { seen: Record<string, number> }).seen[id], draft.id, { timeout: 10_000, polling: 20 })
      .then((h) => h.jsonValue() as Promise<number>)
      .catch(() => null);
    if (seenAt === null) missed++;
    else latencies.push(seenAt - sent);
  }
  rows.push([
    `publish → row in the open wire monitor (${LIVE_PUBLISHES} publishes through the API)`,
    `p50 ${ms(percentile(latencies, 50))}, max ${ms(Math.max(...latencies))}${missed ? `, ${missed} not within 10 s` : ''}`,
    `**p99 ${ms(percentile(latencies, 99))}**`,
    '< 1 s',
  ]);
  await context.close();

  // 4. The editor page's JavaScript, compressed: the `editor` bundle and the chunks it imports (gzip copies
  //    the server sends), and what the editor page itself loads when it exists in this checkout.
  const manifest = JSON.parse(readFileSync(join(CLIENT_DIR, 'manifest.json'), 'utf8')) as Record<string, string>;
  const closure = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(join(CLIENT_DIR, file), 'utf8');
    const dirOf = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const m of text.matchAll(/(?:from|import)\s*["']\.\/([\w./-]+\.js)["']/g)) closure(join(dirOf, m[1]).replace(/\\/g, '/'), seen);
    return seen;
  };
  const gz = (file: string) => {
    const p = join(CLIENT_DIR, `${file}.gz`);
    return existsSync(p) ? statSync(p).size : statSync(join(CLIENT_DIR, file)).size;
  };
  const entrySize = (entry: string) => [...closure(manifest[entry])].reduce((sum, f) => sum + gz(f), 0);
  rows.push([
    '`editor` bundle + chunks, gzip (dist/client)',
    `${Object.keys(manifest).join(', ')} in the manifest`,
    `**${(entrySize('editor') / 1024).toFixed(1)} KB**`,
    '≤ 250 KB',
  ]);

  // 5. First load of the editor page (/desk/stories/new), a fresh browser context (cold cache) each time.
  const editorPage = '/desk/stories/new';
  const status = (await session.get(editorPage)).status;
  const loadsMs: number[] = [];
  let jsBytes = 0;
  for (let i = 0; i < LOADS; i++) {
    const ctx = await browser.newContext({ baseURL: base });
    await ctx.addCookies([{ name, value, url: base }]);
    const p = await ctx.newPage();
    await p.goto(editorPage, { waitUntil: 'load' });
    const timing = await p.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name.endsWith('.js'));
      return { load: nav.loadEventEnd - nav.startTime, js: js.reduce((s, r) => s + r.encodedBodySize, 0) };
    });
    loadsMs.push(timing.load);
    jsBytes = timing.js;
    await ctx.close();
  }
  const note = status === 200 ? '' : ` (answered ${status}: the editor page is not in this checkout; re-run after the merge)`;
  rows.push([
    `first load of ${editorPage} in Chromium, cold cache (${LOADS} loads)${note}`,
    `p50 ${ms(percentile(loadsMs, 50))}; JavaScript transferred ${(jsBytes / 1024).toFixed(1)} KB`,
    `**p95 ${ms(percentile(loadsMs, 95))}**`,
    '< 1 s',
  ]);
} finally {
  await browser.close();
  child.kill();
}

console.log(
  `\n${STORIES} imported stories + ${NEWSROOM_PUBLISHES} newsroom drafts, ${CONNECTIONS} connections, ${DURATION} s per load run, ` +
    `${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end\n`,
);
console.log('| measure | how | result | goal |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
process.exit(0);
