// Sign-in sessions and CSRF protection for the pages people sign in to (the desk, the subscriber
// portal): @fastify/session with its sessions kept in the store (so ending them — deactivation, sign-out
// everywhere — takes effect at once, in every process), @fastify/csrf-protection on every request that
// changes something, and guards that put the signed-in user on the request.
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import type * as Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Accounts } from '../../flow/accounts.ts';
import type { Store } from '../../model/store.ts';
import { isSeatRole, isStaffRole, type SeatRole, type StaffRole, type User } from '../../model/users.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, set by the guards (and by `loadUser`); null when nobody is signed in. */
    user: User | null;
  }
}

declare module 'fastify' {
  interface Session {
    userId?: string;
    _csrf?: string;
  }
}

export const SESSION_COOKIE = 'newsflow_session';
/** Form bodies of the signed-in pages: generous for names and passwords, small enough to refuse floods. */
const FORM_BODY_LIMIT = 64 * 1024;

export interface SessionSettings {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in. */
  maxMs: number;
  /** The public address starts with https: the cookie is Secure even when TLS ends at a proxy. */
  secureCookies: boolean;
}

export interface AccountDeps {
  store: Store;
  accounts: Accounts;
}

/** Headers of every signed-in page: no caching of personal pages, no framing, no foreign script. */
export const PRIVATE_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'self'; img-src 'self' https: data:; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** The session store @fastify/session calls, on the newsflow store; expiry is decided here on every read. */
function sessionStore(store: Store, settings: SessionSettings): fastifySession.SessionStore {
  // Last-seen is written at most this often, so reading pages does not mean a write per request.
  const touchEvery = Math.min(60_000, settings.idleMs / 4);
  // Sessions nobody comes back to (a sign-in page opened and left) are swept now and then, on a write.
  let sweptAt = 0;
  const sweep = async () => {
    const now = Date.now();
    if (now - sweptAt < 600_000) return;
    sweptAt = now;
    await store.users.pruneSessions(new Date(now - settings.idleMs), new Date(now - settings.maxMs));
  };
  const read = async (id: string): Promise<unknown> => {
    const s = await store.users.getSession(id);
    if (!s) return null;
    const now = Date.now();
    const seen = Date.parse(s.lastSeenAt);
    if (now - seen > settings.idleMs || now - Date.parse(s.createdAt) > settings.maxMs) {
      await store.users.deleteSession(id);
      return null;
    }
    if (now - seen > touchEvery) await store.users.touchSession(id);
    return JSON.parse(s.data);
  };
  return {
    get(id, cb) {
      read(id).then((s) => cb(null, s as Fastify.Session | null), cb);
    },
    set(id, session, cb) {
      store.users
        .saveSession({ id, userId: session.userId ?? null, data: JSON.stringify(session) })
        .then(sweep)
        .then(() => cb(), cb);
    },
    destroy(id, cb) {
      store.users.deleteSession(id).then(() => cb(), cb);
    },
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Registers cookies, sessions, form bodies and CSRF checks in `app`'s scope (the desk's or the portal's
 * plugin). Both scopes share one cookie and one store, so a person signed in at one is signed in at the other.
 */
export async function useSessions(app: FastifyInstance, deps: AccountDeps, settings: SessionSettings): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: await deps.store.users.sessionSecret(),
    cookieName: SESSION_COOKIE,
    store: sessionStore(deps.store, settings),
    // Only sessions that hold something (a CSRF secret, a user) are stored; expiry is the store's.
    saveUninitialized: false,
    rolling: false,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: settings.maxMs },
  });
  await app.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  if (!app.hasRequestDecorator('user')) app.decorateRequest('user', null);
  // Forms carry the token in a hidden `_csrf` field, scripts in an `x-csrf-token` header; the body is
  // parsed by now, so this runs before every handler that changes something.
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE_METHODS.has(req.method)) return done();
    app.csrfProtection(req, reply, done);
  });
  if (settings.secureCookies) {
    // TLS may end at a proxy: the request then looks like http, yet the browser talks https.
    app.addHook('onSend', async (_req, reply, payload) => {
      const set = reply.getHeader('set-cookie');
      const mark = (c: string) => (c.startsWith(`${SESSION_COOKIE}=`) && !/;\s*secure/i.test(c) ? `${c}; Secure` : c);
      if (set === undefined) return payload;
      // Fastify appends to set-cookie; the marked list replaces the old one.
      reply.removeHeader('set-cookie');
      reply.header('set-cookie', Array.isArray(set) ? set.map(mark) : mark(String(set)));
      return payload;
    });
  }
}

/** The signed-in, active user of this request (null otherwise); a session of a deactivated user ends here. */
export async function loadUser(req: FastifyRequest, store: Store): Promise<User | null> {
  const id = req.session?.userId;
  if (!id) return null;
  const user = await store.users.get(id);
  if (!user?.active) {
    await req.session.destroy();
    return null;
  }
  return user;
}

/** Starts a fresh session for `user` (a new id: a session fixed before sign-in is worth nothing after). */
export async function startSession(req: FastifyRequest, user: User): Promise<void> {
  await req.session.regenerate();
  req.session.userId = user.id;
}

export interface GuardOptions {
  /** Where the sign-in page of this area is (`/desk/sign-in`, `/portal/sign-in`). */
  signInPath: string;
  /** Where a user who must replace a one-time password is sent. */
  changePasswordPath: string;
  /** The page for a signed-in person without the right role (answered with 403). */
  forbidden: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown> | unknown;
}

function guard(store: Store, opts: GuardOptions, allowed: (u: User) => boolean): preHandlerAsyncHookHandler {
  return async function signedIn(req, reply) {
    const user = await loadUser(req, store);
    if (!user) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
      return reply.code(303).header('cache-control', 'no-store').header('location', `${opts.signInPath}${next}`).send();
    }
    req.user = user;
    if (user.mustChangePassword && req.routeOptions.url !== opts.changePasswordPath) {
      return reply.code(303).header('cache-control', 'no-store').header('location', opts.changePasswordPath).send();
    }
    if (!allowed(user)) {
      reply.code(403);
      return opts.forbidden(req, reply);
    }
  };
}

/** Only agency staff, and of these roles when given (`requireStaff(store, opts, 'admin')`). */
export function requireStaff(store: Store, opts: GuardOptions, ...roles: StaffRole[]): preHandlerAsyncHookHandler {
  return guard(store, opts, (u) => isStaffRole(u.role) && (roles.length === 0 || roles.includes(u.role as StaffRole)));
}

/** Only subscribers' seats, and of these roles when given. */
export function requireSeat(store: Store, opts: GuardOptions, ...roles: SeatRole[]): preHandlerAsyncHookHandler {
  return guard(store, opts, (u) => isSeatRole(u.role) && u.subscriberId !== null && (roles.length === 0 || roles.includes(u.role as SeatRole)));
}

/** A local path to return to after signing in; anything else (another site, `//host`) goes to `fallback`. */
export function safeNext(next: unknown, fallback: string, area: string): string {
  if (typeof next !== 'string' || next.length > 1000) return fallback;
  if (!next.startsWith(`${area}`) || next.startsWith('//') || /[\\\r\n]/.test(next)) return fallback;
  return next;
}
