// The topic alert engine (src/flow/topic-alerts.ts) over a real SQLite store, a real SMTP server on
// loopback (smtp-server) and nodemailer: alerts arrive, are parsed and name the right story and links;
// digests go out on the hour and the day (a clock the test moves); nothing reaches a subscriber the one
// entitlement rule would not give the story to; a restart and a dead mail server lose and repeat nothing.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Deliveries } from '../../src/flow/deliveries.ts';
import { Hub } from '../../src/flow/hub.ts';
import { Newsroom } from '../../src/flow/newsroom.ts';
import { TopicAlerts, type AlertClock } from '../../src/flow/topic-alerts.ts';
import type { StoryContent } from '../../src/model/story.ts';
import type { NewProduct, Subscriber } from '../../src/model/subscribers.ts';
import type { FollowMode, Mailer, Recipient } from '../../src/model/topics.ts';
import { smtpMailer } from '../../src/server/mailer.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';
import { startInbox, type Inbox } from './mail-inbox.ts';

const PUBLIC = 'https://portal.example.org';
const TOPIC_WORD = 'الزيتون';

/** Real time plus an offset the test moves; timers fire when the moved clock reaches them. */
class MovableClock implements AlertClock {
  offset = 0;
  private timers = new Set<{ at: number; fn: () => void; real: NodeJS.Timeout }>();
  now(): number {
    return Date.now() + this.offset;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const t = { at: this.now() + ms, fn, real: setTimeout(() => fire(), Math.min(Math.max(0, ms), 2 ** 31 - 1)) };
    const fire = () => {
      if (!this.timers.delete(t)) return;
      clearTimeout(t.real);
      fn();
    };
    this.timers.add(t);
    return () => {
      clearTimeout(t.real);
      this.timers.delete(t);
    };
  }
  /** Moves the clock on and fires the timers now due. */
  advance(ms: number): void {
    this.offset += ms;
    for (const t of [...this.timers]) {
      if (t.at <= this.now()) {
        this.timers.delete(t);
        clearTimeout(t.real);
        t.fn();
      }
    }
  }
}

function product(over: Partial<NewProduct> & { name: string }): NewProduct {
  return { languages: [], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0, ...over };
}

interface Fixture {
  file: string;
  store: SqliteStore;
  hub: Hub;
  deliveries: Deliveries;
  newsroom: Newsroom;
  clock: MovableClock;
  seats: Map<string, Recipient>;
  engine: TopicAlerts;
  errors: unknown[];
  subscribers: Record<string, Subscriber>;
  /** Publishes a story; `topic` puts the topic's word in the headline. */
  publish(over?: Partial<StoryContent>, topic?: boolean): Promise<string>;
  follow(seat: string, mode: FollowMode, notify?: boolean): Promise<string>;
  restart(mailer: Mailer | null): Promise<void>;
  close(): Promise<void>;
}

async function fixture(mailer: Mailer | null, file = tempDbFile()): Promise<Fixture> {
  const store = new SqliteStore(file);
  const hub = new Hub(store);
  const deliveries = new Deliveries(store);
  const newsroom = new Newsroom(store, hub);
  const clock = new MovableClock();
  const errors: unknown[] = [];
  await store.subscribers.createProduct(product({ name: 'arabic', languages: ['ar'] }));
  await store.subscribers.createProduct(product({ name: 'sport', categories: ['رياضة'] }));
  await store.subscribers.createProduct(product({ name: 'late', languages: ['ar'], delaySeconds: 600 }));
  await store.subscribers.createProduct(product({ name: 'embargo', languages: ['ar'], embargoRights: true }));
  const subscribers: Record<string, Subscriber> = {
    all: await store.subscribers.createSubscriber({ name: 'Arabic daily', products: ['arabic'] }),
    sport: await store.subscribers.createSubscriber({ name: 'Sport weekly', products: ['sport'] }),
    late: await store.subscribers.createSubscriber({ name: 'Late tier', products: ['late'] }),
    embargo: await store.subscribers.createSubscriber({ name: 'Embargo rights', products: ['embargo'] }),
  };
  const seats = new Map<string, Recipient>();
  for (const [key, s] of Object.entries(subscribers)) {
    seats.set(`seat-${key}`, {
      email: `${key}@subscriber.example`,
      name: `Seat <${key}>`,
      language: key === 'all' ? 'ar' : 'en',
      active: true,
      subscriberId: s.id,
    });
  }
  const topics = new Map<string, string>();
  for (const [key, s] of Object.entries(subscribers)) {
    topics.set(key, (await store.savedSearches.create({ subscriberId: s.id, name: `Olives <${key}>`, query: TOPIC_WORD })).id);
  }
  const make = (m: Mailer | null) =>
    new TopicAlerts(store, hub, deliveries, {
      publicUrl: PUBLIC,
      mailer: m,
      recipients: { recipient: async (id) => seats.get(id) ?? null },
      clock,
      retryBaseMs: 60_000,
      onError: (e) => errors.push(e),
    }).start();
  const f: Fixture = {
    file,
    store,
    hub,
    deliveries,
    newsroom,
    clock,
    seats,
    errors,
    subscribers,
    engine: make(mailer),
    async publish(over = {}, topic = true) {
      const headline = topic ? `مهرجان ${TOPIC_WORD} السنوي في جرش ${Math.random().toString(36).slice(2, 6)}` : 'اجتماع لمجلس البلدية';
      const draft = await newsroom.createDraft(sampleContent({ headline, ...over }), SYSTEM_ACTOR);
      await newsroom.publish(draft.id, SYSTEM_ACTOR);
      return draft.id;
    },
    async follow(seat, mode, notify = true) {
      const key = seat.replace(/^seat-/, '');
      return (await f.engine.follow({ userId: seat, subscriberId: subscribers[key].id, savedSearchId: topics.get(key)!, mode, notify })).id;
    },
    async restart(m) {
      await f.engine.stop();
      f.engine = make(m);
    },
    async close() {
      await f.engine.stop();
      hub.stop();
      await deliveries.close();
      await store.close();
    },
  };
  return f;
}

const links = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);

describe('topic alerts by e-mail', () => {
  let inbox: Inbox;
  let mailer: Mailer;
  before(async () => {
    inbox = await startInbox();
    mailer = smtpMailer(inbox.url, 'Newsflow Alerts <alerts@newsflow.example>');
  });
  after(async () => {
    await mailer.close();
    await inbox.close();
  });

  it('an immediate alert arrives within 5 s of the publish, with the headline, the story link and the unsubscribe link', async () => {
    const f = await fixture(mailer);
    try {
      const seen = inbox.mails.length;
      await f.follow('seat-all', 'immediate');
      await f.publish({}, false); // not on the topic: no mail
      const started = Date.now();
      const id = await f.publish({ headline: `عاجل: مهرجان ${TOPIC_WORD} <script>alert(1)</script>` });
      const mails = await inbox.waitFor(seen + 1, 5000);
      assert.ok(Date.now() - started < 5000);
      await f.engine.wake();
      assert.equal(inbox.mails.length, seen + 1, 'one mail, none for the story off the topic');
      const mail = mails[seen];
      assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.value[0].address : '', 'all@subscriber.example');
      assert.equal(mail.from?.value[0].address, 'alerts@newsflow.example');
      assert.equal(mail.subject, `عاجل: مهرجان ${TOPIC_WORD} <script>alert(1)</script>`);
      const html = String(mail.html);
      assert.doesNotMatch(html, /<script>/, 'the headline is escaped in the HTML');
      assert.match(html, /&lt;script&gt;/);
      assert.match(html, /<html lang="ar" dir="rtl">/, 'an Arabic seat gets a right-to-left mail');
      assert.match(html, /<a href="[^"]+" lang="ar" dir="rtl">/, 'the headline carries its own language and direction');
      assert.ok(links(html).includes(`${PUBLIC}/portal/stories/${id}`));
      assert.ok(links(html).includes(`${PUBLIC}/portal/topics`));
      assert.match(mail.text ?? '', new RegExp(`${PUBLIC}/portal/stories/${id}`));
      assert.match(mail.text ?? '', new RegExp(`${PUBLIC}/portal/topics`));
      const unsubscribe = mail.headerLines.find((h) => h.key === 'list-unsubscribe');
      assert.equal(unsubscribe?.line, `List-Unsubscribe: <${PUBLIC}/portal/topics>`);
      const notes = await f.store.topics.notifications('seat-all');
      assert.deepEqual(
        notes.map((n) => [n.storyId, n.seen]),
        [[id, false]],
      );
      assert.equal(await f.store.topics.markSeen('seat-other', [notes[0].id]), 0, "a seat cannot mark another seat's notification");
      assert.equal(await f.store.topics.markSeen('seat-all', [notes[0].id]), 1);
    } finally {
      await f.close();
    }
  });

  it('a burst of stories goes out as one mail', async () => {
    const f = await fixture(mailer);
    try {
      await f.follow('seat-all', 'immediate');
      await f.engine.stop(); // the burst lands while the engine is not looking
      const ids = [await f.publish(), await f.publish(), await f.publish()];
      const off = await f.publish({}, false); // judged in the same pass, and not on the topic
      const seen = inbox.mails.length;
      await f.restart(mailer);
      const mails = await inbox.waitFor(seen + 1);
      await f.engine.wake();
      assert.equal(inbox.mails.length, seen + 1);
      const html = String(mails[seen].html);
      for (const id of ids) assert.ok(links(html).includes(`${PUBLIC}/portal/stories/${id}`));
      assert.ok(!html.includes(off));
      assert.match(mails[seen].subject ?? '', /3 أخبار جديدة/);
    } finally {
      await f.close();
    }
  });

  it('hourly and daily digests go out at the hour and at the daily hour, with every story since', async () => {
    const f = await fixture(mailer);
    try {
      await f.follow('seat-all', 'hourly');
      await f.follow('seat-embargo', 'daily');
      const seen = inbox.mails.length;
      const a = await f.publish();
      const b = await f.publish();
      const killed = await f.publish();
      await f.engine.wake();
      assert.equal(inbox.mails.length, seen, 'nothing before the hour');
      assert.equal((await f.store.topics.notifications('seat-all')).length, 3, 'the portal is told at once');
      await f.newsroom.kill(killed, 'wrong town', SYSTEM_ACTOR);
      await f.engine.wake();
      const now = f.clock.now();
      const toHour = Math.floor(now / 3_600_000 + 1) * 3_600_000 - now;
      f.clock.advance(toHour + 1);
      const mails = await inbox.waitFor(seen + 1);
      await f.engine.wake();
      const hourly = mails.filter((m) => m.subject?.includes('ملخص الساعة'));
      assert.equal(hourly.length, 1);
      for (const id of [a, b]) assert.ok(links(String(hourly[0].html)).includes(`${PUBLIC}/portal/stories/${id}`));
      assert.ok(!String(hourly[0].html).includes(killed), 'a story withdrawn before the digest is left out');
      assert.match(hourly[0].subject ?? '', /: 2 /);
      // The daily digest waits for 06:00 UTC.
      const day = 86_400_000;
      const t = f.clock.now();
      let six = Math.floor(t / day) * day + 6 * 3_600_000;
      if (six <= t) six += day;
      const dailyBefore = inbox.mails.filter((m) => m.subject?.startsWith('Daily digest')).length;
      assert.equal(dailyBefore, 0);
      f.clock.advance(six - t + 1);
      await inbox.waitFor(seen + 2);
      await f.engine.wake();
      const daily = inbox.mails.filter((m) => m.subject?.startsWith('Daily digest'));
      assert.equal(daily.length, 1);
      assert.equal(daily[0].subject, 'Daily digest: 2 stories on “Olives <embargo>”');
      assert.equal(inbox.mails.length, seen + 2, 'one digest each');
    } finally {
      await f.close();
    }
  });

  it('a subscriber not entitled to a story gets no mail and no notification: product filter, delay tier, embargo', async () => {
    const f = await fixture(mailer);
    try {
      for (const seat of ['seat-all', 'seat-sport', 'seat-late', 'seat-embargo']) await f.follow(seat, 'immediate');
      const to = (who: string) => inbox.mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0].address === `${who}@subscriber.example`);
      const count = () => Object.fromEntries(['all', 'sport', 'late', 'embargo'].map((k) => [k, to(k).length]));
      const before = count();
      // Not in the sport product's categories: sport gets nothing; the late tier waits ten minutes.
      const plain = await f.publish();
      // Under embargo for an hour: only the subscriber with embargo rights hears of it now.
      const embargoed = await f.publish({ embargoUntil: new Date(Date.now() + 3_600_000).toISOString() });
      await inbox.waitFor(inbox.mails.length + 1);
      await f.engine.wake();
      await new Promise((r) => setTimeout(r, 300));
      await f.engine.wake();
      const now = count();
      assert.equal(now.all - before.all, 1, 'the plain story only');
      assert.equal(now.sport - before.sport, 0);
      assert.equal(now.late - before.late, 0, 'the delayed tier is not due yet');
      assert.equal(now.embargo - before.embargo, 2, 'both, the embargoed one flagged');
      assert.match(to('embargo').at(-1)!.text ?? '', /Embargoed until/);
      const storiesOf = async (seat: string) => (await f.store.topics.notifications(seat)).map((n) => n.storyId).sort();
      assert.deepEqual(await storiesOf('seat-all'), [plain]);
      assert.deepEqual(await storiesOf('seat-sport'), []);
      assert.deepEqual(await storiesOf('seat-late'), []);
      assert.deepEqual(await storiesOf('seat-embargo'), [plain, embargoed].sort());
      for (const m of to('all').concat(to('sport'), to('late'))) assert.ok(!String(m.html).includes(embargoed), 'no mail names the embargoed story');

      // Ten minutes on, the late tier's hold ends: it gets the plain story (still not the embargoed one).
      f.clock.advance(601_000);
      await inbox.waitFor(inbox.mails.length + 1).catch(() => {});
      await f.engine.wake();
      assert.equal(count().late - before.late, 1);
      assert.deepEqual(await storiesOf('seat-late'), [plain]);

      // The lift: everyone with the product hears of it now, the embargo seat not twice.
      await f.store.liftEmbargo(embargoed);
      f.hub.advance(await f.store.headSeq());
      await f.engine.wake();
      f.clock.advance(601_000); // the late tier's ten minutes after the lift
      await f.engine.wake();
      const after = count();
      assert.equal(after.all - before.all, 2);
      assert.equal(after.late - before.late, 2);
      assert.equal(after.embargo - before.embargo, 2, 'the lift of a version already alerted is not alerted again');
      assert.equal(after.sport - before.sport, 0);
      assert.deepEqual(await storiesOf('seat-sport'), []);
    } finally {
      await f.close();
    }
  });

  it('a restart resumes from the durable cursor and outbox: nothing lost, nothing twice', async () => {
    const file = tempDbFile();
    const f = await fixture(mailer, file);
    const first = inbox.mails.length;
    const ids: string[] = [];
    try {
      await f.follow('seat-all', 'immediate');
      ids.push(await f.publish());
      await inbox.waitFor(first + 1);
      ids.push(await f.publish());
      await inbox.waitFor(first + 2);
      await f.engine.stop();
      // Published while no engine runs.
      ids.push(await f.publish(), await f.publish());
    } finally {
      await f.close();
    }
    // A new process: the store reopened, a new engine.
    const store = new SqliteStore(file);
    const hub = new Hub(store);
    const deliveries = new Deliveries(store);
    const seat = {
      email: 'all@subscriber.example',
      name: 'Seat',
      language: 'en',
      active: true,
      subscriberId: (await store.savedSearches.get((await store.topics.listFollows('seat-all'))[0].savedSearchId))!.subscriberId,
    };
    const engine = new TopicAlerts(store, hub, deliveries, { publicUrl: PUBLIC, mailer, recipients: { recipient: async () => seat } }).start();
    try {
      await inbox.waitFor(first + 3);
      await engine.wake();
      await engine.wake();
      const mine = inbox.mails.slice(first);
      const named = ids.filter((id) => mine.some((m) => String(m.html).includes(`/portal/stories/${id}`)));
      assert.deepEqual(named, ids, 'every story alerted');
      const times = ids.map((id) => mine.filter((m) => String(m.html).includes(`/portal/stories/${id}`)).length);
      assert.deepEqual(times, [1, 1, 1, 1], 'each once');
      assert.equal(mine.length, 3, 'two alone, then the two published while stopped in one mail');
    } finally {
      await engine.stop();
      hub.stop();
      await deliveries.close();
      await store.close();
    }
  });

  it('the mail server down: the alert stays queued, is retried later, and arrives once', async () => {
    // A port where nothing listens yet.
    const probe = await startInbox();
    const port = probe.port;
    await probe.close();
    const downMailer = smtpMailer(probe.url, 'alerts@newsflow.example');
    const f = await fixture(downMailer);
    try {
      await f.follow('seat-all', 'immediate');
      const id = await f.publish();
      await f.engine.wake();
      await f.engine.wake();
      assert.ok(
        f.errors.some((e) => /not sent \(attempt 1, next in 60 s\)/.test(String((e as Error).message))),
        String(f.errors),
      );
      const pending = await f.store.topics.followsWithDueAlerts(new Date(f.clock.now() + 61_000));
      assert.equal(pending.length, 1, 'still queued');
      const up = await startInbox(port);
      try {
        f.clock.advance(61_000);
        const mails = await up.waitFor(1);
        await f.engine.wake();
        f.clock.advance(3_600_000);
        await f.engine.wake();
        assert.equal(up.mails.length, 1);
        assert.ok(links(String(mails[0].html)).includes(`${PUBLIC}/portal/stories/${id}`));
      } finally {
        await up.close();
      }
    } finally {
      await f.close();
      await downMailer.close();
    }
  });

  it('a removed seat gets nothing, and a seat of another subscriber gets nothing of this one', async () => {
    const f = await fixture(mailer);
    try {
      const theirs = (await f.store.savedSearches.list(f.subscribers.sport.id))[0];
      await assert.rejects(
        f.engine.follow({ userId: 'seat-all', subscriberId: f.subscribers.all.id, savedSearchId: theirs.id, mode: 'immediate', notify: true }),
        (e: Error) => e.name === 'NotFoundError',
        "another subscriber's topic cannot be followed, and is not said to exist",
      );
      await assert.rejects(
        f.engine.follow({
          userId: 'seat-all',
          subscriberId: f.subscribers.all.id,
          savedSearchId: (await f.store.savedSearches.list(f.subscribers.all.id))[0].id,
          mode: 'weekly' as never,
          notify: true,
        }),
        /mode: use one of immediate, hourly, daily/,
      );
      await f.follow('seat-all', 'immediate');
      f.seats.set('seat-all', { ...f.seats.get('seat-all')!, active: false });
      const seen = inbox.mails.length;
      await f.publish();
      await f.engine.wake();
      await f.engine.wake();
      assert.equal(inbox.mails.length, seen);
      f.seats.set('seat-all', { ...f.seats.get('seat-all')!, active: true, subscriberId: f.subscribers.sport.id });
      await f.publish();
      await f.engine.wake();
      assert.equal(inbox.mails.length, seen);
    } finally {
      await f.close();
    }
  });
});

describe('topic alerts without a mailer', () => {
  it('still records notifications, and queues no e-mail', async () => {
    const f = await fixture(null);
    try {
      await f.follow('seat-all', 'immediate');
      await f.follow('seat-embargo', 'immediate', false);
      const id = await f.publish();
      await f.engine.wake();
      assert.deepEqual(
        (await f.store.topics.notifications('seat-all')).map((n) => n.storyId),
        [id],
      );
      assert.deepEqual(await f.store.topics.notifications('seat-embargo'), [], 'notifications off for this follow');
      assert.equal(await f.store.topics.nextAlertDue(), null);
    } finally {
      await f.close();
    }
  });
});
