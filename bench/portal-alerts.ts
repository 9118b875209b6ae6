// Topic alert e-mails, publish to inbox (not in CI): part of `npm run bench:portal`.
//
//   npm run bench:portal [-- --subscribers 1000 --publishes 100 --stories 50000]
//
// The real server (src/server startServer: the composition root, the alert engine, nodemailer) with
// NEWSFLOW_SMTP_URL pointing at a real SMTP server (`smtp-server`, mails parsed by mailparser) on
// loopback. `--subscribers` subscribers each have one seat following one topic (a saved search); one
// topic matches the stories published, the others do not (so every publish is judged for every follow).
// `--stories` already-published stories are imported first (the archive the log sits on). Then
// `--publishes` matching stories are published one at a time through the newsroom; each is timed from
// the publish call to the moment the SMTP server has accepted and parsed the alert mail.
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

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SUBSCRIBERS = opt('subscribers', 1000);
const PUBLISHES = opt('publishes', 100);
const STORIES = opt('stories', 50_000);

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
  try {
    if (STORIES > 0) {
      const t = performance.now();
      for (let i = 0; i < STORIES; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, STORIES - i) }, (_, j) => ({
          content: content(i + j, `خبر أرشيفي رقم ${i + j}`),
          publishedAt: new Date(Date.now() - (STORIES - i - j) * 60_000).toISOString(),
        }));
        await store.importPublished(batch, { deferIndex: true });
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
    const machine = `${hostname()}: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
    console.log(`\n## Topic alert e-mails: publish → parsed by the SMTP server\n`);
    console.log(`| follows | archive stories | matching publishes | p50 | p99 | max | goal | mails beyond one per publish |`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
    console.log(
      `| ${SUBSCRIBERS} | ${STORIES} | ${PUBLISHES} | ${pct(sorted, 50)} ms | **${pct(sorted, 99)} ms** | ${sorted.at(-1)} ms | p99 < 5,000 ms | ${extra} |`,
    );
    console.log(`\nmachine: ${machine}\ndate: ${new Date().toISOString()}\ncommand: npm run bench:portal -- ${args.join(' ')}\n`);
  } finally {
    await server.stop();
    await inbox.close();
  }
}

await main();
