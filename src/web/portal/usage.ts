// Usage (/portal/usage): stories the subscriber received per day and channel (portal, feed, stream,
// webhooks, downloads), as a chart (uPlot, bundled into the page script by esbuild) and the table behind
// it, downloadable as CSV. Only the seat's own subscriber's counters: there is no subscriber in the URL.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SelfService, USAGE_CHANNELS, usageCsv, usageRange, type UsageDay } from '../../flow/self-service.ts';
import { ValidationError } from '../../model/validate.ts';
import { clientScriptUrl } from '../client-assets.ts';
import { html, scriptJson, type SafeHtml } from '../html.ts';
import type { PortalContext } from './context.ts';
import { PORTAL } from './layout.ts';
import { fieldErrors, seatOf, wordsOf } from './self-service-kit.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
let css: { body: string; version: string } | undefined;

/** These pages' stylesheet with uPlot's own rules, read on first use and served by the portal. */
function stylesheet(): { body: string; version: string } {
  if (!css) {
    const own = readFileSync(join(HERE, 'self-service.css'), 'utf8');
    const uplot = readFileSync(createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css'), 'utf8');
    const body = `${own}\n${uplot}\n`;
    css = { body, version: createHash('sha1').update(body).digest('base64url').slice(0, 10) };
  }
  return css;
}

/** The stylesheet link the topics, developers and usage pages put first in their body. */
export function selfServiceCss(): SafeHtml {
  return html`<link rel="stylesheet" href="${PORTAL}/assets/self-service.css?v=${stylesheet().version}">`;
}

export function usageRoutes(app: FastifyInstance, portal: PortalContext): void {
  const service = new SelfService(portal.rt, { allowPrivateWebhooks: false });

  app.get('/assets/self-service.css', async (_req, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(stylesheet().body),
  );

  function usagePage(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    days: UsageDay[],
    range: { from: string; to: string },
    errors: Record<string, string>,
  ) {
    const s = wordsOf(req);
    const names = USAGE_CHANNELS.map((c) => c.name);
    const chart = { labels: names.map((n) => s.channels[n]), days: days.map((d) => d.day), series: names.map((n) => days.map((d) => d.counts[n])) };
    const q = `from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
    return portal.page(
      req,
      reply,
      status,
      () => s.usageTitle,
      () => html`${selfServiceCss()}<h1>${s.usageTitle}</h1>
<p>${s.usageIntro}</p>
<form method="get" action="${PORTAL}/usage" class="range" novalidate>
  <div class="field${errors.from ? ' has-error' : ''}"><label for="f-from">${s.from}</label><input id="f-from" name="from" type="date" value="${range.from}"${errors.from ? html` aria-invalid="true" aria-describedby="f-from-error"` : ''}>
  ${errors.from ? html`<p class="error" id="f-from-error" role="alert">${errors.from}</p>` : ''}</div>
  <div class="field${errors.to ? ' has-error' : ''}"><label for="f-to">${s.to}</label><input id="f-to" name="to" type="date" value="${range.to}"${errors.to ? html` aria-invalid="true" aria-describedby="f-to-error"` : ''}>
  ${errors.to ? html`<p class="error" id="f-to-error" role="alert">${errors.to}</p>` : ''}</div>
  <button type="submit">${s.show}</button>
</form>
<figure><div class="chart" id="usage-chart" role="img" aria-label="${s.chartLabel}"></div><figcaption>${s.chartLabel}</figcaption></figure>
<script type="application/json" id="usage-data">${scriptJson(chart)}</script>
<p><a id="usage-csv" href="${PORTAL}/usage.csv?${q}" download="usage-${range.from}-${range.to}.csv">${s.downloadCsv}</a></p>
<table id="usage-table"><thead><tr><th scope="col">${s.day}</th>${names.map((n) => html`<th scope="col">${s.channels[n]}</th>`)}<th scope="col">${s.total}</th></tr></thead>
<tbody>${days.map((d) => html`<tr><th scope="row"><time datetime="${d.day}">${d.day}</time></th>${names.map((n) => html`<td>${String(d.counts[n])}</td>`)}<td>${String(d.total)}</td></tr>`)}</tbody></table>
<script type="module" src="${clientScriptUrl('portal-usage')}"></script>`,
    );
  }

  app.get('/usage', { preHandler: portal.guard() }, async (req, reply) => {
    const q = req.query as { from?: unknown; to?: unknown };
    const asked = { from: typeof q.from === 'string' ? q.from : undefined, to: typeof q.to === 'string' ? q.to : undefined };
    try {
      const range = usageRange(asked);
      return usagePage(req, reply, 200, await service.usage(seatOf(req), range), range, {});
    } catch (e) {
      const errors = fieldErrors(e);
      const range = usageRange({});
      return usagePage(req, reply, 400, await service.usage(seatOf(req), range), range, errors);
    }
  });

  app.get('/usage.csv', { preHandler: portal.guard() }, async (req, reply) => {
    const q = req.query as { from?: unknown; to?: unknown };
    try {
      const range = usageRange({ from: typeof q.from === 'string' ? q.from : undefined, to: typeof q.to === 'string' ? q.to : undefined });
      const days = await service.usage(seatOf(req), range);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="usage-${range.from}-${range.to}.csv"`)
        .header('cache-control', 'no-store')
        .send(usageCsv(days));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return reply.code(400).header('content-type', 'text/plain; charset=utf-8').send(`${e.message}\n`);
    }
  });
}
