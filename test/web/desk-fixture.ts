// A running desk for the desk and portal tests: a fresh store, the whole app (API, site, desk) on a
// loopback port, one user of each staff role with a known password, and helpers to sign in over HTTP
// (fetch with the session cookie and CSRF token) or in Chromium, and to run axe-core on a page.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { Accounts } from '../../src/flow/accounts.ts';
import type { StaffRole, User } from '../../src/model/users.ts';
import { buildWebApp } from '../../src/server/app.ts';
import { configWith } from '../../src/server/config.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { tempDbFile } from '../helpers.ts';

export { launchBrowser, needChromium } from './site-fixture.ts';

export interface DeskUser {
  user: User;
  email: string;
  password: string;
}

export interface DeskFixture {
  rt: Runtime;
  /** Where the store lives (a SQLite file, or a PostgreSQL URL): a second runtime opens it as another process would. */
  store: string;
  app: FastifyInstance;
  url: string;
  accounts: Accounts;
  users: Record<StaffRole, DeskUser>;
  /** Adds another staff user with a known password (not one-time unless `oneTime`). */
  addUser(role: StaffRole, opts?: { name?: string; language?: 'ar' | 'tr' | 'en'; oneTime?: boolean }): Promise<DeskUser>;
  close(): Promise<void>;
}

export const DESK_PASSWORD = 'desk-password-1234';
let counter = 0;

/** The app on a fresh store; `env` adds settings (NEWSFLOW_SESSION_IDLE_MINUTES …). */
export async function startDesk(env: Record<string, string> = {}): Promise<DeskFixture> {
  const store = tempDbFile();
  const rt = await openRuntime(store);
  const { app } = await buildWebApp(rt, configWith(env));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const accounts = new Accounts(rt.store);
  const addUser: DeskFixture['addUser'] = async (role, opts = {}) => {
    const email = `${role}-${++counter}@agency.test`;
    const added = await accounts.add({
      email,
      role,
      name: opts.name ?? `${role} ${counter}`,
      language: opts.language ?? 'en',
      password: opts.oneTime ? undefined : DESK_PASSWORD,
    });
    return { user: added.user, email, password: added.password };
  };
  const users = { reporter: await addUser('reporter'), editor: await addUser('editor'), admin: await addUser('admin') };
  return {
    rt,
    store,
    app,
    url,
    accounts,
    users,
    addUser,
    async close() {
      await app.close();
      await rt.close();
    },
  };
}

/** Signs in through the sign-in page in Chromium (the page's context has the desk's baseURL) and waits to land. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/desk/sign-in');
  await page.getByLabel(/E-mail|البريد الإلكتروني|E-posta/).fill(email);
  await page.getByLabel(/^(Password|كلمة المرور|Parola)$/).fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/sign-in')), page.locator('form button[type=submit]').first().click()]);
}

/** Fails on any serious or critical axe-core violation, naming each with its nodes. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe found serious or critical violations on ${page.url()}`,
  );
}

/** A signed-in HTTP client: cookie jar of one, the CSRF token of the last page read. */
export interface DeskClient {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  /** Posts a form with the current CSRF token (unless `_csrf` is given). */
  post(path: string, form?: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
}

/** The session cookie a response sets, if any. */
export function sessionCookieOf(r: Response): string | null {
  const set = r.headers.getSetCookie().find((c) => c.startsWith('newsflow_session='));
  return set ? set.split(';')[0] : null;
}

export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  assert.ok(m, 'the page carries a CSRF token');
  return m[1];
}

/** A fetch client that keeps the session cookie and the latest CSRF token. */
export function client(url: string): DeskClient {
  const c: DeskClient = {
    cookie: '',
    csrf: '',
    async get(path) {
      const r = await fetch(url + path, { redirect: 'manual', headers: c.cookie ? { cookie: c.cookie } : {} });
      const set = sessionCookieOf(r);
      if (set) c.cookie = set;
      if ((r.headers.get('content-type') ?? '').startsWith('text/html')) {
        const body = await r.text();
        const m = /name="_csrf" value="([^"]+)"/.exec(body);
        if (m) c.csrf = m[1];
        return new Response(body, { status: r.status, headers: r.headers });
      }
      return r;
    },
    async post(path, form = {}, headers = {}) {
      const body = new URLSearchParams({ _csrf: c.csrf, ...form });
      const r = await fetch(url + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(c.cookie ? { cookie: c.cookie } : {}), ...headers },
        body,
      });
      const set = sessionCookieOf(r);
      if (set) c.cookie = set;
      return r;
    },
  };
  return c;
}

/** Signs in over HTTP; returns the client holding the signed-in session. */
export async function signInHttp(url: string, email: string, password: string, headers: Record<string, string> = {}): Promise<DeskClient> {
  const c = client(url);
  await c.get('/desk/sign-in');
  const r = await c.post('/desk/sign-in', { email, password }, headers);
  assert.equal(r.status, 303, `sign-in of ${email} answered ${r.status}: ${await r.text()}`);
  return c;
}
