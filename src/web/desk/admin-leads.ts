// Leads (admins only): the readers who asked about a subscription on the public site's form, newest
// first, in keyset pages. The lead model has no "handled" mark (adding one needs a migration), so the
// page lists them; following a lead up happens by e-mail.
import type { FastifyInstance } from 'fastify';
import { html } from '../html.ts';
import type { DeskContext } from './context.ts';
import { ADMIN, adminNav, adminStrings, when } from './admin-parts.ts';

const PAGE = 50;
const LEAD_ID = /^[0-9a-hjkmnp-tv-z]{26}$/;

export function leadAdminRoutes(app: FastifyInstance, desk: DeskContext): void {
  app.get<{ Querystring: { before?: string } }>('/admin/leads', { preHandler: desk.guard('admin') }, async (req, reply) => {
    const a = adminStrings(req);
    const before = typeof req.query.before === 'string' && LEAD_ID.test(req.query.before) ? req.query.before : undefined;
    const leads = await desk.rt.store.site.listLeads(PAGE, before);
    const next = leads.length === PAGE ? leads[leads.length - 1].id : null;
    return desk.page(
      req,
      reply,
      200,
      () => a.leads,
      () => html`${adminNav(a, 'leads')}
<h1>${a.leads}</h1>
<table>
  <caption class="skip">${a.leads}</caption>
  <thead><tr><th scope="col">${a.receivedAt}</th><th scope="col">${a.name}</th><th scope="col">${a.email}</th><th scope="col">${a.organisation}</th><th scope="col">${a.language}</th><th scope="col">${a.message}</th></tr></thead>
  <tbody>${
    leads.length === 0
      ? html`<tr><td colspan="6">${a.noLeads}</td></tr>`
      : leads.map(
          (l) =>
            html`<tr data-lead="${l.id}"><td>${when(l.createdAt)}</td><td><bdi>${l.name}</bdi></td><td><a href="mailto:${l.email}" dir="ltr">${l.email}</a></td><td><bdi>${l.organisation ?? ''}</bdi></td><td>${l.language}</td><td><bdi>${l.message ?? ''}</bdi></td></tr>`,
        )
  }</tbody>
</table>
${next ? html`<p><a href="${ADMIN}/leads?before=${next}" rel="next">${a.older}</a></p>` : ''}`,
    );
  });
}
