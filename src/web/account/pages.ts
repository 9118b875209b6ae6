// The pages every signed-in area shares: sign in, sign out, sign out everywhere, change password (a
// one-time password must be changed first), and the account page (own name and interface language).
// The desk mounts them at /desk, the portal at /portal; each area gives its layout and its guard.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AccountError, INTERFACE_LANGUAGES, isInterfaceLanguage, isSeatRole, SignInLimitError, type InterfaceLanguage, type User } from '../../model/users.ts';
import { html, type SafeHtml } from '../html.ts';
import { DESK_STRINGS, LANGUAGE_NAMES, type DeskStrings } from '../desk/strings.ts';
import { csrfField, field, select, text } from './forms.ts';
import { loadUser, PRIVATE_HEADERS, safeNext, startSession, type AccountDeps } from './sessions.ts';

export interface AreaPage {
  lang: InterfaceLanguage;
  title: string;
  body: SafeHtml;
  /** The signed-in user (navigation, name, sign-out), or null on the sign-in page. */
  user: User | null;
  csrf: string;
}

export interface AccountArea {
  /** `/desk` or `/portal`. */
  base: string;
  /** Who signs in here. */
  kind: 'staff' | 'seat';
  deps: AccountDeps;
  /** The guard of the area's pages (any role of the area). */
  guard: preHandlerAsyncHookHandler;
  /** The area's layout. */
  layout: (req: FastifyRequest, page: AreaPage) => SafeHtml;
}

/** The interface language for a page: the user's, else `?lang=`, else the browser's preference. */
export function languageOf(req: FastifyRequest, user: User | null): InterfaceLanguage {
  if (user) return user.language;
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (typeof q === 'string' && isInterfaceLanguage(q)) return q;
  for (const part of (req.headers['accept-language'] ?? '').split(',')) {
    const l = part.trim().slice(0, 2).toLowerCase();
    if (isInterfaceLanguage(l)) return l;
  }
  return 'en';
}

export function sendPage(reply: FastifyReply, status: number, page: SafeHtml): FastifyReply {
  return reply.code(status).headers(PRIVATE_HEADERS).type('text/html; charset=utf-8').send(`<!doctype html>\n${page.value}`);
}

const NOTICES = ['signed-out', 'everywhere', 'expired'] as const;

export function accountRoutes(app: FastifyInstance, area: AccountArea): void {
  const { base, deps } = area;
  const signInPath = `${base}/sign-in`;

  const render = (req: FastifyRequest, reply: FastifyReply, status: number, p: Omit<AreaPage, 'csrf'>, body: (csrf: string, t: DeskStrings) => SafeHtml) => {
    const csrf = reply.generateCsrf();
    return sendPage(reply, status, area.layout(req, { ...p, csrf, body: body(csrf, DESK_STRINGS[p.lang]) }));
  };

  const signInForm = (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    v: { email?: string; next?: string; emailError?: string; passwordError?: string; notice?: string },
  ) => {
    const lang = languageOf(req, null);
    const t = DESK_STRINGS[lang];
    const title = area.kind === 'seat' ? t.portalSignInTitle : t.signInTitle;
    return render(
      req,
      reply,
      status,
      { lang, title, user: null, body: html`` },
      (csrf) =>
        html`<section class="narrow">
  <h1>${title}</h1>
  ${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
  <form method="post" action="${signInPath}${lang === 'en' ? '' : `?lang=${lang}`}" novalidate>
    ${csrfField(csrf)}
    <input type="hidden" name="next" value="${v.next ?? ''}">
    ${field({ name: 'email', label: t.email, type: 'email', value: v.email, error: v.emailError, autocomplete: 'username', required: true, dir: 'ltr' })}
    ${field({ name: 'password', label: t.password, type: 'password', error: v.passwordError, autocomplete: 'current-password', required: true })}
    <button type="submit">${t.signIn}</button>
  </form>
</section>`,
    );
  };

  app.get('/sign-in', async (req, reply) => {
    const user = await loadUser(req, deps.store);
    const q = req.query as Record<string, unknown>;
    const next = safeNext(q.next, base, base);
    if (user && (user.role === 'seat' || user.role === 'seat-admin') === (area.kind === 'seat')) return reply.code(303).header('location', next).send();
    const t = DESK_STRINGS[languageOf(req, null)];
    const notice = (NOTICES as readonly unknown[]).includes(q.notice)
      ? { 'signed-out': t.signedOut, everywhere: t.signedOutEverywhere, expired: t.expired }[q.notice as (typeof NOTICES)[number]]
      : undefined;
    return signInForm(req, reply, 200, { next: typeof q.next === 'string' ? next : '', notice });
  });

  app.post('/sign-in', async (req, reply) => {
    const t = DESK_STRINGS[languageOf(req, null)];
    const email = text(req.body, 'email', 300);
    const password = text(req.body, 'password', 1000);
    const next = safeNext(text(req.body, 'next'), base, base);
    if (!email.trim()) return signInForm(req, reply, 400, { email, next, emailError: t.emailRequired });
    try {
      const user = await deps.accounts.authenticate(email, password, req.ip);
      if (isSeatRole(user.role) !== (area.kind === 'seat')) return signInForm(req, reply, 403, { email, next, passwordError: t.wrongArea });
      await startSession(req, user);
      return reply
        .code(303)
        .header('location', user.mustChangePassword ? `${base}/password` : next)
        .send();
    } catch (e) {
      if (e instanceof SignInLimitError) {
        const minutes = Math.max(1, Math.ceil(e.retryAfterS / 60));
        void reply.header('retry-after', String(Math.ceil(e.retryAfterS)));
        return signInForm(req, reply, 429, {
          email,
          next,
          passwordError: e.scope === 'account' ? t.tooManyForAccount(minutes) : t.tooManyFromAddress(minutes),
        });
      }
      if (e instanceof AccountError) {
        return signInForm(req, reply, 401, { email, next, passwordError: /deactivated/.test(e.message) ? t.deactivated : t.wrongPassword });
      }
      throw e;
    }
  });

  app.post('/sign-out', async (req, reply) => {
    await req.session.destroy();
    return reply.code(303).header('location', `${signInPath}?notice=signed-out`).send();
  });

  app.post('/sign-out-everywhere', { preHandler: area.guard }, async (req, reply) => {
    await deps.accounts.signOutEverywhere(req.user!.id);
    await req.session.destroy();
    return reply.code(303).header('location', `${signInPath}?notice=everywhere`).send();
  });

  const passwordPage = (req: FastifyRequest, reply: FastifyReply, status: number, errors: Record<string, string> = {}) => {
    const user = req.user!;
    const t = DESK_STRINGS[user.language];
    return render(
      req,
      reply,
      status,
      { lang: user.language, title: t.changePassword, user, body: html`` },
      (csrf) =>
        html`<section class="narrow">
  <h1>${t.changePassword}</h1>
  ${user.mustChangePassword ? html`<p class="notice" role="status">${t.mustChangePassword}</p>` : ''}
  <form method="post" action="${base}/password" novalidate>
    ${csrfField(csrf)}
    ${field({ name: 'current', label: t.currentPassword, type: 'password', error: errors.current, autocomplete: 'current-password', required: true })}
    ${field({ name: 'next', label: t.newPassword, type: 'password', error: errors.next, help: t.passwordHelp, autocomplete: 'new-password', required: true })}
    ${field({ name: 'repeat', label: t.repeatPassword, type: 'password', error: errors.repeat, autocomplete: 'new-password', required: true })}
    <button type="submit">${t.save}</button>
  </form>
</section>`,
    );
  };

  app.get('/password', { preHandler: area.guard }, async (req, reply) => passwordPage(req, reply, 200));

  app.post('/password', { preHandler: area.guard }, async (req, reply) => {
    const user = req.user!;
    try {
      const changed = await deps.accounts.changeOwnPassword(user.id, text(req.body, 'current'), text(req.body, 'next'), text(req.body, 'repeat'));
      // Every session ended with the change (a thief's too); this one continues as a fresh session.
      await startSession(req, changed);
      return reply.code(303).header('location', base).send();
    } catch (e) {
      if (e instanceof AccountError) return passwordPage(req, reply, 400, { [e.field]: e.message });
      throw e;
    }
  });

  const accountPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    v: { name?: string; errors?: Record<string, string>; saved?: boolean } = {},
  ) => {
    const user = req.user!;
    const t = DESK_STRINGS[user.language];
    return render(
      req,
      reply,
      status,
      { lang: user.language, title: t.account, user, body: html`` },
      (csrf) =>
        html`<section class="narrow">
  <h1>${t.account}</h1>
  ${v.saved ? html`<p class="notice" role="status">${t.saved}</p>` : ''}
  <p>${t.email}: <bdi dir="ltr">${user.email}</bdi></p>
  <form method="post" action="${base}/account" novalidate>
    ${csrfField(csrf)}
    ${field({ name: 'name', label: t.name, value: v.name ?? user.name, error: v.errors?.name, autocomplete: 'name', required: true, dir: 'auto' })}
    ${select(
      'language',
      t.language,
      INTERFACE_LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]]),
      user.language,
      v.errors?.language,
    )}
    <button type="submit">${t.save}</button>
  </form>
  <h2>${t.password}</h2>
  <p><a href="${base}/password">${t.changePassword}</a></p>
  <h2>${t.signOutEverywhere}</h2>
  <form method="post" action="${base}/sign-out-everywhere">
    ${csrfField(csrf)}
    <p>${t.signOutEverywhereHelp}</p>
    <button type="submit" class="secondary">${t.signOutEverywhere}</button>
  </form>
</section>`,
    );
  };

  app.get('/account', { preHandler: area.guard }, async (req, reply) =>
    accountPage(req, reply, 200, { saved: (req.query as Record<string, unknown>).saved === '1' }),
  );

  app.post('/account', { preHandler: area.guard }, async (req, reply) => {
    const name = text(req.body, 'name', 500);
    try {
      await deps.accounts.updateProfile(req.user!.id, { name, language: text(req.body, 'language', 10) });
      return reply.code(303).header('location', `${base}/account?saved=1`).send();
    } catch (e) {
      if (e instanceof AccountError) return accountPage(req, reply, 400, { name, errors: { [e.field]: e.message } });
      throw e;
    }
  });
}
