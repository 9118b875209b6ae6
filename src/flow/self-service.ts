// Self-service for a subscriber's own people (the portal's developer and usage pages): the subscriber's
// API keys, its webhook subscriptions, its default delivery format and its usage. Every act is done as
// the signed-in seat (the Actor in the audit trail, through the admin acts) and only on the seat's own
// subscriber: anything of another subscriber is a NotFoundError, exactly as if it did not exist, so ids
// never tell one subscriber about another's.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../model/actor.ts';
import { NotFoundError } from '../model/errors.ts';
import type { ApiKey } from '../model/keys.ts';
import type { Store } from '../model/store.ts';
import type { EventKind } from '../model/story.ts';
import type { UsageRow, Webhook, WebhookAttempt } from '../model/subscribers.ts';
import { ValidationError } from '../model/validate.ts';
import type { Admin } from './admin.ts';
import type { Deliveries } from './deliveries.ts';
import type { Hub } from './hub.ts';
import { DELIVERY_FORMATS, type DeliveryFormat } from './render.ts';
import { checkWebhookUrl } from './ssrf.ts';
import { newWebhookSecret, postSigned } from './webhooks.ts';

/** The signed-in person of a subscriber, as these acts need them. */
export interface Seat {
  id: string;
  name: string;
  subscriberId: string;
}

/** The seat as the author of an act (the audit trail names the person, not a key). */
export function seatActor(seat: Seat): Actor {
  return { type: 'user', id: seat.id, name: seat.name };
}

/** The usage channels the portal shows, and which stored channels each one adds up. */
export const USAGE_CHANNELS = [
  { name: 'portal', stored: ['portal'] },
  { name: 'feed', stored: ['feed'] },
  // The live stream, over Server-Sent Events or WebSocket.
  { name: 'stream', stored: ['stream', 'ws'] },
  { name: 'webhooks', stored: ['webhook'] },
  { name: 'downloads', stored: ['download'] },
] as const;
export type UsageChannel = (typeof USAGE_CHANNELS)[number]['name'];

/** One day of a subscriber's usage: stories received per channel. */
export interface UsageDay {
  day: string;
  counts: Record<UsageChannel, number>;
  total: number;
}

export interface SelfServiceOptions {
  /** Webhook URLs may point at private networks (NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS; tests). */
  allowPrivateWebhooks: boolean;
  /** How long a test event's POST may take. */
  testTimeoutMs?: number;
}

const KEY_NAME_MAX = 100;
const URL_MAX = 2000;
const DAY = 86_400_000;

export class SelfService {
  constructor(
    private readonly rt: { store: Store; admin: Admin; deliveries: Deliveries; hub: Hub },
    private readonly opts: SelfServiceOptions,
  ) {}

  // API keys

  /** The subscriber's keys, newest first, revoked ones included (with when). */
  async keys(seat: Seat): Promise<ApiKey[]> {
    const keys = await this.rt.store.listKeys({ subscriberId: seat.subscriberId });
    return keys.filter((k) => k.role === 'subscriber').sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** A new key of the subscriber named `name`; the secret is returned only here. */
  async createKey(seat: Seat, name: string): Promise<{ secret: string; key: ApiKey }> {
    const label = name.trim();
    if (!label) throw new ValidationError([{ field: '/name', message: 'give the key a name (what uses it)' }]);
    if (label.length > KEY_NAME_MAX) throw new ValidationError([{ field: '/name', message: `at most ${KEY_NAME_MAX} characters` }]);
    return this.rt.admin.createKey(seatActor(seat), 'subscriber', { subscriberId: seat.subscriberId, label });
  }

  /** Revokes one of the subscriber's keys; it stops working at once. */
  async revokeKey(seat: Seat, id: string): Promise<ApiKey> {
    const key = await this.ownKey(seat, id);
    if (key.revokedAt) return key;
    return this.rt.admin.revokeKey(seatActor(seat), key.id);
  }

  private async ownKey(seat: Seat, id: string): Promise<ApiKey> {
    const key = (await this.rt.store.listKeys({ subscriberId: seat.subscriberId })).find((k) => k.id === id && k.role === 'subscriber');
    if (!key) throw new NotFoundError(`no key ${id}`);
    return key;
  }

  // Webhooks

  async webhooks(seat: Seat): Promise<Webhook[]> {
    return this.rt.store.subscribers.listWebhooks(seat.subscriberId);
  }

  /** One of the subscriber's webhooks. */
  async webhook(seat: Seat, id: string): Promise<Webhook> {
    const hook = await this.rt.store.subscribers.getWebhook(id);
    if (!hook || hook.subscriberId !== seat.subscriberId) throw new NotFoundError(`no webhook ${id}`);
    return hook;
  }

  /**
   * Subscribes a URL (the SSRF guard checks it: a loopback, private or metadata address is refused, said
   * on the field) to the flow from now on; the signing secret is returned only here.
   */
  async createWebhook(seat: Seat, input: { url: string; events?: EventKind[] | null }): Promise<{ webhook: Webhook; secret: string }> {
    const url = input.url.trim();
    if (!url) throw new ValidationError([{ field: '/url', message: 'give the https address that receives the stories' }]);
    if (url.length > URL_MAX) throw new ValidationError([{ field: '/url', message: `at most ${URL_MAX} characters` }]);
    try {
      await checkWebhookUrl(url, this.opts.allowPrivateWebhooks);
    } catch (e) {
      throw new ValidationError([{ field: '/url', message: (e as Error).message }]);
    }
    const secret = newWebhookSecret();
    const cursor = Math.max(this.rt.hub.lastHead, await this.rt.store.headSeq());
    const events = input.events && input.events.length > 0 ? input.events : null;
    const webhook = await this.rt.admin.createWebhook(seatActor(seat), { subscriberId: seat.subscriberId, url, secret, events, cursor });
    return { webhook, secret };
  }

  async deleteWebhook(seat: Seat, id: string): Promise<void> {
    await this.rt.admin.deleteWebhook(seatActor(seat), await this.webhook(seat, id));
  }

  /** The delivery attempts, newest first: status, latency, error; test events have seq 0. */
  async attempts(seat: Seat, id: string, limit = 50): Promise<WebhookAttempt[]> {
    const hook = await this.webhook(seat, id);
    return this.rt.store.subscribers.listAttempts(hook.id, limit);
  }

  /**
   * Posts a signed test event (`webhook.test`, no story) to the URL now and records the attempt; the
   * subscription's cursor and state do not change.
   */
  async sendTest(seat: Seat, id: string): Promise<WebhookAttempt> {
    const hook = await this.webhook(seat, id);
    const secret = await this.rt.store.subscribers.webhookSecret(hook.id);
    if (!secret) throw new NotFoundError(`no webhook ${id}`);
    const at = new Date();
    const messageId = `msg_test_${hook.id}_${randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({
      type: 'webhook.test',
      timestamp: at.toISOString(),
      data: { webhookId: hook.id, message: 'A test event from newsflow: this endpoint is reached and the signature can be checked.' },
    });
    const result = await postSigned({ url: hook.url, secret }, messageId, body, at, new AbortController(), {
      timeoutMs: this.opts.testTimeoutMs ?? 10_000,
      allowPrivate: this.opts.allowPrivateWebhooks,
    });
    const attempt: Omit<WebhookAttempt, 'id'> = {
      webhookId: hook.id,
      seq: 0,
      messageId,
      attempt: 1,
      at: at.toISOString(),
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      ok: result.ok,
      error: result.error,
    };
    await this.rt.store.subscribers.addAttempt(attempt);
    return { id: 0, ...attempt };
  }

  /**
   * Retries now (a failed subscription becomes active again); with `fromSeq`, delivers again from that
   * message on (it must still be in the log).
   */
  async redeliver(seat: Seat, id: string, fromSeq?: number): Promise<Webhook> {
    const hook = await this.webhook(seat, id);
    let cursor: number | undefined;
    if (fromSeq !== undefined) {
      if (!Number.isInteger(fromSeq) || fromSeq < 1) throw new ValidationError([{ field: '/from', message: 'a message of the flow log (its number)' }]);
      const oldest = await this.rt.store.oldestSeq();
      const head = await this.rt.store.headSeq();
      if (fromSeq < oldest)
        throw new ValidationError([{ field: '/from', message: `message ${fromSeq} is past the log's retention; the oldest kept is ${oldest}` }]);
      if (fromSeq > head) throw new ValidationError([{ field: '/from', message: `message ${fromSeq} does not exist yet` }]);
      cursor = fromSeq - 1;
    }
    return this.rt.admin.redeliverWebhook(seatActor(seat), hook, cursor);
  }

  /** Pauses (nothing delivered, the cursor waits) or resumes (delivery from where it stopped). */
  async setPaused(seat: Seat, id: string, paused: boolean): Promise<Webhook> {
    const hook = await this.webhook(seat, id);
    if (Boolean(hook.pausedAt) === paused) return hook;
    return this.rt.admin.pauseWebhook(seatActor(seat), hook, paused);
  }

  // Delivery format

  async defaultFormat(seat: Seat): Promise<DeliveryFormat> {
    const s = await this.rt.store.subscribers.getSubscriber(seat.subscriberId);
    if (!s) throw new NotFoundError(`no subscriber ${seat.subscriberId}`);
    return (DELIVERY_FORMATS as readonly string[]).includes(s.defaultFormat) ? (s.defaultFormat as DeliveryFormat) : 'ninjs';
  }

  /** Sets the format deliveries use when a request names none (feed, stream, webhooks). */
  async setDefaultFormat(seat: Seat, format: string): Promise<DeliveryFormat> {
    if (!(DELIVERY_FORMATS as readonly string[]).includes(format)) {
      throw new ValidationError([{ field: '/format', message: `use one of ${DELIVERY_FORMATS.join(', ')}` }]);
    }
    await this.rt.admin.updateSubscriber(seatActor(seat), seat.subscriberId, { defaultFormat: format });
    return format as DeliveryFormat;
  }

  // Usage

  /** Stories received per day and channel, every day from `from` to `to` (UTC, inclusive; zeros kept). */
  async usage(seat: Seat, range: { from?: string; to?: string } = {}, now = new Date()): Promise<UsageDay[]> {
    const { from, to } = usageRange(range, now);
    await this.rt.deliveries.flush();
    return usageDays(await this.rt.store.subscribers.usage(seat.subscriberId, from, to), from, to);
  }
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The days asked for: the last 30 by default; at most a year; `from` not after `to`. */
export function usageRange(range: { from?: string; to?: string }, now = new Date()): { from: string; to: string } {
  const check = (field: 'from' | 'to', v: string | undefined): string | undefined => {
    if (v === undefined || v === '') return undefined;
    if (!DAY_RE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
      throw new ValidationError([{ field: `/${field}`, message: 'a day as YYYY-MM-DD' }]);
    }
    return v;
  };
  const to = check('to', range.to) ?? now.toISOString().slice(0, 10);
  const from = check('from', range.from) ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
  if (from > to) throw new ValidationError([{ field: '/from', message: 'the first day comes before the last' }]);
  if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) > 366 * DAY) {
    throw new ValidationError([{ field: '/from', message: 'at most a year at a time' }]);
  }
  return { from, to };
}

/** The stored counters as one row per day from `from` to `to`, every channel present. */
export function usageDays(rows: UsageRow[], from: string, to: string): UsageDay[] {
  const byDay = new Map<string, UsageDay>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.set(day, { day, counts: { portal: 0, feed: 0, stream: 0, webhooks: 0, downloads: 0 }, total: 0 });
  }
  for (const r of rows) {
    const d = byDay.get(r.day);
    const channel = USAGE_CHANNELS.find((c) => (c.stored as readonly string[]).includes(r.channel));
    if (!d || !channel) continue;
    d.counts[channel.name] += r.count;
    d.total += r.count;
  }
  return [...byDay.values()];
}

/** The usage table as CSV (RFC 4180, CRLF): day, one column per channel, total. */
export function usageCsv(days: UsageDay[]): string {
  const head = ['day', ...USAGE_CHANNELS.map((c) => c.name), 'total'];
  const lines = [head.join(',')];
  for (const d of days) lines.push([d.day, ...USAGE_CHANNELS.map((c) => String(d.counts[c.name])), String(d.total)].join(','));
  return `${lines.join('\r\n')}\r\n`;
}
