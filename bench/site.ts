// npm run bench:site — the public site under load with 50,000 stories in the store: story page and
// home page requests/s and p99 latency (autocannon), how long a publish takes to show on the home
// page, and the story page's weight. The server runs in a child process so the load generator does not
// share its event loop. Not a test: nothing here asserts a time.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { StoryContent } from '../src/model/story.ts';
import { openRuntime } from '../src/server/runtime.ts';
import { buildWebApp } from '../src/server/app.ts';
import { readConfig } from '../src/server/config.ts';
import { sampleContent, tempDir } from '../test/helpers.ts';

const STORIES = Number(process.env.BENCH_STORIES ?? 50_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PORT = 18_000 + Math.floor(Math.random() * 1000);

if (process.argv[2] === '--serve') {
  // Child: the real server on the prepared store.
  // The parent sets NEWSFLOW_SITE_CACHE for the run without the page cache.
  const config = readConfig({ ...process.env, NEWSFLOW_PUBLIC_URL: 'https://news.example.org' });
  const rt = await openRuntime(process.argv[3]);
  await rt.hub.start();
  const { app } = await buildWebApp(rt, config);
  await app.listen({ port: Number(process.argv[4]), host: '127.0.0.1' });
  process.stdout.write('ready\n');
  await new Promise(() => {});
}

const LANGS = ['ar', 'tr', 'en'] as const;
const CATEGORIES: Record<string, string[]> = {
  ar: ['الدول العربية', 'التقارير', 'اقتصاد', 'رياضة', 'ثقافة', 'علوم'],
  tr: ['Dünya', 'Ekonomi', 'Spor', 'Kültür', 'Bilim', 'Politika'],
  en: ['World', 'Economy', 'Sport', 'Culture', 'Science', 'Politics'],
};
const WORDS: Record<string, string[]> = {
  ar: 'قال المسؤول إن الحكومة ستعلن خطة جديدة لدعم المزارعين في المناطق الريفية خلال الأسابيع المقبلة'.split(' '),
  tr: 'Yetkili hükümetin önümüzdeki haftalarda kırsal bölgelerdeki çiftçileri destekleyecek yeni bir plan açıklayacağını söyledi'.split(' '),
  en: 'The official said the government would announce a new plan to support farmers in rural areas in the coming weeks'.split(' '),
};

function sentence(lang: string, i: number): string {
  const w = WORDS[lang];
  const n = 10 + (i % 8);
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(w[(i * 7 + k * 3) % w.length]);
  out[0] = out[0][0].toLocaleUpperCase(lang) + out[0].slice(1);
  return out.join(' ') + '.';
}

function synthetic(i: number): StoryContent {
  const lang = LANGS[i % 3];
  const cats = CATEGORIES[lang];
  return sampleContent({
    language: lang,
    headline: `${sentence(lang, i).slice(0, -1)} ${i}`,
    deck: sentence(lang, i + 1),
    body: Array.from({ length: 8 }, (_, k) => ({
      type: 'paragraph' as const,
      text: `${sentence(lang, i + k)} ${sentence(lang, i + k + 1)} ${sentence(lang, i + k + 2)}`,
    })),
    categories: [cats[i % cats.length], cats[(i + 1) % cats.length]],
    urgency: i % 50 === 0 ? 2 : 4,
    photos: [{ url: '/static/demo/water-conference.svg', caption: sentence(lang, i + 3) }],
    byline: [{ name: 'Bench Reporter', role: 'reporter' }],
    dateline: { place: 'İstanbul', agency: 'Newsflow' },
    provenance: { originalIds: { bench: String(i) } },
  });
}

function serve(db: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', db, String(PORT)], {
    env: { ...process.env, NEWSFLOW_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function load(title: string, paths: string[]): Promise<string[]> {
  let n = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[n++ % paths.length] }) }],
  });
  const non2xx = r.non2xx + r.errors + r.timeouts;
  return [title, String(Math.round(r.requests.average)), `${r.latency.p50} ms`, `${r.latency.p99} ms`, String(non2xx)];
}

// 1. A store with STORIES published stories, imported in batches of 1,000 (one transaction each).
const dir = tempDir('newsflow-bench-site-');
const db = join(dir, 'site.db');
let t0 = performance.now();
{
  const rt = await openRuntime(db);
  for (let i = 0; i < STORIES; i += 1000) {
    const batch = [];
    for (let k = i; k < Math.min(STORIES, i + 1000); k++) {
      batch.push({ content: synthetic(k), publishedAt: new Date(Date.UTC(2025, 0, 1) + k * 60_000).toISOString() });
    }
    await rt.store.importPublished(batch);
  }
  const importSecs = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await rt.store.site.position(); // the site's read model catches up with all 50k stories once
  const syncSecs = (performance.now() - t0) / 1000;
  console.log(`imported ${STORIES} stories in ${importSecs.toFixed(1)} s; site read model built in ${syncSecs.toFixed(1)} s`);
  await rt.close();
}

// Story URLs to request: 2,000 distinct stories spread over the whole store.
const rt = await openRuntime(db);
const sample = await rt.store.site.sitemap(0, STORIES);
const storyPaths = Array.from({ length: 2000 }, (_, i) => {
  const s = sample[(i * 25 + (i % 3)) % sample.length];
  return `/${s.language}/${encodeURIComponent(s.slug)}/${s.id}`;
});
await rt.close();

const rows: string[][] = [];
let child = await serve(db);
try {
  // Warm-up: the first request renders, later ones come from the page cache.
  await fetch(`http://127.0.0.1:${PORT}${storyPaths[0]}`);
  rows.push(await load('story page (one URL, cached)', [storyPaths[0]]));
  rows.push(await load('story pages (2,000 URLs)', storyPaths));
  rows.push(await load('home page /ar/', ['/ar/']));
  rows.push(await load('section page', [`/ar/category/${encodeURIComponent('التقارير')}`]));
  rows.push(await load('Atom feed /feeds/ar.atom', ['/feeds/ar.atom']));

  // A publish must show on the (cached) home page within a second: publish from another process and poll.
  const writer = await openRuntime(db);
  const item = synthetic(STORIES + 1);
  const home = `http://127.0.0.1:${PORT}/${item.language}/`;
  await fetch(home);
  const published = performance.now();
  const [ev] = await writer.store.importPublished([{ content: { ...item, headline: 'Publish latency probe' }, publishedAt: new Date().toISOString() }]);
  let seenAfter = -1;
  while (performance.now() - published < 5000) {
    const html = await (await fetch(home)).text();
    if (html.includes(ev.storyId)) {
      seenAfter = performance.now() - published;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await writer.close();
  rows.push(['publish → visible on home page', '', '', `${seenAfter < 0 ? 'not within 5 s' : `${Math.round(seenAfter)} ms`}`, '']);

  // Story page weight: HTML + stylesheet + the font files an Arabic story page loads.
  const storyHtml = await (await fetch(`http://127.0.0.1:${PORT}${storyPaths.find((p) => p.startsWith('/ar/'))}`)).text();
  const css = await (await fetch(`http://127.0.0.1:${PORT}/static/site.css`)).arrayBuffer();
  let fonts = 0;
  for (const f of ['noto-naskh-arabic-arabic-400-normal.woff2', 'noto-naskh-arabic-arabic-700-normal.woff2', 'noto-sans-latin-400-normal.woff2']) {
    fonts += (await (await fetch(`http://127.0.0.1:${PORT}/static/fonts/${f}`)).arrayBuffer()).byteLength;
  }
  const htmlBytes = Buffer.byteLength(storyHtml);
  rows.push([
    'Arabic story page weight',
    '',
    '',
    `${((htmlBytes + css.byteLength + fonts) / 1024).toFixed(1)} KB`,
    `html ${htmlBytes} B, css ${css.byteLength} B, fonts ${fonts} B`,
  ]);
} finally {
  child.kill();
}

// 2. The same story pages without the page cache: every request reads the store and renders.
process.env.NEWSFLOW_SITE_CACHE = '0';
child = await serve(db);
try {
  rows.push(await load('story pages, page cache off', storyPaths));
  rows.push(await load('home page /ar/, page cache off', ['/ar/']));
} finally {
  child.kill();
}

console.log(`\n${STORIES} stories, ${CONNECTIONS} connections, ${DURATION} s per run, ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}\n`);
console.log('| what | req/s | p50 | p99 | non-2xx / notes |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
process.exit(0);
