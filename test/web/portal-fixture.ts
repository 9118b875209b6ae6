// A running portal for the portal tests: the desk fixture's app (API, site, desk, portal) plus helpers
// to make products and subscribers, add seats with a known password, and sign a seat in over HTTP or
// in Chromium.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { NewProduct } from '../../src/model/subscribers.ts';
import type { Subscriber } from '../../src/model/subscribers.ts';
import type { SeatRole, User } from '../../src/model/users.ts';
import { client, DESK_PASSWORD, startDesk, type DeskClient, type DeskFixture } from './desk-fixture.ts';

export { expectAccessible, launchBrowser, needChromium, client, csrfOf } from './desk-fixture.ts';

export interface Seat {
  user: User;
  email: string;
  password: string;
}

export interface PortalFixture extends DeskFixture {
  /** A subscriber with one product of these filters. */
  addSubscriber(name: string, product: Partial<NewProduct>, opts?: { seatLimit?: number | null }): Promise<Subscriber>;
  /** A seat of `subscriberId` with the known password (not one-time). */
  addSeat(subscriberId: string, opts?: { role?: SeatRole; language?: 'ar' | 'tr' | 'en'; name?: string }): Promise<Seat>;
}

const actor = { type: 'system' as const, id: 'system', name: 'portal test' };
let counter = 0;

export async function startPortal(env: Record<string, string> = {}): Promise<PortalFixture> {
  const desk = await startDesk(env);
  return {
    ...desk,
    async addSubscriber(name, product, opts = {}) {
      const p = await desk.rt.admin.createProduct(actor, { ...product, name: `${name} product ${++counter}` });
      return desk.rt.admin.createSubscriber(actor, { name, products: [p.id], seatLimit: opts.seatLimit ?? null });
    },
    async addSeat(subscriberId, opts = {}) {
      const email = `seat-${++counter}@subscriber.test`;
      const added = await desk.accounts.add({
        email,
        role: opts.role ?? 'seat',
        subscriberId,
        name: opts.name ?? `seat ${counter}`,
        language: opts.language ?? 'en',
        password: DESK_PASSWORD,
      });
      return { user: added.user, email, password: DESK_PASSWORD };
    },
  };
}

/** Signs a seat in over HTTP at /portal/sign-in; returns the client holding the session. */
export async function signInPortalHttp(url: string, email: string, password: string): Promise<DeskClient> {
  const c = client(url);
  await c.get('/portal/sign-in');
  const r = await c.post('/portal/sign-in', { email, password });
  assert.equal(r.status, 303, `portal sign-in of ${email} answered ${r.status}: ${await r.text()}`);
  return c;
}

/** Signs in through the portal's sign-in page in Chromium and waits to land. */
export async function signInPortal(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/portal/sign-in');
  await page.getByLabel(/E-mail|البريد الإلكتروني|E-posta/).fill(email);
  await page.getByLabel(/^(Password|كلمة المرور|Parola)$/).fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/sign-in')), page.locator('form button[type=submit]').first().click()]);
}
