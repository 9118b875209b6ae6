// Self-service for the subscriber's developers (/portal/developers): API keys (the secret shown once,
// name, last used, revoke), webhooks (add with the SSRF guard's word next to the field, a test event,
// every attempt with status and latency, deliver again, pause and resume, remove), the default delivery
// format, and the exact curl for the feed and the stream with their own key. The acts are the flow's
// (src/flow/self-service.ts): the seat's own subscriber only, each in the audit trail under the seat.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SelfService } from '../../flow/self-service.ts';
import { DELIVERY_FORMATS } from '../../flow/render.ts';
import type { ApiKey } from '../../model/keys.ts';
import type { Webhook, WebhookAttempt } from '../../model/subscribers.ts';
import { field, select, text } from '../account/forms.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PortalContext } from './context.ts';
import { PORTAL } from './layout.ts';
import { fieldErrors, orNotFound, seatOf, ULID, wordsOf } from './self-service-kit.ts';
import type { SelfStrings } from './self-service-strings.ts';
import { selfServiceCss } from './usage.ts';

const DEV = `${PORTAL}/developers`;
const FORMAT_NAMES: Record<string, string> = {
  ninjs: 'IPTC ninjs 3.2',
  ninjs2: 'IPTC ninjs 2.3',
  newsml: 'IPTC NewsML-G2',
  json: 'newsflow JSON',
  html: 'HTML',
  text: 'Plain text',
};

const when = (iso: string | null, s: SelfStrings) => (iso ? html`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')}</time>` : s.never);

/** What a POST shows once on the page it answers with: a new secret, or the errors of a form. */
interface Shown {
  keySecret?: string;
  webhookSecret?: string;
  saved?: boolean;
  form?: Record<string, string>;
  errors?: Record<string, string>;
}

export function developerRoutes(app: FastifyInstance, portal: PortalContext): void {
  const service = new SelfService(portal.rt, { allowPrivateWebhooks: portal.allowPrivateWebhooks ?? false });
  const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
  const button = (action: string, label: string, csrf: string, cls = 'secondary', extra: SafeHtml | string = '') =>
    html`<form method="post" action="${action}" class="inline">${hidden(csrf)}${extra}<button type="submit" class="${cls}">${label}</button></form>`;

  function curlBlock(s: SelfStrings, key: string): SafeHtml {
    const base = portal.rt.baseUrl.replace(/\/+$/, '');
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const feed = `curl -s -H "Authorization: Bearer ${key}" "${base}/v1/feed?since=${since}T00:00:00Z&limit=10"`;
    const stream = `curl -N -H "Authorization: Bearer ${key}" "${base}/v1/stream"`;
    return html`<p>${s.curlFeed}</p><pre class="curl" dir="ltr"><code id="curl-feed">${feed}</code></pre>
<p>${s.curlStream}</p><pre class="curl" dir="ltr"><code id="curl-stream">${stream}</code></pre>`;
  }

  function keyRow(s: SelfStrings, k: ApiKey, csrf: string): SafeHtml {
    return html`<tr data-key="${k.id}"><td dir="auto">${k.label ?? ''}</td><td><code dir="ltr">${k.prefix}…</code></td><td>${when(k.createdAt, s)}</td><td>${when(k.lastUsedAt, s)}</td>
<td>${k.revokedAt ? html`${s.revoked} ${when(k.revokedAt, s)}` : html`${s.live} ${button(`${DEV}/keys/${k.id}/revoke`, s.revoke, csrf, 'secondary', html``)}`}</td></tr>`;
  }

  function hookState(s: SelfStrings, w: Webhook): string {
    return w.pausedAt ? s.paused : w.status === 'failed' || w.attempt > 0 ? s.failing : s.running;
  }

  function hookRow(s: SelfStrings, w: Webhook): SafeHtml {
    return html`<tr data-webhook="${w.id}"><td><code dir="ltr">${w.url}</code></td><td>${hookState(s, w)}</td><td><a href="${DEV}/webhooks/${w.id}">${s.webhookDetails}</a></td></tr>`;
  }

  async function developersPage(req: FastifyRequest, reply: FastifyReply, status: number, shown: Shown = {}) {
    const seat = seatOf(req);
    const s = wordsOf(req);
    const [keys, hooks, format] = await Promise.all([service.keys(seat), service.webhooks(seat), service.defaultFormat(seat)]);
    const errors = shown.errors ?? {};
    const form = shown.form ?? {};
    const live = keys.find((k) => !k.revokedAt);
    const shownKey = shown.keySecret ?? (live ? `${live.prefix}…` : 'nf_sub_…');
    return portal.page(
      req,
      reply,
      status,
      () => s.developersTitle,
      (csrf) => html`${selfServiceCss()}<h1>${s.developersTitle}</h1>
<section aria-labelledby="keys-h"><h2 id="keys-h">${s.keysTitle}</h2>
${shown.keySecret ? html`<p class="notice">${s.secretOnce}</p><p class="secret" id="new-key" dir="ltr">${shown.keySecret}</p>` : ''}
${
  keys.length === 0
    ? html`<p>${s.noKeys}</p>`
    : html`<table id="keys"><thead><tr><th scope="col">${s.keyName}</th><th scope="col">${s.prefix}</th><th scope="col">${s.created}</th><th scope="col">${s.lastUsed}</th><th scope="col">${s.state}</th></tr></thead><tbody>${keys.map((k) => keyRow(s, k, csrf))}</tbody></table>`
}
<form method="post" action="${DEV}/keys" novalidate>${hidden(csrf)}
  ${field({ name: 'name', label: s.keyName, value: form.name, error: errors.name, required: true, dir: 'auto' })}
  <button type="submit">${s.createKey}</button>
</form></section>
<section aria-labelledby="curl-h"><h2 id="curl-h">${s.curlTitle}</h2><p>${s.curlIntro}</p>${curlBlock(s, shownKey)}
${shown.keySecret ? '' : html`<p class="help">${s.curlKeyNote}</p>`}</section>
<section aria-labelledby="hooks-h"><h2 id="hooks-h">${s.webhooksTitle}</h2>
${shown.webhookSecret ? html`<p class="notice">${s.webhookSecretOnce}</p><p class="secret" id="new-webhook-secret" dir="ltr">${shown.webhookSecret}</p>` : ''}
${
  hooks.length === 0
    ? html`<p>${s.noWebhooks}</p>`
    : html`<table id="webhooks"><thead><tr><th scope="col">${s.webhookUrl}</th><th scope="col">${s.state}</th><th scope="col">${s.attempts}</th></tr></thead><tbody>${hooks.map((w) => hookRow(s, w))}</tbody></table>`
}
<form method="post" action="${DEV}/webhooks" novalidate>${hidden(csrf)}
  ${field({ name: 'url', label: s.webhookUrl, value: form.url, error: errors.url, help: s.webhookUrlHelp, required: true, dir: 'ltr' })}
  <button type="submit">${s.createWebhook}</button>
</form></section>
<section aria-labelledby="format-h"><h2 id="format-h">${s.formatTitle}</h2>
<form method="post" action="${DEV}/format" novalidate>${hidden(csrf)}
  ${select(
    'format',
    s.format,
    DELIVERY_FORMATS.map((f) => [f, FORMAT_NAMES[f] ?? f]),
    form.format ?? format,
    errors.format,
  )}
  <p class="help">${s.formatHelp}</p>
  <button type="submit">${s.save}</button> ${shown.saved ? html`<span role="status">${s.saved}</span>` : ''}
</form></section>`,
    );
  }

  app.get('/developers', { preHandler: portal.guard() }, async (req, reply) =>
    developersPage(req, reply, 200, { saved: (req.query as { saved?: string }).saved === '1' }),
  );

  app.post('/developers/keys', { preHandler: portal.guard() }, async (req, reply) => {
    const name = text(req.body, 'name', 200);
    try {
      const { secret } = await service.createKey(seatOf(req), name);
      // Answered with the page itself (not a redirect): the secret exists only in this answer.
      return developersPage(req, reply, 201, { keySecret: secret });
    } catch (e) {
      return developersPage(req, reply, 400, { form: { name }, errors: fieldErrors(e) });
    }
  });

  app.post<{ Params: { id: string } }>('/developers/keys/:id/revoke', { preHandler: portal.guard() }, async (req, reply) =>
    orNotFound(portal, req, reply, async () => {
      await service.revokeKey(seatOf(req), req.params.id);
      return reply.code(303).header('location', DEV).send();
    }),
  );

  app.post('/developers/webhooks', { preHandler: portal.guard() }, async (req, reply) => {
    const url = text(req.body, 'url', 2100);
    try {
      const { secret } = await service.createWebhook(seatOf(req), { url });
      return developersPage(req, reply, 201, { webhookSecret: secret });
    } catch (e) {
      return developersPage(req, reply, 400, { form: { url }, errors: fieldErrors(e) });
    }
  });

  app.post('/developers/format', { preHandler: portal.guard() }, async (req, reply) => {
    const format = text(req.body, 'format', 40);
    try {
      await service.setDefaultFormat(seatOf(req), format);
      return reply.code(303).header('location', `${DEV}?saved=1`).send();
    } catch (e) {
      return developersPage(req, reply, 400, { form: { format }, errors: fieldErrors(e) });
    }
  });

  function attemptRow(s: SelfStrings, hookId: string, a: WebhookAttempt, csrf: string): SafeHtml {
    return html`<tr data-attempt="${a.messageId}" data-seq="${String(a.seq)}"><td>${when(a.at, s)}</td><td>${a.seq === 0 ? s.testEvent : html`<code>#${String(a.seq)}</code>`}</td>
<td>${a.statusCode === null ? '—' : String(a.statusCode)}</td><td>${`${a.latencyMs} ms`}</td><td>${a.error ?? ''}</td>
<td>${a.seq === 0 ? '' : button(`${DEV}/webhooks/${hookId}/redeliver`, s.redeliver, csrf, 'secondary', html`<input type="hidden" name="from" value="${String(a.seq)}">`)}</td></tr>`;
  }

  async function webhookPage(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, status: number, errors: Record<string, string> = {}) {
    const seat = seatOf(req);
    const s = wordsOf(req);
    if (!ULID.test(req.params.id)) await service.webhook(seat, '-');
    const [hook, attempts] = await Promise.all([service.webhook(seat, req.params.id), service.attempts(seat, req.params.id)]);
    const base = `${DEV}/webhooks/${hook.id}`;
    return portal.page(
      req,
      reply,
      status,
      () => s.webhooksTitle,
      (csrf) => html`${selfServiceCss()}<h1>${s.webhooksTitle}</h1>
<p><code dir="ltr">${hook.url}</code> · ${s.state}: <strong id="webhook-state">${hookState(s, hook)}</strong>${hook.lastError ? html` · ${hook.lastError}` : ''}</p>
<div class="actions">
  ${button(`${base}/test`, s.sendTest, csrf, '')}
  ${hook.pausedAt ? button(`${base}/resume`, s.resume, csrf, '') : button(`${base}/pause`, s.pause, csrf)}
  ${button(`${base}/redeliver`, s.retryNow, csrf)}
  ${button(`${base}/delete`, s.remove, csrf)}
</div>
${errors.from ? html`<p class="error" role="alert">${errors.from}</p>` : ''}
<h2>${s.attempts}</h2>
${
  attempts.length === 0
    ? html`<p>${s.noAttempts}</p>`
    : html`<table id="attempts"><thead><tr><th scope="col">${s.when}</th><th scope="col">${s.message}</th><th scope="col">${s.httpStatus}</th><th scope="col">${s.latency}</th><th scope="col">${s.error}</th><th scope="col"><span class="visually-hidden">${s.redeliver}</span></th></tr></thead><tbody>${attempts.map((a) => attemptRow(s, hook.id, a, csrf))}</tbody></table>`
}
<p><a href="${DEV}">${s.developersTitle}</a></p>`,
    );
  }

  app.get<{ Params: { id: string } }>('/developers/webhooks/:id', { preHandler: portal.guard() }, async (req, reply) =>
    orNotFound(portal, req, reply, () => webhookPage(req, reply, 200)),
  );

  const act = (name: string, fn: (req: FastifyRequest<{ Params: { id: string } }>) => Promise<unknown>, then: (id: string) => string) =>
    app.post<{ Params: { id: string } }>(`/developers/webhooks/:id/${name}`, { preHandler: portal.guard() }, async (req, reply) =>
      orNotFound(portal, req, reply, async () => {
        try {
          await fn(req);
        } catch (e) {
          return webhookPage(req, reply, 400, fieldErrors(e));
        }
        return reply.code(303).header('location', then(req.params.id)).send();
      }),
    );
  const back = (id: string) => `${DEV}/webhooks/${id}`;
  act('test', (req) => service.sendTest(seatOf(req), req.params.id), back);
  act('pause', (req) => service.setPaused(seatOf(req), req.params.id, true), back);
  act('resume', (req) => service.setPaused(seatOf(req), req.params.id, false), back);
  act(
    'redeliver',
    (req) => {
      const from = text(req.body, 'from', 20);
      return service.redeliver(seatOf(req), req.params.id, from ? Number(from) : undefined);
    },
    back,
  );
  act(
    'delete',
    (req) => service.deleteWebhook(seatOf(req), req.params.id),
    () => DEV,
  );
}
