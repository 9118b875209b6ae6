// Two server processes on one SQLite file: each webhook subscription is delivered by whichever worker
// holds its lease, so a real receiver verifying Standard Webhooks signatures gets every message exactly
// once and in log order while both workers run; when one worker stops mid-flow (or dies holding a lease
// that then expires) the other carries on from the stored cursor.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebhookWorker, type WebhookWorkerOptions } from '../../src/flow/webhooks.ts';
import { receiver, type Receiver } from './webhook-receiver.ts';
import { addProduct, addSubscriber, call, publish, sleep, startServer, until, type FlowServer } from './subscriber-helpers.ts';

async function subscribe(s: FlowServer, key: string, rx: Receiver): Promise<any> {
  const r = await call(s, key, 'POST', '/v1/webhooks', { url: rx.url });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  rx.secret = r.body.secret;
  return r.body;
}

// The receivers listen on loopback, which the SSRF guard refuses unless private targets are allowed.
const OPTS: WebhookWorkerOptions = { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 2000, tickMs: 20, allowPrivate: true };

/** Who holds the lease of a subscription, read straight from the shared file. */
function leaseOf(s: FlowServer, id: string): { owner: string | null; until: string | null } {
  const row = (s.rt.store as any).db.prepare('SELECT lease_owner, lease_until FROM webhooks WHERE id = ?').get(id);
  return { owner: row.lease_owner, until: row.lease_until };
}

describe('webhook leases: two workers on one store', () => {
  let a: FlowServer;
  let b: FlowServer;
  let desk: Awaited<ReturnType<typeof addSubscriber>>;
  const receivers: Receiver[] = [];
  const workers: WebhookWorker[] = [];
  const worker = (s: FlowServer, opts: WebhookWorkerOptions = {}) => {
    const w = new WebhookWorker(s.rt.store, s.rt.hub, s.rt.deliveries, { ...OPTS, ...opts }).start();
    workers.push(w);
    return w;
  };

  before(async () => {
    a = await startServer({ webhooks: false });
    b = await startServer({ file: a.file, adminKey: a.adminKey, editorKey: a.editorKey, webhooks: false });
    await addProduct(a, { name: 'Arabic', languages: ['ar'] });
    desk = await addSubscriber(a, 'Lease desk', ['Arabic']);
  });
  after(async () => {
    for (const w of workers) await w.stop();
    await a.stop();
    await b.stop();
    for (const r of receivers) await r.close();
  });

  it('with both workers running, every message reaches each receiver exactly once, in order', async () => {
    const rxs = await Promise.all([receiver(() => 200, 5), receiver(() => 200, 5), receiver(() => 200, 5)]);
    receivers.push(...rxs);
    const hooks: any[] = [];
    for (const rx of rxs) hooks.push(await subscribe(a, desk.key, rx));
    const wa = worker(a);
    const wb = worker(b);
    assert.notEqual(wa.owner, wb.owner);
    const want: number[] = [];
    for (let i = 0; i < 15; i++) {
      // Published through both processes, so both hubs wake both workers.
      want.push((await publish(i % 2 ? b : a, { headline: `خبر ${i}` })).seq);
    }
    await until('every receiver to get every message', () => rxs.every((r) => r.seqs.length >= want.length), 20_000);
    await sleep(300); // any duplicate would arrive meanwhile
    for (const [i, rx] of rxs.entries()) {
      assert.deepEqual(rx.seqs, want, 'each message once, in log order');
      assert.deepEqual(
        rx.ids,
        want.map((seq) => `msg_${hooks[i].id}_${seq}`),
      );
      const d = await call(a, desk.key, 'GET', `/v1/webhooks/${hooks[i].id}/deliveries?limit=1000`);
      assert.equal(d.body.attempts.length, want.length, 'no second attempt of any message');
    }
    await wa.stop();
    await wb.stop();
    for (const h of hooks) {
      assert.equal(leaseOf(a, h.id).owner, null, 'leases are released when done');
      await call(a, desk.key, 'DELETE', `/v1/webhooks/${h.id}`);
    }
  });

  it('when the worker delivering stops mid-flow, the other carries on from the stored cursor', async () => {
    const rx = await receiver(() => 200, 40); // slow, so the flow is still going when A stops
    receivers.push(rx);
    const hook = await subscribe(a, desk.key, rx);
    const wa = worker(a);
    const want: number[] = [];
    for (let i = 0; i < 12; i++) want.push((await publish(a, { headline: `عاجل ${i}` })).seq);
    await until('A to have delivered a few', () => rx.seqs.length >= 3);
    assert.equal(leaseOf(a, hook.id).owner, wa.owner, 'A holds the lease while it delivers');
    const wb = worker(b);
    await sleep(100);
    assert.equal(leaseOf(b, hook.id).owner, wa.owner, 'B does not take a lease A holds');
    await wa.stop();
    const byA = rx.seqs.length;
    assert.ok(byA < want.length, `A was stopped mid-flow (it delivered ${byA} of ${want.length})`);
    await until('B to deliver the rest', () => rx.seqs.length >= want.length, 15_000);
    await sleep(200);
    // stop() aborts A's post in flight without waiting for the answer, so that one message may arrive a
    // second time from B, under the same webhook-id (at-least-once, as Standard Webhooks receivers expect).
    const unique = rx.seqs.filter((seq, i) => rx.seqs.indexOf(seq) === i);
    assert.deepEqual(unique, want, 'every message, in order, across the handover');
    assert.ok(rx.seqs.length - unique.length <= 1, `at most the aborted message twice: ${rx.seqs.join(',')}`);
    for (let i = 1; i < rx.seqs.length; i++) {
      assert.ok(rx.seqs[i] > rx.seqs[i - 1] || rx.seqs[i] === rx.seqs[i - 1], 'never out of order: a repeat only right after itself');
    }
    assert.equal(new Set(rx.ids).size, unique.length);
    const d = await call(b, desk.key, 'GET', `/v1/webhooks/${hook.id}/deliveries?limit=1000`);
    assert.equal(d.body.attempts.filter((x: any) => x.ok).length, want.length);
    await wb.stop();
    await call(a, desk.key, 'DELETE', `/v1/webhooks/${hook.id}`);
  });

  it('a lease left by a dead worker blocks delivery only until it expires', async () => {
    const rx = await receiver(() => 200, 0);
    receivers.push(rx);
    const hook = await subscribe(a, desk.key, rx);
    // A worker that claimed the subscription and died without releasing it.
    const expires = Date.now() + 700;
    assert.ok(await a.rt.store.subscribers.claimWebhook(hook.id, 'dead-worker', new Date(expires)));
    assert.equal(await b.rt.store.subscribers.claimWebhook(hook.id, 'another', new Date(Date.now() + 1000)), null, 'a live lease is not taken');
    const want = [(await publish(a, { headline: 'بعد الانهيار ١' })).seq, (await publish(a, { headline: 'بعد الانهيار ٢' })).seq];
    const wb = worker(b);
    await sleep(300);
    assert.deepEqual(rx.seqs, [], "nothing delivered while the dead worker's lease is live");
    await until('B to take over after expiry', () => rx.seqs.length === want.length, 10_000);
    assert.ok(Date.now() >= expires);
    assert.deepEqual(rx.seqs, want);
    // A worker that lost its lease cannot renew it.
    assert.equal(await a.rt.store.subscribers.renewWebhook(hook.id, 'dead-worker', new Date(Date.now() + 1000)), false);
    await wb.stop();
    await call(a, desk.key, 'DELETE', `/v1/webhooks/${hook.id}`);
  });
});
