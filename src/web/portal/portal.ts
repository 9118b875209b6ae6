// The subscriber portal at /portal, a Fastify plugin of its own registered beside the desk by the
// composition root. It shares the desk's sessions, CSRF and sign-in pages (src/web/account) with kind
// 'seat': only subscribers' seats sign in here. Every page but sign-in needs a signed-in seat, and every
// page reads only what the seat's subscriber is entitled to (src/flow/entitlement.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Runtime } from '../../flow/runtime.ts';
import type { Subscriber } from '../../model/subscribers.ts';
import type { SeatRole } from '../../model/users.ts';
import { answerErrors } from '../account/area-errors.ts';
import { html } from '../html.ts';
import { accountRoutes, languageOf, sendPage } from '../account/pages.ts';
import { requireSeat, useSessions, type AccountDeps, type GuardOptions, type SessionSettings } from '../account/sessions.ts';
import type { PortalContext, PortalPages } from './context.ts';
import { PORTAL, portalLayout } from './layout.ts';
import { PORTAL_STRINGS } from './strings.ts';
import { searchRoutes } from './search.ts';
import { seatRoutes } from './seats.ts';
import { storyRoutes } from './story.ts';
import { wireRoutes } from './wire.ts';
import { topicRoutes } from './topics.ts';
import { developerRoutes } from './developers.ts';
import { usageRoutes } from './usage.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The portal's page modules, in order; a new page adds its function here. */
export const registerPortalPages: PortalPages[] = [wireRoutes, storyRoutes, searchRoutes, seatRoutes, topicRoutes, developerRoutes, usageRoutes];

export interface PortalOptions {
  sessions: SessionSettings;
  rt: Runtime;
  publicUrl: string;
  allowPrivateWebhooks?: boolean;
}

/** The signed-in seat's subscriber, kept per request by the guard. */
const subscribers = new WeakMap<FastifyRequest, Subscriber>();

export function portalPlugin(opts: PortalOptions) {
  return async function portal(app: FastifyInstance, deps: AccountDeps): Promise<void> {
    await useSessions(app, deps, opts.sessions);
    // The signed-in pages' shared base, then this area's own rules: one stylesheet, one request.
    const css = Buffer.concat([readFileSync(join(HERE, '../account/base.css')), readFileSync(join(HERE, 'portal.css'))]);
    const cssVersion = createHash('sha1').update(css).digest('base64url').slice(0, 10);
    const layout = portalLayout(`${PORTAL}/assets/portal.css?v=${cssVersion}`);

    const page: PortalContext['page'] = (req, reply, status, title, body) => {
      const user = req.user;
      const lang = languageOf(req, user);
      const t = PORTAL_STRINGS[lang];
      const csrf = reply.generateCsrf();
      return sendPage(reply, status, layout(req, { lang, title: title(t), user, csrf, body: body(csrf, t) }));
    };
    const simple: PortalContext['simple'] = (req, reply, status, title, text) =>
      page(req, reply, status, title, (_csrf, t) => html`<h1>${title(t)}</h1><p>${text(t)}</p>`);

    const guardOptions: GuardOptions = {
      signInPath: `${PORTAL}/sign-in`,
      changePasswordPath: `${PORTAL}/password`,
      forbidden: (req, reply) =>
        simple(
          req,
          reply,
          403,
          (t) => t.forbiddenTitle,
          (t) => t.forbidden,
        ),
    };
    const guard = (...roles: SeatRole[]) => {
      const seat = requireSeat(deps.store, guardOptions, ...roles);
      return async function signedInSeat(this: FastifyInstance, req: FastifyRequest, reply: import('fastify').FastifyReply) {
        await seat.call(this, req, reply);
        if (reply.sent || !req.user) return;
        const subscriber = await deps.store.subscribers.getSubscriber(req.user.subscriberId!);
        if (!subscriber) {
          // The subscriber was removed: its seats sign in no more.
          await req.session.destroy();
          return reply.code(303).header('location', `${PORTAL}/sign-in`).send();
        }
        subscribers.set(req, subscriber);
      };
    };
    const subscriber = (req: FastifyRequest): Subscriber => {
      const s = subscribers.get(req);
      if (!s) throw new Error('portal route without the seat guard');
      return s;
    };
    const ctx: PortalContext = {
      deps,
      guard,
      subscriber,
      page,
      simple,
      rt: opts.rt,
      publicUrl: opts.publicUrl,
      allowPrivateWebhooks: opts.allowPrivateWebhooks,
    };

    app.get('/assets/portal.css', async (_req, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(css),
    );
    accountRoutes(app, { base: PORTAL, kind: 'seat', deps, guard: guard(), layout });
    for (const pages of registerPortalPages) pages(app, ctx);

    // An unknown portal address tells a signed-out visitor nothing: sign in first, then 404.
    answerErrors(app, {
      store: deps.store,
      signInPath: `${PORTAL}/sign-in`,
      area: 'portal',
      notFound: (req, reply) =>
        simple(
          req,
          reply,
          404,
          (t) => t.notFoundTitle,
          (t) => t.notFound,
        ),
      formExpired: (req, reply) =>
        simple(
          req,
          reply,
          403,
          (t) => t.formExpiredTitle,
          (t) => t.formExpired,
        ),
      failed: (req, reply, status, message) => {
        const lang = languageOf(req, req.user ?? null);
        const t = PORTAL_STRINGS[lang];
        return sendPage(reply, status, layout(req, { lang, title: t.errorTitle, user: null, csrf: '', body: html`<h1>${t.errorTitle}</h1><p>${message}</p>` }));
      },
    });
  };
}
