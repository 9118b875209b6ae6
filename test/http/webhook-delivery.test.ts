// Webhooks against a real HTTP receiver that verifies Standard Webhooks signatures: every event arrives,
// in order, even when the receiver fails half the time; a hanging or redirecting endpoint never blocks
// another subscription; restarts resume from the stored outbox; the SSRF guard refuses private targets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backoffMs } from '../../src/flow/webhooks.ts';
import { checkWebhookUrl, guardedLookup, isPrivateAddress } from '../../src/flow/ssrf.ts';
import { request as httpRequest, createServer } from 'node:http';
import { receiver, type Receiver } from './webhook-receiver.ts';
import { addProduct, addSubscriber, call, publish, sleep, startServer, until, type FlowServer } from './subscriber-helpers.ts';

async function subscribe(s: FlowServer, key: string, rx: Receiver, extra: Record<string, unknown> = {}): Promise<any> {
  const r = await call(s, key, 'POST', '/v1/webhooks', { url: rx.url, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.body.secret, /^whsec_/);
  rx.secret = r.body.secret;
  return r.body;
}

describe('webhooks', () => {
  let s: FlowServer;
  let desk: Awaited<ReturnType<typeof addSubscriber>>;
  const receivers: Receiver[] = [];
  before(async () => {
    s = await startServer({ webhooks: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 500, tickMs: 30 } });
    await addProduct(s, { name: 'Arabic', languages: ['ar'] });
    desk = await addSubscriber(s, 'Hook desk', ['Arabic']);
  });
  after(async () => {
    await s.stop();
    for (const r of receivers) await r.close();
  });

  it('delivers every entitled event in log order to a receiver failing half the time, signed', async () => {
    const flaky = await receiver(() => (Math.random() < 0.5 ? 500 : 200));
    receivers.push(flaky);
    const hook = await subscribe(s, desk.key, flaky);
    const want: number[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await publish(s, { language: i % 4 === 3 ? 'tr' : 'ar', headline: `خبر ${i}` });
      if (i % 4 !== 3) want.push(p.seq);
    }
    await until('every event to be accepted', () => flaky.accepted.length >= want.length, 30_000);
    await sleep(100);
    assert.deepEqual(flaky.accepted, want, 'each event once, in log order (retries are not accepted twice)');
    assert.equal(new Set(flaky.acceptedIds).size, flaky.acceptedIds.length);
    const d = await call(s, desk.key, 'GET', `/v1/webhooks/${hook.id}/deliveries?limit=1000`);
    assert.equal(d.status, 200);
    const attempts = d.body.attempts as any[];
    assert.ok(attempts.some((a) => a.statusCode === 500 && !a.ok));
    assert.ok(attempts.every((a) => typeof a.latencyMs === 'number'));
    assert.equal(attempts.filter((a) => a.ok).length, want.length);
  });

  it('a hanging endpoint and a redirecting one never block another subscription', async () => {
    const hanging = await receiver(() => 'hang');
    const redirecting = await receiver(() => 'redirect');
    const healthy = await receiver(() => 204);
    receivers.push(hanging, redirecting, healthy);
    const other = await addSubscriber(s, 'Second desk', ['Arabic']);
    const hHang = await subscribe(s, desk.key, hanging);
    const hRedirect = await subscribe(s, other.key, redirecting);
    await subscribe(s, other.key, healthy);
    const want: number[] = [];
    for (let i = 0; i < 5; i++) want.push((await publish(s, { headline: `عاجل ${i}` })).seq);
    await until('the healthy receiver to get everything', () => healthy.accepted.length === want.length, 15_000);
    assert.deepEqual(healthy.accepted, want);
    await until('the redirect to be recorded as a failure', async () => {
      const d = await call(s, other.key, 'GET', `/v1/webhooks/${hRedirect.id}/deliveries`);
      return d.body.attempts.some((a: any) => a.statusCode === 302 && /redirect/.test(a.error));
    });
    await until('the hang to time out and be retried', async () => {
      const d = await call(s, desk.key, 'GET', `/v1/webhooks/${hHang.id}/deliveries`);
      return d.body.attempts.length >= 2 && d.body.attempts.every((a: any) => !a.ok && /no answer/.test(a.error));
    });
    assert.equal(redirecting.accepted.length, 0);
    // Subscriptions are private to their subscriber.
    assert.equal((await call(s, other.key, 'GET', `/v1/webhooks/${hHang.id}/deliveries`)).status, 404);
    for (const h of [hHang, hRedirect]) assert.equal((await call(s, s.adminKey, 'DELETE', `/v1/webhooks/${h.id}`)).status, 204);
  });

  it('an answer that stalls mid-body times out and is retried, never taken for a delivery', async () => {
    const rx = await receiver((n) => (n < 2 ? 'stall' : 200));
    receivers.push(rx);
    const hook = await subscribe(s, desk.key, rx);
    const seq = (await publish(s, { headline: 'جواب مبتور' })).seq;
    await until('delivery after two stalled answers', () => rx.accepted.length === 1, 15_000);
    assert.deepEqual(rx.accepted, [seq]);
    // The receiver has the message before the worker has read its answer and recorded the attempt.
    const attemptsOf = async () => (await call(s, desk.key, 'GET', `/v1/webhooks/${hook.id}/deliveries`)).body.attempts;
    await until('the successful attempt recorded', async () => (await attemptsOf()).some((a: any) => a.ok));
    const attempts = await attemptsOf();
    assert.deepEqual(
      attempts.map((a: any) => a.ok),
      [true, false, false],
      'newest first',
    );
    assert.ok(
      attempts.slice(1).every((a: any) => /no answer|cut short/.test(a.error)),
      JSON.stringify(attempts.map((a: any) => a.error)),
    );
    await call(s, desk.key, 'DELETE', `/v1/webhooks/${hook.id}`);
  });

  it('marks a subscription failed after the retry window, and redeliver brings it back', async () => {
    let up = false;
    const rx = await receiver(() => (up ? 200 : 503));
    receivers.push(rx);
    // Its own store, so the receiver sees only this worker's deliveries (workers on one store share it by lease).
    const short = await startServer({ webhooks: { baseDelayMs: 20, maxDelayMs: 50, retryWindowMs: 300, tickMs: 20 } });
    try {
      await addProduct(short, { name: 'Arabic', languages: ['ar'] });
      const desk = await addSubscriber(short, 'Short desk', ['Arabic']);
      const hook = await subscribe(short, desk.key, rx);
      const p = await publish(short, { headline: 'يفشل' });
      await until('the subscription to be marked failed', async () => (await call(short, desk.key, 'GET', `/v1/webhooks/${hook.id}`)).body.status === 'failed');
      up = true;
      await sleep(150);
      assert.deepEqual(rx.accepted, [], 'a failed subscription is not retried on its own');
      const r = await call(short, desk.key, 'POST', `/v1/webhooks/${hook.id}/redeliver`, {});
      assert.equal(r.status, 202);
      await until('redelivery', () => rx.accepted.length === 1);
      assert.deepEqual(rx.accepted, [p.seq]);
      await call(short, desk.key, 'DELETE', `/v1/webhooks/${hook.id}`);
    } finally {
      await short.stop();
    }
  });

  it('resumes from the stored outbox after a restart', async () => {
    const rx = await receiver(() => 200);
    receivers.push(rx);
    const hook = await subscribe(s, desk.key, rx);
    await s.stop();
    // Published while no worker runs: only the outbox cursor remembers where the subscription was.
    const offline = await startServer({ file: s.file, adminKey: s.adminKey, editorKey: s.editorKey, webhooks: false });
    const want = [(await publish(offline, { headline: 'أثناء التوقف ١' })).seq, (await publish(offline, { headline: 'أثناء التوقف ٢' })).seq];
    await offline.stop();
    s = await startServer({ file: s.file, adminKey: s.adminKey, editorKey: s.editorKey, webhooks: { baseDelayMs: 20, tickMs: 30 } });
    await until('delivery after restart', () => rx.accepted.length === 2);
    assert.deepEqual(rx.accepted, want);
    await call(s, desk.key, 'DELETE', `/v1/webhooks/${hook.id}`);
    assert.equal((await call(s, desk.key, 'GET', `/v1/webhooks/${hook.id}`)).status, 404);
  });

  it('refuses loopback and private targets unless allowed (SSRF guard)', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.9', '172.20.0.1', '169.254.169.254', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0']) {
      assert.ok(isPrivateAddress(ip), ip);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700::1111']) assert.ok(!isPrivateAddress(ip), ip);
    await assert.rejects(checkWebhookUrl('http://127.0.0.1:8080/x', false), /SSRF/);
    await assert.rejects(checkWebhookUrl('http://[::1]/x', false), /SSRF/);
    await assert.rejects(checkWebhookUrl('http://localhost/x', false), /SSRF/);
    await assert.rejects(checkWebhookUrl('ftp://example.com/x', false), /http or https/);
    await checkWebhookUrl('http://127.0.0.1/x', true);
    // A server configured as in production (NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS unset) refuses the URL.
    const guarded = await startServer({
      file: s.file,
      adminKey: s.adminKey,
      editorKey: s.editorKey,
      webhooks: false,
      env: { NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '0' },
    });
    try {
      const r = await call(guarded, desk.key, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook' });
      assert.equal(r.status, 400);
      assert.match(r.body.message, /SSRF/);
    } finally {
      await guarded.stop();
    }
  });

  it("checks the address the post connects to, in the connection's own lookup (no DNS rebinding window)", async () => {
    let hits = 0;
    const target = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as { port: number }).port;
    const post = (allowPrivate: boolean) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`http://localhost:${port}/hook`, { method: 'POST', lookup: guardedLookup(allowPrivate), agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end('{}');
      });
    try {
      await assert.rejects(post(false), (e: NodeJS.ErrnoException) => e.code === 'ESSRF' && /127\.0\.0\.1|::1/.test(e.message));
      assert.equal(hits, 0, 'refused before any connection was made');
      assert.equal(await post(true), 200, 'allowed with NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS=1');
      assert.equal(hits, 1);
    } finally {
      target.close();
    }
  });

  it('backs off exponentially with jitter: first retry within 2 s, capped at an hour', () => {
    const base = 1000;
    const cap = 3_600_000;
    assert.ok(backoffMs(1, base, cap) <= 2000);
    assert.equal(
      backoffMs(3, base, cap, () => 1),
      4000,
    );
    assert.equal(
      backoffMs(3, base, cap, () => 0),
      2000,
    );
    assert.equal(
      backoffMs(30, base, cap, () => 1),
      cap,
    );
  });
});
