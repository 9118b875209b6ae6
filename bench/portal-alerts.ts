// The portal benchmark (not in CI): `npm run bench:portal` measures, on one real server over one store,
// (1) topic alert e-mails from publish to inbox, (2) the server time of the portal's wire page and story
// page, and (3) a publish reaching open portal pages over real SSE connections of signed-in seats.
//
//   npm run bench:portal [-- --subscribers 1000 --publishes 100 --stories 50000 --seats 200 --page-requests 1000 --sse-publishes 30]
//
// The real server (src/server startServer: the composition root, the alert engine, nodemailer) with
// NEWSFLOW_SMTP_URL pointing at a real SMTP server (`smtp-server`, mails parsed by mailparser) on
// loopback. `--subscribers` subscribers each have one seat following one topic (a saved search); one
// topic matches the stories published, the others do not (so every publish is judged for every follow).
// `--stories` already-published stories are imported first (the archive the log sits on). Then
// `--publishes` matching stories are published one at a time through the newsroom; each is timed from
// the publish call to the moment the SMTP server has accepted and parsed the alert mail.
// Pages: `--seats` subscribers get one real seat each (users table, argon2id password), signed in over
// HTTP at /portal/sign-in. Server time is taken on the server's own HTTP listener (request event to the
// response's finish), so it is what the server spent, without the client. Wire page: GET /portal; story
// page: GET /portal/stories/<id> of random archive stories.
// SSE: each seat opens the live wire (GET /portal/live; `--sse topic`: its topic's live view,
// /portal/topics/<id>/live) as a real streaming fetch with its session cookie; `--sse-publishes` matching
// stories are published one at a time and each is timed from the publish call to its arrival at every
// open connection.
import { SYSTEM_ACTOR } from '../src/model/actor.ts';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { configWith } from '../src/server/config.ts';
import { startServer } from '../src/server/server.ts';
import type { Recipient } from '../src/model/topics.ts';
import type { StoryContent } from '../src/model/story.ts';
import { startInbox } from '../test/flow/mail-inbox.ts';
import { signInPortalHttp } from '../test/web/portal-fixture.ts';
import { Accounts } from '../src/flow/accounts.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SUBSCRIBERS = opt('subscribers', 1000);
const PUBLISHES = opt('publishes', 100);
const STORIES = opt('stories', 50_000);
const SEATS = opt('seats', 200);
const PAGE_REQUESTS = opt('page-requests', 1000);
const SSE_PUBLISHES = opt('sse-publishes', 30);
const SEAT_PASSWORD = 'bench-seat-password';
// Which portal page the SSE connections hold open: the live wire (/portal/live) or a topic's live view.
const SSE_PAGE = args.includes('--sse') ? args[args.indexOf('--sse') + 1] : 'wire';

function content(i: number, headline: string): StoryContent {
  return {
    language: 'ar',
    headline,
    deck: 'ملخص الخبر',
    body: [{ type: 'paragraph', text: `فقرة الخبر رقم ${i} عن أحداث اليوم في المنطقة.` }],
    byline: [{ name: 'Bench Desk', role: 'reporter' }],
    dateline: { place: 'عمّان', agency: 'وكالة نيوزفلو' },
    categories: ['الدول العربية'],
    keywords: [],
    hashtags: [],
    photos: [],
    urgency: 4,
    mediaType: 'text',
  } as StoryContent;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const inbox = await startInbox();
  const dir = mkdtempSync(join(tmpdir(), 'newsflow-bench-portal-'));
  const seats = new Map<string, Recipient>();
  const server = await startServer(
    configWith({
      PORT: '0',
      HOST: '127.0.0.1',
      NEWSFLOW_DATA: join(dir, 'newsflow.db'),
      NEWSFLOW_DEMO: '0',
      NEWSFLOW_QUIET: '1',
      NEWSFLOW_SMTP_URL: inbox.url,
      NEWSFLOW_PUBLIC_URL: 'https://portal.example.org',
    }),
    { stdout: process.stderr },
    { recipients: { recipient: async (id) => seats.get(id) ?? null } },
  );
  const { store, newsroom } = server.rt;
  const archiveIds: string[] = [];
  const subscriberIds: string[] = [];
  try {
    if (STORIES > 0) {
      const t = performance.now();
      for (let i = 0; i < STORIES; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, STORIES - i) }, (_, j) => ({
          content: content(i + j, `خبر أرشيفي رقم ${i + j}`),
          publishedAt: new Date(Date.now() - (STORIES - i - j) * 60_000).toISOString(),
        }));
        for (const e of await store.importPublished(batch, { deferIndex: true })) archiveIds.push(e.storyId);
      }
      process.stderr.write(`imported ${STORIES} stories in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    }
    await store.subscribers.createProduct({
      name: 'all',
      languages: [],
      categories: [],
      maxUrgency: null,
      mediaTypes: [],
      embargoRights: false,
      delaySeconds: 0,
    });
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const sub = await store.subscribers.createSubscriber({ name: `subscriber ${i}`, products: ['all'] });
      subscriberIds.push(sub.id);
      const query = i === 0 ? 'الزيتون' : `موضوع${i}`;
      const topic = await store.savedSearches.create({ subscriberId: sub.id, name: `topic ${i}`, query });
      seats.set(`seat-${i}`, { email: `seat${i}@paper${i}.example`, name: `Seat ${i}`, language: 'en', active: true, subscriberId: sub.id });
      await server.alerts.follow({ userId: `seat-${i}`, subscriberId: sub.id, savedSearchId: topic.id, mode: 'immediate', notify: true });
    }
    // One warm-up publish (nodemailer loads on the first mail), not counted.
    const warm = await newsroom.createDraft(content(0, 'مهرجان الزيتون: تجربة'), SYSTEM_ACTOR);
    await newsroom.publish(warm.id, SYSTEM_ACTOR);
    await inbox.waitFor(1, 30_000);

    const latencies: number[] = [];
    for (let i = 0; i < PUBLISHES; i++) {
      const draft = await newsroom.createDraft(content(i, `مهرجان الزيتون السنوي رقم ${i}`), SYSTEM_ACTOR);
      const before = inbox.mails.length;
      const t0 = Date.now();
      await newsroom.publish(draft.id, SYSTEM_ACTOR);
      await inbox.waitFor(before + 1, 30_000);
      latencies.push(inbox.receivedAt[before] - t0);
    }
    await server.alerts.wake();
    const sorted = latencies.slice().sort((a, b) => a - b);
    const extra = inbox.mails.length - 1 - PUBLISHES;

    // Portal pages and live connections, for seats signed in over HTTP.
    const accounts = new Accounts(store);
    const seatCount = Math.min(SEATS, subscriberIds.length);
    const topicIds: string[] = [];
    const cookies: string[] = [];
    for (let i = 0; i < seatCount; i++) {
      const email = `portal${i}@paper${i}.example`;
      await accounts.add({ email, role: 'seat', subscriberId: subscriberIds[i], name: `Portal seat ${i}`, language: 'en', password: SEAT_PASSWORD });
      const topic = await store.savedSearches.create({ subscriberId: subscriberIds[i], name: 'summit live', query: 'القمة' });
      topicIds.push(topic.id);
      cookies.push((await signInPortalHttp(server.url, email, SEAT_PASSWORD)).cookie);
    }
    process.stderr.write(`${seatCount} seats signed in\n`);

    // Server time per request, on the server's own listener.
    const serverMs = new Map<string, number[]>();
    const raw = server.web.app.server;
    const onRequest = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const t = performance.now();
      const path = (req.url ?? '').split('?')[0];
      const kind = path === '/portal' ? 'wire' : path.startsWith('/portal/stories/') ? 'story' : null;
      if (kind)
        res.on(
          'finish',
          () => serverMs.get(`${kind} ${res.statusCode}`)?.push(performance.now() - t) ?? serverMs.set(`${kind} ${res.statusCode}`, [performance.now() - t]),
        );
    };
    raw.prependListener('request', onRequest);
    const get = (path: string, i: number) =>
      fetch(server.url + path, { headers: { cookie: cookies[i % cookies.length] }, redirect: 'manual' }).then((r) => r.arrayBuffer());
    for (let i = 0; i < 20; i++) await get('/portal', i); // warm-up
    serverMs.clear();
    for (let i = 0; i < PAGE_REQUESTS; i++) await get('/portal', i);
    for (let i = 0; i < PAGE_REQUESTS; i++) await get(`/portal/stories/${archiveIds[Math.floor(Math.random() * archiveIds.length)] ?? 'none'}`, i);
    raw.removeListener('request', onRequest);

    // Real SSE connections, one per seat, each on its topic's live view.
    const arrivals = new Map<string, number[]>();
    const controller = new AbortController();
    let open = 0;
    const readers = cookies.map(async (cookie, i) => {
      const path = SSE_PAGE === 'topic' ? `/portal/topics/${topicIds[i]}/live` : '/portal/live';
      const res = await fetch(`${server.url}${path}`, {
        headers: { cookie, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (res.status !== 200 || !res.body) throw new Error(`SSE of seat ${i} answered ${res.status}`);
      open++;
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const message = buf.slice(0, end);
            buf = buf.slice(end + 2);
            if (!message.startsWith('event: story')) continue;
            const data = JSON.parse(message.slice(message.indexOf('data: ') + 6)) as { storyId?: string; seq?: number };
            const id = data.storyId ?? String(data.seq);
            const list = arrivals.get(id) ?? [];
            list.push(Date.now());
            arrivals.set(id, list);
          }
        }
      } catch {
        // aborted at the end
      }
    });
    const opened = Date.now();
    while (open < cookies.length && Date.now() - opened < 30_000) await new Promise((r) => setTimeout(r, 50));
    const sseLatencies: number[] = [];
    let missed = 0;
    for (let i = 0; i < SSE_PUBLISHES; i++) {
      const draft = await newsroom.createDraft(content(i, `القمة الإقليمية تختتم أعمالها ${i}`), SYSTEM_ACTOR);
      const t0 = Date.now();
      const published = await newsroom.publish(draft.id, SYSTEM_ACTOR);
      const key = SSE_PAGE === 'topic' ? draft.id : String(published.event.seq);
      const deadline = Date.now() + 15_000;
      while ((arrivals.get(key)?.length ?? 0) < open && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const got = arrivals.get(key) ?? [];
      missed += open - got.length;
      for (const at of got) sseLatencies.push(at - t0);
    }
    controller.abort();
    await Promise.allSettled(readers);
    const sse = sseLatencies.sort((a, b) => a - b);

    const machine = `${hostname()}: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
    console.log(`\n## Topic alert e-mails: publish → parsed by the SMTP server\n`);
    console.log(`| follows | archive stories | matching publishes | p50 | p99 | max | goal | mails beyond one per publish |`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
    console.log(
      `| ${SUBSCRIBERS} | ${STORIES} | ${PUBLISHES} | ${pct(sorted, 50)} ms | **${pct(sorted, 99)} ms** | ${sorted.at(-1)} ms | p99 < 5,000 ms | ${extra} |`,
    );
    console.log(`\n## Portal pages: server time (request to response finished, on the server's listener)\n`);
    console.log(`| page (answer) | requests | p50 | p99 | max | goal |`);
    console.log(`| --- | --- | --- | --- | --- | --- |`);
    for (const [kind, times] of [...serverMs.entries()].sort()) {
      const t = times.sort((a, b) => a - b);
      console.log(`| ${kind} | ${t.length} | ${pct(t, 50).toFixed(2)} ms | **${pct(t, 99).toFixed(2)} ms** | ${t.at(-1)!.toFixed(2)} ms | p99 < 50 ms |`);
    }
    console.log(
      `\n## A publish reaching open portal pages (${SSE_PAGE === 'topic' ? 'topic live views' : 'the live wire'}, real SSE connections of signed-in seats)\n`,
    );
    console.log(`| open connections | publishes | deliveries | missed | p50 | p99 | max | goal |`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
    console.log(
      `| ${open} | ${SSE_PUBLISHES} | ${sse.length} | ${missed} | ${pct(sse, 50) ?? '-'} ms | **${pct(sse, 99) ?? '-'} ms** | ${sse.at(-1) ?? '-'} ms | p99 < 1,000 ms |`,
    );
    console.log(`\nmachine: ${machine}\ndate: ${new Date().toISOString()}\ncommand: npm run bench:portal -- ${args.join(' ')}\n`);
  } finally {
    await server.stop();
    await inbox.close();
  }
}

await main();
