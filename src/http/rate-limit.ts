// One rate limiter for the whole application (@fastify/rate-limit, counted in this process's memory).
// Every throttled thing — the public site's forms per address, the pull feed per subscriber, and any
// later sign-in form — is a named quota on it. A quota only counts and judges; the caller answers in
// its own voice (the site with a page in the reader's language, the API with JSON), so the limiter is
// not tied to one kind of answer.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Registers the limiter once on the root app, before the routes that use quotas on it. */
export async function registerRateLimit(app: FastifyInstance): Promise<void> {
  // Not global: nothing is throttled unless a route asks for a quota.
  await app.register(rateLimit, { global: false });
}

export interface QuotaOptions {
  /** Names the quota, so two quotas counting the same caller never share a counter. */
  name: string;
  /** Requests allowed in one window (a function: per caller, e.g. a subscriber's own limit; Infinity: no limit). */
  max: number | ((req: FastifyRequest, key: string) => Promise<number>);
  /** Length of the window. */
  windowMs: number;
  /** Who is counted; by default the caller's address (IPv6 by its /64, as one host usually holds a whole /64). */
  key?: (req: FastifyRequest) => string | Promise<string>;
  /** Callers whose counts are kept (least recently seen forgotten first); the library's 5,000 is fewer than a large agency's subscribers. */
  callersKept?: number;
}

/** What a quota says about one request. */
export type Verdict = { ok: true } | { ok: false; max: number; retryAfterS: number };

/** A quota on the app's one limiter: each call counts the request and says whether it is over. */
export type Quota = (req: FastifyRequest) => Promise<Verdict>;

export function quota(app: FastifyInstance, opts: QuotaOptions): Quota {
  if (!app.hasDecorator('createRateLimit')) throw new Error('registerRateLimit(app) must run before a quota is made');
  const check = app.createRateLimit({
    // `cache` sizes the quota's own in-memory store; the library's types leave it out of this call's options.
    ...({ cache: opts.callersKept ?? 50_000 } as object),
    timeWindow: opts.windowMs,
    max: opts.max,
    // The name is part of the key: quotas of different routes keep separate counts for one caller.
    keyGenerator: opts.key ? async (req) => `${opts.name}:${await opts.key!(req)}` : (req) => `${opts.name}:${rateLimit.normalizeIP(req.ip, 64)}`,
  });
  return async (req) => {
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) return { ok: true };
    return { ok: false, max: r.max, retryAfterS: Math.max(1, r.ttlInSeconds) };
  };
}
