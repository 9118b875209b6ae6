// Products (admins only): the list, creating one, and changing a product's filters from now on. Filters
// are time-versioned (src/flow/admin.ts): the history shows each version with when it took effect and,
// from the audit trail, who changed it. Every act goes through rt.admin with the signed-in person.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../../model/validate.ts';
import type { Product, ProductVersion } from '../../model/subscribers.ts';
import { userActor } from '../../model/users.ts';
import type { AuditEntry } from '../../model/audit.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, field, text } from '../account/forms.ts';
import type { DeskContext } from './context.ts';
import type { AdminStrings } from './admin-strings.ts';
import { ADMIN, adminNav, adminStrings, filterFormFrom, filterFormOf, filtersFrom, filtersText, MEDIA_TYPES, when, type FilterForm } from './admin-parts.ts';

const PATH = `${ADMIN}/products`;

interface Form extends FilterForm {
  name: string;
  errors: Record<string, string>;
}

export function productAdminRoutes(app: FastifyInstance, desk: DeskContext): void {
  const admin = { preHandler: desk.guard('admin') };
  const store = desk.rt.store;

  const list = async (req: FastifyRequest, reply: FastifyReply, status: number, form?: Form) => {
    const a = adminStrings(req);
    const products = await store.subscribers.listProducts();
    return desk.page(
      req,
      reply,
      status,
      () => a.products,
      (csrf) => listPage(products, csrf, a, form),
    );
  };

  const one = async (req: FastifyRequest, reply: FastifyReply, status: number, product: Product, form?: Form) => {
    const a = adminStrings(req);
    const history = await store.subscribers.productHistory(product.id);
    const trail = await store.audit.list({ targetType: 'product', targetId: product.id, limit: 500 });
    return desk.page(
      req,
      reply,
      status,
      () => `${a.products}: ${product.name}`,
      (csrf) => productPage(product, history, trail, csrf, a, form),
    );
  };

  app.get('/admin/products', admin, async (req, reply) => list(req, reply, 200));

  app.post('/admin/products', admin, async (req, reply) => {
    const a = adminStrings(req);
    const form: Form = { name: text(req.body, 'name', 200).trim(), ...filterFormOf(req.body), errors: {} };
    const { filters, errors } = filtersFrom(form, a);
    form.errors = errors;
    if (!form.name) form.errors.name = a.rules.nameRequired;
    else if (await store.subscribers.getProduct(form.name)) form.errors.name = `a product named ${form.name} already exists`;
    if (!filters || Object.keys(form.errors).length) return list(req, reply, 400, form);
    const product = await desk.rt.admin.createProduct(userActor(req.user!), { name: form.name, ...filters });
    return reply.code(303).header('location', `${PATH}/${product.id}`).send();
  });

  app.get<{ Params: { id: string } }>('/admin/products/:id', admin, async (req, reply) => {
    const product = await store.subscribers.getProduct(req.params.id);
    if (!product) return reply.callNotFound();
    return one(req, reply, 200, product);
  });

  app.post<{ Params: { id: string } }>('/admin/products/:id', admin, async (req, reply) => {
    const product = await store.subscribers.getProduct(req.params.id);
    if (!product) return reply.callNotFound();
    const a = adminStrings(req);
    const form: Form = { name: product.name, ...filterFormOf(req.body), errors: {} };
    const { filters, errors } = filtersFrom(form, a);
    form.errors = errors;
    if (!filters) return one(req, reply, 400, product, form);
    try {
      await desk.rt.admin.updateProduct(userActor(req.user!), product.id, filters);
    } catch (e) {
      if (e instanceof ValidationError) {
        form.errors.languages = e.message;
        return one(req, reply, 400, product, form);
      }
      throw e;
    }
    return reply.code(303).header('location', `${PATH}/${product.id}`).send();
  });
}

/** The filter fields, shared by the create and the edit form. */
function filterFields(f: FilterForm, a: AdminStrings, errors: Record<string, string>): SafeHtml {
  const mediaError = errors.mediaTypes;
  return html`${field({ name: 'languages', label: a.languages, value: f.languages, error: errors.languages, help: a.languagesHelp, dir: 'ltr' })}
${field({ name: 'categories', label: a.categories, value: f.categories, error: errors.categories, help: a.categoriesHelp, dir: 'auto' })}
${field({ name: 'maxUrgency', label: a.maxUrgency, value: f.maxUrgency, error: errors.maxUrgency, help: a.anyUrgency, dir: 'ltr' })}
<fieldset class="field${mediaError ? ' has-error' : ''}"${mediaError ? html` aria-describedby="f-mediaTypes-error"` : ''}>
  <legend>${a.mediaTypes}</legend>
  ${MEDIA_TYPES.map(
    (m) => html`<label class="check"><input type="checkbox" name="mediaTypes" value="${m}"${f.mediaTypes.includes(m) ? html` checked` : ''}> ${m}</label>`,
  )}
  ${mediaError ? html`<p class="error" id="f-mediaTypes-error" role="alert">${mediaError}</p>` : ''}
</fieldset>
<div class="field"><label class="check"><input type="checkbox" id="f-embargoRights" name="embargoRights"${f.embargoRights ? html` checked` : ''}> ${a.embargoRights}</label></div>
${field({ name: 'delaySeconds', label: a.delaySeconds, value: f.delaySeconds, error: errors.delaySeconds, dir: 'ltr' })}`;
}

function listPage(products: Product[], csrf: string, a: AdminStrings, form?: Form): SafeHtml {
  const f: Form = form ?? { name: '', languages: '', categories: '', maxUrgency: '', mediaTypes: [], embargoRights: false, delaySeconds: '0', errors: {} };
  return html`${adminNav(a, 'products')}
<h1>${a.products}</h1>
<table>
  <caption class="skip">${a.products}</caption>
  <thead><tr><th scope="col">${a.name}</th><th scope="col">${a.filters}</th><th scope="col">${a.effectiveAt}</th></tr></thead>
  <tbody>${
    products.length === 0
      ? html`<tr><td colspan="3">${a.nothing}</td></tr>`
      : products.map(
          (p) =>
            html`<tr data-product="${p.name}"><td><a href="${PATH}/${p.id}"><bdi>${p.name}</bdi></a></td><td>${filtersText(p, a)}</td><td>${when(p.updatedAt)}</td></tr>`,
        )
  }</tbody>
</table>
<section class="panel" aria-labelledby="create-title">
  <h2 id="create-title">${a.createProduct}</h2>
  <form method="post" action="${PATH}" novalidate>
    ${csrfField(csrf)}
    ${field({ name: 'name', label: a.name, value: f.name, error: f.errors.name, required: true, dir: 'auto' })}
    ${filterFields(f, a, f.errors)}
    <button type="submit">${a.createProduct}</button>
  </form>
</section>`;
}

function productPage(p: Product, history: ProductVersion[], trail: AuditEntry[], csrf: string, a: AdminStrings, form?: Form): SafeHtml {
  const f = form ?? { ...filterFormFrom(p), name: p.name, errors: {} };
  // Who made each version: the audit entry of the create, or of the update that took effect then.
  const byWhom = (v: ProductVersion, i: number) => {
    const e =
      i === 0 ? trail.find((t) => t.action === 'product.create') : trail.find((t) => t.action === 'product.update' && t.details.effectiveAt === v.effectiveAt);
    return e ? html`<bdi>${e.actor.name}</bdi>` : a.none;
  };
  return html`${adminNav(a, 'products')}
<p><a href="${PATH}">${a.back}</a></p>
<h1><bdi>${p.name}</bdi></h1>
<section class="panel" aria-labelledby="edit-title">
  <h2 id="edit-title">${a.filters}</h2>
  <form method="post" action="${PATH}/${p.id}" novalidate>
    ${csrfField(csrf)}
    ${filterFields(f, a, f.errors)}
    <button type="submit">${a.saveFilters}</button>
  </form>
</section>
<section aria-labelledby="history-title">
  <h2 id="history-title">${a.history}</h2>
  <table class="history">
    <thead><tr><th scope="col">${a.effectiveAt}</th><th scope="col">${a.changedBy}</th><th scope="col">${a.filters}</th></tr></thead>
    <tbody>${[...history.map((v, i) => ({ v, i }))]
      .reverse()
      .map(({ v, i }) => html`<tr><td>${when(v.effectiveAt)}</td><td>${byWhom(v, i)}</td><td>${filtersText(v.product, a)}</td></tr>`)}</tbody>
  </table>
</section>`;
}
