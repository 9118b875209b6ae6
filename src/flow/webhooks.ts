// The webhook worker: each subscription is an outbox cursor in the store. The worker takes the next
// entitled event after the cursor, signs it (Standard Webhooks), posts it, and moves the cursor only on a
// 2xx; otherwise it stores when to try again. Order per subscription is the log order; a restart resumes
// from the stored cursor; one slow endpoint holds only its own subscription.
// Several server processes may share one SQLite store: each worker has a random owner id and delivers a
// subscription only while it holds that subscription's lease (claimed atomically, renewed before every
// message, released when done or stopped). A worker that dies keeps the lease only until it expires; then
// another worker takes over from the stored cursor.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook as Signer } from 'standardwebhooks';
import type { FlowItem } from '../model/story.ts';
import type { Store } from '../model/store.ts';
import type { WebhookWithSecret } from '../model/subscribers.ts';
import { scanEntitled, type Deliveries } from './deliveries.ts';
import type { Hub } from './hub.ts';
import { renderForSubscriber } from './render.ts';
import { alertFor } from './alerts.ts';
import { checkWebhookUrl, guardedLookup } from './ssrf.ts';

export interface WebhookWorkerOptions {
  /** Delay before the first retry; each later one doubles it (with jitter). */
  baseDelayMs?: number;
  /** Longest wait between two retries. */
  maxDelayMs?: number;
  /** How long a message is retried before the subscription is marked failed. */
  retryWindowMs?: number;
  /** How long one POST may take, answer included. */
  timeoutMs?: number;
  /** How often due retries are looked for. */
  tickMs?: number;
  allowPrivate?: boolean;
  /** How long a claimed subscription stays leased without renewal (at least three post timeouts). */
  leaseMs?: number;
  /** This worker's lease owner id (random unless given). */
  owner?: string;
}

/** A new signing secret in the Standard Webhooks form (`whsec_` + base64 of 24 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The wait before retry number `attempt` (1, 2, …): doubling from the base up to the cap, with jitter. */
export function backoffMs(attempt: number, base: number, cap: number, random = Math.random): number {
  const raw = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  // Between half and all of the step, so many endpoints failing together do not retry in lock-step.
  return Math.round(raw / 2 + (raw / 2) * random());
}

/** The body of a delivery: the Standard Webhooks envelope around the rendered item. */
export function webhookPayload(item: FlowItem, subscriber: Parameters<typeof renderForSubscriber>[1], at: Date): string {
  return JSON.stringify({ type: `story.${item.event.kind}`, timestamp: at.toISOString(), data: renderForSubscriber(item, subscriber) });
}

export interface PostResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export class WebhookWorker {
  private readonly opts: Required<WebhookWorkerOptions>;
  private inFlight = new Map<string, Promise<void>>();
  private controllers = new Set<AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private ticking = false;
  /** The lease owner id of this worker. */
  readonly owner: string;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly deliveries: Deliveries,
    opts: WebhookWorkerOptions = {},
  ) {
    this.opts = {
      baseDelayMs: opts.baseDelayMs ?? 1000,
      maxDelayMs: opts.maxDelayMs ?? 3_600_000,
      retryWindowMs: opts.retryWindowMs ?? 25 * 3_600_000,
      timeoutMs: opts.timeoutMs ?? 10_000,
      tickMs: opts.tickMs ?? 250,
      allowPrivate: opts.allowPrivate ?? false,
      leaseMs: 0,
      owner: opts.owner ?? `worker_${randomBytes(9).toString('base64url')}`,
    };
    // A post must never outlive the lease, or another worker could take over while it is in flight.
    this.opts.leaseMs = Math.max(opts.leaseMs ?? 30_000, this.opts.timeoutMs * 3);
    this.owner = this.opts.owner;
  }

  private leaseUntil(): Date {
    return new Date(Date.now() + this.opts.leaseMs);
  }

  start(): this {
    this.unsubscribe = this.hub.subscribe(() => void this.tick());
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs);
    this.timer.unref();
    void this.tick();
    return this;
  }

  /**
   * Stops taking work; posts in flight get `graceMs` to finish (and be recorded), then the rest are
   * aborted (they are retried after a restart). Resolves when none is left.
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    if (graceMs > 0 && this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight.values()]),
        new Promise((r) => {
          timer = setTimeout(r, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    for (const c of this.controllers) c.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Starts every due subscription that is not already being delivered. */
  async tick(): Promise<void> {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      const head = Math.max(this.hub.lastHead, await this.store.headSeq());
      for (const due of await this.store.subscribers.dueWebhooks(new Date(), this.owner)) {
        if (this.stopped) break;
        if (this.inFlight.has(due.id) || (due.cursor >= head && due.attempt === 0)) continue;
        // Claimed atomically: if another worker holds a live lease, it delivers this one.
        const hook = await this.store.subscribers.claimWebhook(due.id, this.owner, this.leaseUntil());
        if (!hook) continue;
        const run = this.deliver(hook)
          .catch(() => {})
          .finally(() => this.store.subscribers.releaseWebhook(hook.id, this.owner).catch(() => {}))
          .finally(() => this.inFlight.delete(hook.id));
        this.inFlight.set(hook.id, run);
      }
    } catch {
      // The store is busy or closing; the next tick tries again.
    } finally {
      this.ticking = false;
    }
  }

  /** Delivers the subscription's events one by one until it is caught up, fails, or must wait. */
  private async deliver(hook: WebhookWithSecret): Promise<void> {
    const deliveries = this.deliveries;
    let cursor = hook.cursor;
    let attempt = hook.attempt;
    let failingSince = hook.failingSince;
    const saved = hook.alertId ? await this.store.savedSearches.get(hook.alertId) : null;
    const alert = saved ? alertFor(saved) : null;
    while (!this.stopped) {
      const subscriber = await deliveries.subscriber(hook.subscriberId);
      if (!subscriber) return;
      const scan = await scanEntitled(this.store, deliveries, subscriber, cursor, {
        limit: 1,
        accept: (e, item) => (!hook.events || hook.events.includes(e.kind)) && (!alert || alert.passes(item)),
      });
      const item = scan.items[0];
      if (!item) {
        if (scan.position > cursor || scan.holdUntil !== null) {
          await this.store.subscribers.skipWebhook(hook.id, scan.position, scan.holdUntil !== null ? new Date(scan.holdUntil).toISOString() : undefined);
        }
        return;
      }
      // Still ours? If the lease was lost (this worker stalled past it), another worker owns the cursor now.
      if (!(await this.store.subscribers.renewWebhook(hook.id, this.owner, this.leaseUntil()))) return;
      const now = new Date();
      const messageId = `msg_${hook.id}_${item.event.seq}`;
      const result = await this.post(hook, messageId, webhookPayload(item, subscriber, now), now);
      if (this.stopped && !result.ok) return; // aborted by stop(): not the endpoint's fault, retried after restart
      const nextAttempt = attempt + 1;
      if (result.ok) {
        cursor = item.event.seq;
        attempt = 0;
        failingSince = null;
        deliveries.count(subscriber.id, 'webhook', 1);
      } else {
        attempt = nextAttempt;
        failingSince ??= now.toISOString();
      }
      const expired = !result.ok && Date.now() - Date.parse(failingSince!) >= this.opts.retryWindowMs;
      const retryAt = result.ok ? now : new Date(Date.now() + backoffMs(attempt, this.opts.baseDelayMs, this.opts.maxDelayMs));
      await this.store.subscribers.recordAttempt(hook.id, {
        attempt: {
          webhookId: hook.id,
          seq: item.event.seq,
          messageId,
          attempt: nextAttempt,
          at: now.toISOString(),
          statusCode: result.statusCode,
          latencyMs: result.latencyMs,
          ok: result.ok,
          error: result.error,
        },
        state: {
          cursor,
          status: expired ? 'failed' : 'active',
          attempt,
          nextAttemptAt: retryAt.toISOString(),
          failingSince,
          lastError: result.ok ? null : result.error,
        },
      });
      if (!result.ok) return;
      // Deleted or reset meanwhile? Re-read before the next message so a redeliver wins.
      const fresh = await this.store.subscribers.getWebhook(hook.id);
      if (fresh?.status !== 'active' || fresh.pausedAt || fresh.cursor !== cursor) return;
    }
  }

  /** One signed POST; anything but a 2xx within the timeout (a redirect included) is a failure. */
  private async post(hook: WebhookWithSecret, messageId: string, body: string, at: Date): Promise<PostResult> {
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      return await postSigned(hook, messageId, body, at, controller, this.opts);
    } finally {
      this.controllers.delete(controller);
    }
  }
}

/**
 * One signed POST of `body` to the subscription's URL (SSRF guard on the connection), timed; anything but a
 * 2xx within `timeoutMs` (a redirect included) is a failure, described in `error`.
 */
export async function postSigned(
  hook: Pick<WebhookWithSecret, 'url' | 'secret'>,
  messageId: string,
  body: string,
  at: Date,
  controller: AbortController,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  const started = performance.now();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
  try {
    // Names are checked by the connection's own lookup (guardedLookup): no second DNS query here.
    await checkWebhookUrl(hook.url, opts.allowPrivate, { resolve: false });
    const res = await postOnce(
      new URL(hook.url),
      {
        'content-type': 'application/json',
        'user-agent': 'newsflow-webhooks/0.1',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Signer(hook.secret).sign(messageId, at, body),
      },
      body,
      controller.signal,
      opts.allowPrivate,
    );
    const ok = res.status >= 200 && res.status < 300;
    const error = ok
      ? null
      : res.status >= 300 && res.status < 400
        ? `redirect ${res.status} to ${res.location ?? '?'} not followed`
        : `endpoint answered ${res.status}`;
    return { ok, statusCode: res.status, latencyMs: Math.round(performance.now() - started), error };
  } catch (e) {
    const reason = controller.signal.aborted ? ((controller.signal.reason as Error)?.message ?? 'aborted') : (e as Error).message;
    const cause = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
    return {
      ok: false,
      statusCode: null,
      latencyMs: Math.round(performance.now() - started),
      error: `posting to ${hook.url} failed: ${reason}${cause ? ` (${cause})` : ''}`,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One POST without following redirects, connecting only to addresses the SSRF guard passed (the guard
 * runs in the connection's own DNS lookup). Resolves with the status once the answer is read.
 */
function postOnce(
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  allowPrivate: boolean,
): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        signal,
        lookup: guardedLookup(allowPrivate),
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
        // An answer cut off mid-body (the timeout's abort, a reset) may only close: settle it as a failure.
        res.on('close', () => {
          if (!res.complete) reject(new Error('the answer was cut short'));
        });
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts the worker for a runtime; the returned function stops it. */
export function startWebhookWorker(
  rt: { store: Store; hub: Hub; deliveries: Deliveries },
  opts: WebhookWorkerOptions = {},
): (graceMs?: number) => Promise<void> {
  const worker = new WebhookWorker(rt.store, rt.hub, rt.deliveries, opts).start();
  return (graceMs) => worker.stop(graceMs);
}
