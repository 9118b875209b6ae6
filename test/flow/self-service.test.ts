// Self-service of a subscriber's seats (src/flow/self-service.ts, src/flow/seat-topics.ts) on a real
// server over a real SQLite file: keys read the feed over real HTTP and stop at once when revoked;
// webhooks reach a real local receiver (signed), a test event and every attempt are recorded with status
// and latency, pause holds deliveries and resume releases them, redeliver sends again; the SSRF guard
// answers on the url field; a seat of B reaches nothing of A's (not found); every act is in the audit
// trail with the seat as actor; usage is a complete CSV; topics refuse a bad query on the field and
// show only entitled stories.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as Verifier } from 'standardwebhooks';
import { SelfService, usageCsv, type Seat } from '../../src/flow/self-service.ts';
import { SeatTopics } from '../../src/flow/seat-topics.ts';
import { NotFoundError } from '../../src/model/errors.ts';
import { ValidationError } from '../../src/model/validate.ts';
import { addProduct, addSubscriber, call, publish, sleep, startServer, until, type FlowServer } from '../http/subscriber-helpers.ts';

let s: FlowServer;
let service: SelfService;
let topics: SeatTopics;
let seatA: Seat;
let seatB: Seat;

/** A receiver that verifies each signature with the secret it is given and records the payloads. */
interface Hooked {
  url: string;
  secret: string;
  got: { type: string; seq: number | null; id: string }[];
  close(): Promise<void>;
}
async function hookReceiver(status = 200): Promise<Hooked> {
  const r: Hooked = { url: '', secret: '', got: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const p = new Verifier(r.secret).verify(body, req.headers as Record<string, string>) as { type: string; data: { event?: { seq: number } } };
      r.got.push({ type: p.type, seq: p.data.event?.seq ?? null, id: String(req.headers['webhook-id']) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () => new Promise<void>((ok) => server.close(() => ok()));
  return r;
}

const rejectsWith = async (p: Promise<unknown>, cls: typeof NotFoundError | typeof ValidationError, field?: string) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).name}: ${(e as Error).message}`);
    if (field) assert.equal((e as ValidationError).errors[0].field, field);
    return true;
  });
};

before(async () => {
  s = await startServer();
  await addProduct(s, { name: 'arabic', languages: ['ar'] });
  await addProduct(s, { name: 'english', languages: ['en'] });
  const a = await addSubscriber(s, 'Paper A', ['arabic']);
  const b = await addSubscriber(s, 'Paper B', ['english']);
  const userA = await s.rt.store.users.create({
    email: 'dev@a.test',
    name: 'Dev A',
    role: 'seat',
    subscriberId: a.subscriber.id,
    passwordHash: 'x',
    mustChangePassword: false,
  });
  const userB = await s.rt.store.users.create({
    email: 'dev@b.test',
    name: 'Dev B',
    role: 'seat',
    subscriberId: b.subscriber.id,
    passwordHash: 'x',
    mustChangePassword: false,
  });
  seatA = { id: userA.id, name: userA.name, subscriberId: a.subscriber.id };
  seatB = { id: userB.id, name: userB.name, subscriberId: b.subscriber.id };
  service = new SelfService(s.rt, { allowPrivateWebhooks: true, testTimeoutMs: 2000 });
  topics = new SeatTopics(s.rt);
});
after(async () => {
  await s?.stop();
});

test('a key made by a seat reads the feed over HTTP, shows when it was used, and stops at once when revoked', async () => {
  await rejectsWith(service.createKey(seatA, '   '), ValidationError, '/name');
  const { secret, key } = await service.createKey(seatA, 'CMS import');
  assert.match(secret, /^nf_sub_/);
  assert.equal(key.label, 'CMS import');
  assert.equal(key.subscriberId, seatA.subscriberId);
  assert.ok(!JSON.stringify(await service.keys(seatA)).includes(secret), 'the secret is never listed');
  const feed = await call(s, secret, 'GET', '/v1/feed?since=2020-01-01T00:00:00Z');
  assert.equal(feed.status, 200);
  const listed = (await service.keys(seatA)).find((k) => k.id === key.id)!;
  assert.ok(listed.lastUsedAt, 'last used is recorded');
  // B sees none of A's keys and cannot revoke them: not found, as if they did not exist.
  assert.ok(!(await service.keys(seatB)).some((k) => k.id === key.id));
  await rejectsWith(service.revokeKey(seatB, key.id), NotFoundError);
  assert.equal((await call(s, secret, 'GET', '/v1/feed?since=2020-01-01T00:00:00Z')).status, 200);
  await service.revokeKey(seatA, key.id);
  assert.equal((await call(s, secret, 'GET', '/v1/feed?since=2020-01-01T00:00:00Z')).status, 401);
  const audit = await s.rt.store.audit.list({ targetId: key.id });
  assert.deepEqual(audit.map((e) => [e.action, e.actor.type, e.actor.id]).sort(), [
    ['key.create', 'user', seatA.id],
    ['key.revoke', 'user', seatA.id],
  ]);
});

test('the SSRF guard refuses a private webhook address on the url field', async () => {
  const guarded = new SelfService(s.rt, { allowPrivateWebhooks: false });
  await rejectsWith(guarded.createWebhook(seatA, { url: 'http://127.0.0.1:9/hook' }), ValidationError, '/url');
  await rejectsWith(guarded.createWebhook(seatA, { url: 'http://169.254.169.254/latest/meta-data' }), ValidationError, '/url');
  await rejectsWith(guarded.createWebhook(seatA, { url: 'ftp://example.org/x' }), ValidationError, '/url');
  assert.equal((await service.webhooks(seatA)).length, 0, 'nothing stored');
});

test('a webhook: test event, attempts with status and latency, pause holds, resume releases, redeliver sends again; B reaches none of it', async () => {
  const rx = await hookReceiver();
  try {
    const { webhook, secret } = await service.createWebhook(seatA, { url: rx.url });
    rx.secret = secret;
    const test = await service.sendTest(seatA, webhook.id);
    assert.equal(test.ok, true);
    assert.equal(test.statusCode, 200);
    assert.equal(rx.got[0].type, 'webhook.test');

    const first = await publish(s, { headline: 'خبر أول للخطاف' });
    await until('the delivery', () => rx.got.some((g) => g.seq === first.seq));
    await until('its attempt', async () => (await service.attempts(seatA, webhook.id)).some((a) => a.seq === first.seq));
    const attempts = await service.attempts(seatA, webhook.id);
    const delivered = attempts.find((a) => a.seq === first.seq)!;
    assert.equal(delivered.statusCode, 200);
    assert.ok(delivered.latencyMs >= 0 && delivered.latencyMs < 5000);
    assert.ok(
      attempts.some((a) => a.seq === 0 && a.messageId.startsWith('msg_test_')),
      'the test event is among the attempts',
    );

    // B: not found, for every act.
    await rejectsWith(service.webhook(seatB, webhook.id), NotFoundError);
    await rejectsWith(service.attempts(seatB, webhook.id), NotFoundError);
    await rejectsWith(service.sendTest(seatB, webhook.id), NotFoundError);
    await rejectsWith(service.setPaused(seatB, webhook.id, true), NotFoundError);
    await rejectsWith(service.redeliver(seatB, webhook.id), NotFoundError);
    await rejectsWith(service.deleteWebhook(seatB, webhook.id), NotFoundError);
    assert.equal((await service.webhooks(seatB)).length, 0);

    const paused = await service.setPaused(seatA, webhook.id, true);
    assert.ok(paused.pausedAt);
    const held = await publish(s, { headline: 'خبر أثناء التوقف' });
    await sleep(800);
    assert.ok(!rx.got.some((g) => g.seq === held.seq), 'nothing is delivered while paused');
    const resumed = await service.setPaused(seatA, webhook.id, false);
    assert.equal(resumed.pausedAt, null);
    await until('the held story after resume', () => rx.got.some((g) => g.seq === held.seq));

    await rejectsWith(service.redeliver(seatA, webhook.id, 10_000_000), ValidationError, '/from');
    const before = rx.got.filter((g) => g.seq === first.seq).length;
    await service.redeliver(seatA, webhook.id, first.seq);
    await until('the redelivery', () => rx.got.filter((g) => g.seq === first.seq).length > before);

    const actions = (await s.rt.store.audit.list({ targetId: webhook.id })).map((e) => `${e.action}:${e.actor.id === seatA.id}`);
    for (const a of ['webhook.create', 'webhook.pause', 'webhook.resume', 'webhook.redeliver']) assert.ok(actions.includes(`${a}:true`), a);
    await service.deleteWebhook(seatA, webhook.id);
    assert.equal((await service.webhooks(seatA)).length, 0);
  } finally {
    await rx.close();
  }
});

test('the default delivery format is the seat subscriber’s, checked', async () => {
  await rejectsWith(service.setDefaultFormat(seatA, 'pdf'), ValidationError, '/format');
  await service.setDefaultFormat(seatA, 'newsml');
  assert.equal(await service.defaultFormat(seatA), 'newsml');
  assert.equal((await s.rt.store.subscribers.getSubscriber(seatA.subscriberId))!.defaultFormat, 'newsml');
  assert.notEqual(await service.defaultFormat(seatB), 'newsml');
});

test('usage: every day of the range, each channel, as CSV', async () => {
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  s.rt.deliveries.count(seatA.subscriberId, 'feed', 3, day('2026-03-02'));
  s.rt.deliveries.count(seatA.subscriberId, 'ws', 2, day('2026-03-02'));
  s.rt.deliveries.count(seatA.subscriberId, 'stream', 1, day('2026-03-02'));
  s.rt.deliveries.count(seatA.subscriberId, 'download', 4, day('2026-03-03'));
  s.rt.deliveries.count(seatA.subscriberId, 'portal', 5, day('2026-03-03'));
  s.rt.deliveries.count(seatB.subscriberId, 'feed', 99, day('2026-03-02'));
  const days = await service.usage(seatA, { from: '2026-03-01', to: '2026-03-03' });
  assert.equal(
    usageCsv(days),
    'day,portal,feed,stream,webhooks,downloads,total\r\n2026-03-01,0,0,0,0,0,0\r\n2026-03-02,0,3,3,0,0,6\r\n2026-03-03,5,0,0,0,4,9\r\n',
  );
  await rejectsWith(service.usage(seatA, { from: '2026-13-01' }), ValidationError, '/from');
  await rejectsWith(service.usage(seatA, { from: '2026-03-04', to: '2026-03-01' }), ValidationError, '/from');
  assert.equal(usageCsv(await service.usage(seatA)).split('\r\n').length, 32, 'thirty days by default, and the header');
});

test('topics: a bad query is refused on its field; the live view shows only entitled stories; B cannot reach A’s topic', async () => {
  await rejectsWith(topics.create(seatA, { name: 'broken', query: '(water', mode: 'immediate', notify: true }), ValidationError, '/query');
  await rejectsWith(topics.create(seatA, { name: 'x', query: 'water', mode: 'weekly', notify: true }), ValidationError, '/mode');
  const { topic, follow } = await topics.create(seatA, { name: 'Dams', query: 'السدود OR dams', mode: 'hourly', notify: true });
  assert.equal(follow?.mode, 'hourly');
  await rejectsWith(topics.create(seatA, { name: 'Dams', query: 'dams', mode: 'daily', notify: false }), ValidationError, '/name');
  await publish(s, { language: 'ar', headline: 'افتتاح أحد السدود الكبرى', categories: ['الدول العربية'] });
  await publish(s, {
    language: 'en',
    headline: 'Dams opened in the north',
    deck: 'dams',
    body: [{ type: 'paragraph', text: 'New dams opened.' }],
    categories: ['World'],
  });
  const shown = await topics.stories(seatA, topic.id);
  assert.equal(shown.length, 1, 'A (Arabic product) sees only the Arabic story');
  assert.equal(shown[0].language, 'ar');
  await rejectsWith(topics.topic(seatB, topic.id), NotFoundError);
  await rejectsWith(topics.stories(seatB, topic.id), NotFoundError);
  await rejectsWith(topics.follow(seatB, topic.id, { mode: 'immediate', notify: true }), NotFoundError);
  await rejectsWith(topics.unfollow(seatB, topic.id), NotFoundError);
  await topics.unfollow(seatA, topic.id);
  assert.equal((await topics.topic(seatA, topic.id)).follow, null);
});
