// Subscribers (admins only): the list and creating one; a subscriber's page with its settings, its
// products (time-versioned, with their history and who changed them), its API keys (the secret shown
// once, then only the prefix; revoke), its webhooks (the SSRF guard's refusal next to the URL, delivery
// attempts, redeliver, delete) and its usage per day and channel as a chart (uPlot, drawn by the page
// script from the table that is also shown). Every act goes through rt.admin with the signed-in person.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DELIVERY_FORMATS } from '../../flow/render.ts';
import { checkWebhookUrl } from '../../flow/ssrf.ts';
import { newWebhookSecret } from '../../flow/webhooks.ts';
import type { AuditEntry } from '../../model/audit.ts';
import type { ApiKey } from '../../model/keys.ts';
import type { Channel, Product, Subscriber, SubscriptionChange, UsageRow, Webhook, WebhookAttempt } from '../../model/subscribers.ts';
import { userActor } from '../../model/users.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, field, select, text } from '../account/forms.ts';
import { clientScriptUrl } from '../client-assets.ts';
import type { DeskContext } from './context.ts';
import type { AdminStrings } from './admin-strings.ts';
import { ADMIN, adminNav, adminStrings, all, when, wholeNumber } from './admin-parts.ts';

const PATH = `${ADMIN}/subscribers`;
export const CHANNELS: readonly Channel[] = ['feed', 'stream', 'webhook', 'ws', 'portal', 'download'];
const USAGE_DAYS = 30;

interface SettingsForm {
  name: string;
  rateLimit: string;
  defaultFormat: string;
  seatLimit: string;
  products: string[];
  errors: Record<string, string>;
}

interface Shown {
  settings?: SettingsForm;
  /** A secret to show once: a new API key or a new webhook's signing secret. */
  secret?: { kind: 'key' | 'webhook'; value: string };
  webhookForm?: { url: string; error: string };
  productsError?: string;
}

/** A subscriber's settings from a form, or the errors by field. */
function settingsFrom(body: unknown, a: AdminStrings, withProducts: boolean, known: Product[]) {
  const f: SettingsForm = {
    name: text(body, 'name', 200).trim(),
    rateLimit: text(body, 'rateLimit', 12),
    defaultFormat: text(body, 'defaultFormat', 20) || 'ninjs',
    seatLimit: text(body, 'seatLimit', 12),
    products: all(body, 'products'),
    errors: {},
  };
  if (!f.name) f.errors.name = a.rules.nameRequired;
  const rateLimit = wholeNumber(f.rateLimit, 1, 1_000_000);
  if (rateLimit === undefined) f.errors.rateLimit = a.rules.positiveOrEmpty;
  const seatLimit = wholeNumber(f.seatLimit, 1, 1_000_000);
  if (seatLimit === undefined) f.errors.seatLimit = a.rules.positiveOrEmpty;
  if (!(DELIVERY_FORMATS as readonly string[]).includes(f.defaultFormat)) f.errors.defaultFormat = a.rules.format;
  if (withProducts && f.products.some((p) => !known.some((k) => k.id === p))) f.errors.products = a.rules.product;
  return { f, values: { name: f.name, rateLimit: rateLimit ?? null, seatLimit: seatLimit ?? null, defaultFormat: f.defaultFormat } };
}

export function subscriberAdminRoutes(app: FastifyInstance, desk: DeskContext, opts: { allowPrivateWebhooks: boolean }): void {
  const admin = { preHandler: desk.guard('admin') };
  const store = desk.rt.store;
  const subs = store.subscribers;

  const list = async (req: FastifyRequest, reply: FastifyReply, status: number, form?: SettingsForm) => {
    const a = adminStrings(req);
    const [subscribers, products] = await Promise.all([subs.listSubscribers(), subs.listProducts()]);
    return desk.page(
      req,
      reply,
      status,
      () => a.subscribers,
      (csrf) => listPage(subscribers, products, csrf, a, form),
    );
  };

  const one = async (req: FastifyRequest, reply: FastifyReply, status: number, s: Subscriber, shown: Shown = {}) => {
    const a = adminStrings(req);
    const today = new Date();
    const from = new Date(today.getTime() - (USAGE_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    // Counters are written in batches; write the pending ones so the page shows every delivery so far.
    await desk.rt.deliveries.flush();
    const [products, history, trail, keys, webhooks, usage] = await Promise.all([
      subs.listProducts(),
      subs.subscriptionHistory(s.id),
      store.audit.list({ targetType: 'subscriber', targetId: s.id, limit: 500 }),
      store.listKeys({ subscriberId: s.id }),
      subs.listWebhooks(s.id),
      subs.usage(s.id, from, today.toISOString().slice(0, 10)),
    ]);
    const attempts = new Map<string, WebhookAttempt[]>();
    for (const w of webhooks) attempts.set(w.id, await subs.listAttempts(w.id, 20));
    const d: Detail = { s, products, history, trail, keys, webhooks, attempts, usage };
    return desk.page(
      req,
      reply,
      status,
      () => `${a.subscribers}: ${s.name}`,
      (csrf) => subscriberPage(d, csrf, a, shown),
    );
  };

  const subscriberOr404 = async (req: FastifyRequest<{ Params: { id: string } }>) => subs.getSubscriber(req.params.id);

  app.get('/admin/subscribers', admin, async (req, reply) => list(req, reply, 200));

  app.post('/admin/subscribers', admin, async (req, reply) => {
    const a = adminStrings(req);
    const products = await subs.listProducts();
    const { f, values } = settingsFrom(req.body, a, true, products);
    if (Object.keys(f.errors).length) return list(req, reply, 400, f);
    const s = await desk.rt.admin.createSubscriber(userActor(req.user!), { ...values, products: f.products });
    return reply.code(303).header('location', `${PATH}/${s.id}`).send();
  });

  app.get<{ Params: { id: string } }>('/admin/subscribers/:id', admin, async (req, reply) => {
    const s = await subscriberOr404(req);
    return s ? one(req, reply, 200, s) : reply.callNotFound();
  });

  app.post<{ Params: { id: string } }>('/admin/subscribers/:id', admin, async (req, reply) => {
    const s = await subscriberOr404(req);
    if (!s) return reply.callNotFound();
    const { f, values } = settingsFrom(req.body, adminStrings(req), false, []);
    if (Object.keys(f.errors).length) return one(req, reply, 400, s, { settings: f });
    await desk.rt.admin.updateSubscriber(userActor(req.user!), s.id, values);
    return reply.code(303).header('location', `${PATH}/${s.id}`).send();
  });

  app.post<{ Params: { id: string } }>('/admin/subscribers/:id/products', admin, async (req, reply) => {
    const s = await subscriberOr404(req);
    if (!s) return reply.callNotFound();
    const a = adminStrings(req);
    const chosen = all(req.body, 'products');
    const known = await subs.listProducts();
    if (chosen.some((p) => !known.some((k) => k.id === p))) return one(req, reply, 400, s, { productsError: a.rules.product });
    await desk.rt.admin.setSubscriberProducts(userActor(req.user!), s.id, chosen);
    return reply.code(303).header('location', `${PATH}/${s.id}#products-title`).send();
  });

  app.post<{ Params: { id: string } }>('/admin/subscribers/:id/keys', admin, async (req, reply) => {
    const s = await subscriberOr404(req);
    if (!s) return reply.callNotFound();
    const label = text(req.body, 'label', 200).trim() || null;
    const { secret } = await desk.rt.admin.createKey(userActor(req.user!), 'subscriber', { subscriberId: s.id, label });
    // The secret is in this one answer only; it is never stored (only its hash) nor shown again.
    void reply.header('cache-control', 'no-store');
    return one(req, reply, 201, s, { secret: { kind: 'key', value: secret } });
  });

  app.post<{ Params: { id: string; keyId: string } }>('/admin/subscribers/:id/keys/:keyId/revoke', admin, async (req, reply) => {
    const s = await subscriberOr404(req);
    if (!s) return reply.callNotFound();
    const key = (await store.listKeys({ subscriberId: s.id })).find((k) => k.id === req.params.keyId);
    if (!key) return reply.callNotFound();
    if (!key.revokedAt) await desk.rt.admin.revokeKey(userActor(req.user!), key.id);
    return reply.code(303).header('location', `${PATH}/${s.id}#keys-title`).send();
  });

  app.post<{ Params: { id: string } }>('/admin/subscribers/:id/webhooks', admin, async (req, reply) => {
    const s = await subscriberOr404(req);
    if (!s) return reply.callNotFound();
    const url = text(req.body, 'url', 2000).trim();
    try {
      if (url.length < 8) throw new Error('give the full address of the endpoint (https://…)');
      await checkWebhookUrl(url, opts.allowPrivateWebhooks);
    } catch (e) {
      return one(req, reply, 400, s, { webhookForm: { url, error: (e as Error).message } });
    }
    const secret = newWebhookSecret();
    // From now on: the webhook receives what is published after it was added.
    await desk.rt.admin.createWebhook(userActor(req.user!), { subscriberId: s.id, url, secret, events: null, cursor: await store.headSeq() });
    void reply.header('cache-control', 'no-store');
    return one(req, reply, 201, s, { secret: { kind: 'webhook', value: secret } });
  });

  const ownHook = async (subscriberId: string, hookId: string) => {
    const hook = await subs.getWebhook(hookId);
    return hook && hook.subscriberId === subscriberId && hook.status !== 'deleted' ? hook : null;
  };

  app.post<{ Params: { id: string; hookId: string } }>('/admin/subscribers/:id/webhooks/:hookId/redeliver', admin, async (req, reply) => {
    const hook = await ownHook(req.params.id, req.params.hookId);
    if (!hook) return reply.callNotFound();
    await desk.rt.admin.redeliverWebhook(userActor(req.user!), hook);
    return reply.code(303).header('location', `${PATH}/${req.params.id}#hook-${hook.id}`).send();
  });

  app.post<{ Params: { id: string; hookId: string } }>('/admin/subscribers/:id/webhooks/:hookId/delete', admin, async (req, reply) => {
    const hook = await ownHook(req.params.id, req.params.hookId);
    if (!hook) return reply.callNotFound();
    await desk.rt.admin.deleteWebhook(userActor(req.user!), hook);
    return reply.code(303).header('location', `${PATH}/${req.params.id}#webhooks-title`).send();
  });
}

function settingsFields(f: SettingsForm, a: AdminStrings): SafeHtml {
  return html`${field({ name: 'name', label: a.name, value: f.name, error: f.errors.name, required: true, dir: 'auto' })}
${field({ name: 'rateLimit', label: a.rateLimit, value: f.rateLimit, error: f.errors.rateLimit, help: a.rateLimitHelp, dir: 'ltr' })}
${select(
  'defaultFormat',
  a.defaultFormat,
  DELIVERY_FORMATS.map((x) => [x, x]),
  f.defaultFormat,
  f.errors.defaultFormat,
)}
${field({ name: 'seatLimit', label: a.seatLimit, value: f.seatLimit, error: f.errors.seatLimit, help: a.rateLimitHelp, dir: 'ltr' })}`;
}

function productChecks(products: Product[], chosen: string[], a: AdminStrings, error?: string): SafeHtml {
  return html`<fieldset class="field${error ? ' has-error' : ''}"${error ? html` aria-describedby="f-products-error"` : ''}>
  <legend>${a.productsOf}</legend>
  ${products.length === 0 ? html`<p>${a.nothing}</p>` : ''}
  ${products.map(
    (p) =>
      html`<label class="check"><input type="checkbox" name="products" value="${p.id}"${chosen.includes(p.id) ? html` checked` : ''}> <bdi>${p.name}</bdi></label>`,
  )}
  ${error ? html`<p class="error" id="f-products-error" role="alert">${error}</p>` : ''}
</fieldset>`;
}

function listPage(subscribers: Subscriber[], products: Product[], csrf: string, a: AdminStrings, form?: SettingsForm): SafeHtml {
  const f = form ?? { name: '', rateLimit: '', defaultFormat: 'ninjs', seatLimit: '', products: [], errors: {} };
  return html`${adminNav(a, 'subscribers')}
<h1>${a.subscribers}</h1>
<table>
  <caption class="skip">${a.subscribers}</caption>
  <thead><tr><th scope="col">${a.name}</th><th scope="col">${a.productsOf}</th><th scope="col">${a.rateLimit}</th><th scope="col">${a.defaultFormat}</th><th scope="col">${a.seatLimit}</th></tr></thead>
  <tbody>${
    subscribers.length === 0
      ? html`<tr><td colspan="5">${a.nothing}</td></tr>`
      : subscribers.map(
          (s) =>
            html`<tr data-subscriber="${s.id}"><td><a href="${PATH}/${s.id}"><bdi>${s.name}</bdi></a></td><td>${s.products.map((p, i) => html`${i ? ', ' : ''}<bdi>${p.name}</bdi>`)}</td><td>${s.rateLimit ?? a.none}</td><td>${s.defaultFormat}</td><td>${s.seatLimit ?? a.none}</td></tr>`,
        )
  }</tbody>
</table>
<section class="panel" aria-labelledby="create-title">
  <h2 id="create-title">${a.createSubscriber}</h2>
  <form method="post" action="${PATH}" novalidate>
    ${csrfField(csrf)}
    ${settingsFields(f, a)}
    ${productChecks(products, f.products, a, f.errors.products)}
    <button type="submit">${a.createSubscriber}</button>
  </form>
</section>`;
}

interface Detail {
  s: Subscriber;
  products: Product[];
  history: SubscriptionChange[];
  trail: AuditEntry[];
  keys: ApiKey[];
  webhooks: Webhook[];
  attempts: Map<string, WebhookAttempt[]>;
  usage: UsageRow[];
}

/** Days × channels from the usage rows, every day of the window present (zeros included). */
export function usageTable(rows: UsageRow[], days: number, today = new Date()): { days: string[]; counts: Record<Channel, number[]> } {
  const dayList: string[] = [];
  for (let i = days - 1; i >= 0; i--) dayList.push(new Date(today.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  const counts = Object.fromEntries(CHANNELS.map((c) => [c, dayList.map(() => 0)])) as Record<Channel, number[]>;
  for (const r of rows) {
    const i = dayList.indexOf(r.day);
    if (i >= 0 && counts[r.channel]) counts[r.channel][i] += r.count;
  }
  return { days: dayList, counts };
}

function subscriberPage(d: Detail, csrf: string, a: AdminStrings, shown: Shown): SafeHtml {
  const { s } = d;
  const settings = shown.settings ?? {
    name: s.name,
    rateLimit: s.rateLimit === null ? '' : String(s.rateLimit),
    defaultFormat: s.defaultFormat,
    seatLimit: s.seatLimit === null ? '' : String(s.seatLimit),
    products: [],
    errors: {},
  };
  const productName = (id: string) => d.products.find((p) => p.id === id)?.name ?? id;
  const changedBy = (c: SubscriptionChange, i: number) => {
    const e =
      i === 0
        ? d.trail.find((t) => t.action === 'subscriber.create')
        : d.trail.find((t) => t.action === 'subscriber.products' && t.details.effectiveAt === c.effectiveAt);
    return e ? html`<bdi>${e.actor.name}</bdi>` : a.none;
  };
  const usage = usageTable(d.usage, USAGE_DAYS);
  const usedDays = usage.days.map((day, i) => ({ day, i })).filter(({ i }) => CHANNELS.some((c) => usage.counts[c][i] > 0));
  return html`${adminNav(a, 'subscribers')}
<link rel="stylesheet" href="/desk/assets/uplot.css">
<p><a href="${PATH}">${a.back}</a></p>
<h1><bdi>${s.name}</bdi></h1>
${
  shown.secret
    ? html`<section class="panel" aria-labelledby="secret-title">
  <h2 id="secret-title">${shown.secret.kind === 'key' ? a.keySecretTitle : a.webhookSecretTitle}</h2>
  <p class="secret" data-testid="new-secret">${shown.secret.value}</p>
  <p>${a.secretOnce}</p>
</section>`
    : ''
}
<section class="panel" aria-labelledby="settings-title">
  <h2 id="settings-title">${a.edit}</h2>
  <form method="post" action="${PATH}/${s.id}" novalidate>
    ${csrfField(csrf)}
    ${settingsFields(settings, a)}
    <button type="submit">${a.save}</button>
  </form>
</section>
<section class="panel" aria-labelledby="products-title">
  <h2 id="products-title">${a.productsOf}</h2>
  <form method="post" action="${PATH}/${s.id}/products" novalidate>
    ${csrfField(csrf)}
    ${productChecks(
      d.products,
      s.products.map((p) => p.id),
      a,
      shown.productsError,
    )}
    <button type="submit">${a.setProducts}</button>
  </form>
  <h3>${a.history}</h3>
  <table class="history">
    <thead><tr><th scope="col">${a.effectiveAt}</th><th scope="col">${a.changedBy}</th><th scope="col">${a.productsOf}</th></tr></thead>
    <tbody>${d.history
      .map((c, i) => ({ c, i }))
      .reverse()
      .map(
        ({ c, i }) =>
          html`<tr><td>${when(c.effectiveAt)}</td><td>${changedBy(c, i)}</td><td>${c.productIds.length ? c.productIds.map((id, j) => html`${j ? ', ' : ''}<bdi>${productName(id)}</bdi>`) : a.none}</td></tr>`,
      )}</tbody>
  </table>
</section>
<section class="panel" aria-labelledby="keys-title">
  <h2 id="keys-title">${a.keys}</h2>
  <table>
    <thead><tr><th scope="col">${a.prefix}</th><th scope="col">${a.label}</th><th scope="col">${a.created}</th><th scope="col">${a.lastUsed}</th><th scope="col">${a.status}</th><th scope="col">${a.actions}</th></tr></thead>
    <tbody>${
      d.keys.length === 0
        ? html`<tr><td colspan="6">${a.nothing}</td></tr>`
        : d.keys.map(
            (k) =>
              html`<tr data-key="${k.prefix}"><td><code dir="ltr">${k.prefix}…</code></td><td><bdi>${k.label ?? ''}</bdi></td><td>${when(k.createdAt)}</td><td>${when(k.lastUsedAt, a.never)}</td><td>${k.revokedAt ? html`${a.revoked} ${when(k.revokedAt)}` : ''}</td><td>${
                k.revokedAt
                  ? ''
                  : html`<form method="post" action="${PATH}/${s.id}/keys/${k.id}/revoke">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="${a.revoke} ${k.prefix}">${a.revoke}</button></form>`
              }</td></tr>`,
          )
    }</tbody>
  </table>
  <form method="post" action="${PATH}/${s.id}/keys" novalidate>
    ${csrfField(csrf)}
    ${field({ name: 'label', label: a.label, dir: 'auto' })}
    <button type="submit">${a.createKey}</button>
  </form>
</section>
<section class="panel" aria-labelledby="webhooks-title">
  <h2 id="webhooks-title">${a.webhooks}</h2>
  ${d.webhooks.length === 0 ? html`<p>${a.nothing}</p>` : ''}
  ${d.webhooks.map((w) => webhookPart(w, d.attempts.get(w.id) ?? [], s.id, csrf, a))}
  <form method="post" action="${PATH}/${s.id}/webhooks" novalidate>
    ${csrfField(csrf)}
    ${field({ name: 'url', label: a.url, type: 'text', value: shown.webhookForm?.url, error: shown.webhookForm?.error, dir: 'ltr', required: true })}
    <button type="submit">${a.createWebhook}</button>
  </form>
</section>
<section class="panel" aria-labelledby="usage-title">
  <h2 id="usage-title">${a.usage}</h2>
  <figure class="usage">
    <div id="usage-chart" class="usage-chart" role="img" aria-label="${a.usageChart}"></div>
    <figcaption class="skip">${a.usageChart}</figcaption>
  </figure>
  <table id="usage-table" data-days="${usage.days.join(',')}" data-series="${CHANNELS.map((c) => usage.counts[c].join(' ')).join(',')}" data-channels="${CHANNELS.join(',')}">
    <caption class="skip">${a.usage}</caption>
    <thead><tr><th scope="col">${a.day}</th>${CHANNELS.map((c) => html`<th scope="col">${c}</th>`)}<th scope="col">${a.total}</th></tr></thead>
    <tbody>${
      usedDays.length === 0
        ? html`<tr><td colspan="${CHANNELS.length + 2}">${a.noUsage}</td></tr>`
        : usedDays.map(
            ({ day, i }) =>
              html`<tr data-day="${day}"><th scope="row"><time datetime="${day}" dir="ltr">${day}</time></th>${CHANNELS.map((c) => html`<td data-channel="${c}">${usage.counts[c][i]}</td>`)}<td>${CHANNELS.reduce((n, c) => n + usage.counts[c][i], 0)}</td></tr>`,
          )
    }</tbody>
  </table>
</section>
<script type="module" src="${clientScriptUrl('usage-chart')}"></script>`;
}

function webhookPart(w: Webhook, attempts: WebhookAttempt[], subscriberId: string, csrf: string, a: AdminStrings): SafeHtml {
  return html`<article class="webhook" id="hook-${w.id}" aria-labelledby="hook-${w.id}-url">
  <h3 id="hook-${w.id}-url"><bdi dir="ltr">${w.url}</bdi></h3>
  <p>${a.status}: <span data-testid="hook-status">${w.status}</span>${w.lastError ? html` — <bdi>${w.lastError}</bdi>` : ''}</p>
  <form method="post" action="${PATH}/${subscriberId}/webhooks/${w.id}/redeliver">${csrfField(csrf)}<button type="submit">${a.redeliver}</button></form>
  <form method="post" action="${PATH}/${subscriberId}/webhooks/${w.id}/delete">${csrfField(csrf)}<button type="submit" class="secondary">${a.deleteWebhook}</button></form>
  <table class="attempts">
    <caption>${a.attempts}</caption>
    <thead><tr><th scope="col">${a.at}</th><th scope="col">#</th><th scope="col">${a.statusCode}</th><th scope="col">${a.latency}</th><th scope="col">${a.result}</th></tr></thead>
    <tbody>${
      attempts.length === 0
        ? html`<tr><td colspan="5">${a.noAttempts}</td></tr>`
        : attempts.map(
            (t) =>
              html`<tr data-attempt="${t.id}"><td>${when(t.at)}</td><td>${t.attempt}</td><td>${t.statusCode ?? a.none}</td><td>${t.latencyMs}</td><td>${t.ok ? a.ok : html`${a.failed}${t.error ? html` — <bdi>${t.error}</bdi>` : ''}`}</td></tr>`,
          )
    }</tbody>
  </table>
</article>`;
}
