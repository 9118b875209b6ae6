// The newsroom desk at /desk, a Fastify plugin of its own registered beside the API and the public site
// by the composition root. It holds sessions and CSRF for its scope (src/web/account), its stylesheet,
// the sign-in and account pages, and the desk's pages; every page but sign-in needs a signed-in staff user.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Runtime } from '../../flow/runtime.ts';
import type { StaffRole } from '../../model/users.ts';
import { answerErrors } from '../account/area-errors.ts';
import { html } from '../html.ts';
import { accountRoutes, languageOf, sendPage } from '../account/pages.ts';
import { requireStaff, type AccountDeps, type GuardOptions, type SessionSettings } from '../account/sessions.ts';
import { useSessions } from '../account/sessions.ts';
import type { DeskContext } from './context.ts';
import { DESK, deskLayout } from './layout.ts';
import { DESK_STRINGS, type DeskStrings } from './strings.ts';
import { editorRoutes } from './editor.ts';
import { storyRoutes } from './story.ts';
import { userAdminRoutes } from './users.ts';
import { productAdminRoutes } from './admin-products.ts';
import { subscriberAdminRoutes } from './admin-subscribers.ts';
import { leadAdminRoutes } from './admin-leads.ts';
import { auditRoutes } from './audit.ts';
import { landingRoutes } from './wire.ts';
import { storyListRoutes } from './lists.ts';
import { archiveSearchRoutes } from './search.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface DeskOptions {
  sessions: SessionSettings;
  rt: Runtime;
  publicUrl: string;
  /** Webhook URLs may point at private networks (NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS; tests). */
  allowPrivateWebhooks?: boolean;
}

export function deskPlugin(opts: DeskOptions) {
  return async function desk(app: FastifyInstance, deps: AccountDeps): Promise<void> {
    await useSessions(app, deps, opts.sessions);
    // The signed-in pages' shared base, then this area's own rules: one stylesheet, one request.
    const css = Buffer.concat([readFileSync(join(HERE, '../account/base.css')), readFileSync(join(HERE, 'desk.css'))]);
    const cssVersion = createHash('sha1').update(css).digest('base64url').slice(0, 10);
    const layout = deskLayout(`${DESK}/assets/desk.css?v=${cssVersion}`);

    const page: DeskContext['page'] = (req, reply, status, title, body) => {
      const user = req.user;
      const lang = languageOf(req, user);
      const t = DESK_STRINGS[lang];
      const csrf = reply.generateCsrf();
      return sendPage(reply, status, layout(req, { lang, title: title(t), user, csrf, body: body(csrf, t) }));
    };
    const simple = (req: FastifyRequest, reply: FastifyReply, status: number, title: (t: DeskStrings) => string, text: (t: DeskStrings) => string) =>
      page(req, reply, status, title, (_csrf, t) => html`<h1>${title(t)}</h1><p>${text(t)}</p>`);

    const guardOptions: GuardOptions = {
      signInPath: `${DESK}/sign-in`,
      changePasswordPath: `${DESK}/password`,
      forbidden: (req, reply) =>
        simple(
          req,
          reply,
          403,
          (t) => t.forbiddenTitle,
          (t) => t.forbidden,
        ),
    };
    const guard = (...roles: StaffRole[]) => requireStaff(deps.store, guardOptions, ...roles);
    const ctx: DeskContext = { deps, guard, page, rt: opts.rt, publicUrl: opts.publicUrl };

    // uPlot's stylesheet for the usage chart, from the installed package (never a CDN), read when first asked.
    let uplotCss: Buffer | undefined;
    app.get('/assets/uplot.css', async (_req, reply) => {
      uplotCss ??= readFileSync(createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css'));
      return reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(uplotCss);
    });
    app.get('/assets/desk.css', async (_req, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(css),
    );
    accountRoutes(app, { base: DESK, kind: 'staff', deps, guard: guard(), layout });
    landingRoutes(app, ctx);
    storyListRoutes(app, ctx);
    archiveSearchRoutes(app, ctx);
    userAdminRoutes(app, ctx);
    editorRoutes(app, ctx);
    storyRoutes(app, ctx);
    productAdminRoutes(app, ctx);
    subscriberAdminRoutes(app, ctx, { allowPrivateWebhooks: opts.allowPrivateWebhooks ?? false });
    leadAdminRoutes(app, ctx);
    auditRoutes(app, ctx);

    // An unknown desk address tells a signed-out visitor nothing: sign in first, then 404.
    answerErrors(app, {
      store: deps.store,
      signInPath: `${DESK}/sign-in`,
      area: 'desk',
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
        const t = DESK_STRINGS[lang];
        return sendPage(reply, status, layout(req, { lang, title: t.errorTitle, user: null, csrf: '', body: html`<h1>${t.errorTitle}</h1><p>${message}</p>` }));
      },
    });
  };
}
