// Search of the archive the subscriber is entitled to: the query language of GET /v1/search, with date
// range, language, category, urgency and media filters, facets with counts, highlighted snippets, pages,
// and sorting by relevance or time. The entitlement filter is the API's own (subscriberSearchFilter),
// applied inside the search so totals, pages and facet counts count only what the subscriber may see.
import type { FastifyInstance } from 'fastify';
import { subscriberSearchFilter } from '../../flow/search-access.ts';
import { directionOf } from '../../model/story.ts';
import { MAX_QUERY_LENGTH, QuerySyntaxError, type SearchFilters } from '../../search/index.ts';
import type { SearchResult } from '../../model/search.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import type { PortalContext } from './context.ts';
import { PORTAL } from './layout.ts';
import type { PortalStrings } from './strings.ts';
import { timeOf, urgencyMark } from './views.ts';

const PAGE = 20;
const MEDIA = ['text', 'photo', 'video', 'audio', 'graphic'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Form {
  q: string;
  from: string;
  to: string;
  language: string;
  category: string;
  urgency: string;
  media: string;
  sort: string;
  page: number;
}

function formOf(query: Record<string, unknown>): { form: Form; errors: Record<string, string> } {
  const get = (k: string, max = 200) => (typeof query[k] === 'string' ? (query[k] as string).slice(0, max) : '');
  const pageN = Number(get('page') || '1');
  const form: Form = {
    q: typeof query.q === 'string' ? query.q : '',
    from: get('from'),
    to: get('to'),
    language: get('language'),
    category: get('category'),
    urgency: get('urgency'),
    media: get('media'),
    sort: get('sort') === 'recency' ? 'recency' : 'relevance',
    page: Number.isInteger(pageN) && pageN >= 1 && pageN <= 500 ? pageN : 1,
  };
  const errors: Record<string, string> = {};
  if (form.q.length > MAX_QUERY_LENGTH) errors.q = `the query is ${form.q.length} characters long; the limit is ${MAX_QUERY_LENGTH}`;
  for (const k of ['from', 'to'] as const) {
    if (form[k] && (!DATE.test(form[k]) || Number.isNaN(Date.parse(form[k])))) errors[k] = 'a date is written YYYY-MM-DD';
  }
  if (!errors.from && !errors.to && form.from && form.to && form.from > form.to) errors.to = 'the end comes before the start';
  if (form.language && !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(form.language)) errors.language = 'a language is a code such as ar, tr or en';
  if (form.urgency && !/^[1-6]$/.test(form.urgency)) errors.urgency = 'urgency is a number from 1 (flash) to 6';
  if (form.media && !MEDIA.includes(form.media)) errors.media = `media is one of ${MEDIA.join(', ')}`;
  return { form, errors };
}

function linkWith(form: Form, changes: Partial<Record<keyof Form, string>>): string {
  const p = new URLSearchParams();
  const merged: Record<string, string> = { ...Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)])), page: '1', ...changes };
  for (const [k, v] of Object.entries(merged)) if (v && !(k === 'page' && v === '1') && !(k === 'sort' && v === 'relevance')) p.set(k, v);
  return `${PORTAL}/search?${p.toString()}`;
}

export function searchRoutes(app: FastifyInstance, portal: PortalContext): void {
  const { rt } = portal;

  app.get('/search', { preHandler: portal.guard() }, async (req, reply) => {
    const subscriber = portal.subscriber(req);
    const { form, errors } = formOf(req.query as Record<string, unknown>);
    let result: SearchResult | null = null;
    const searched = Object.keys(req.query as object).length > 0;
    if (searched && !Object.keys(errors).length) {
      const entitled = subscriberSearchFilter(subscriber, await rt.store.search.embargoedStoryIds(new Date())).allowed!;
      const filters: SearchFilters = {
        lang: form.language || undefined,
        categories: form.category ? [form.category] : undefined,
        from: form.from || undefined,
        to: form.to || undefined,
        urgencyMax: form.urgency ? Number(form.urgency) : undefined,
        sort: form.sort as 'relevance' | 'recency',
        limit: PAGE,
        offset: (form.page - 1) * PAGE,
        allowed: form.media ? (doc) => doc.mediaType === form.media && entitled(doc) : entitled,
      };
      try {
        result = await rt.store.search.query(form.q, filters);
      } catch (e) {
        if (!(e instanceof QuerySyntaxError)) throw e;
        errors.q = e.message;
      }
    }
    const bad = Object.keys(errors).length > 0;
    return portal.page(
      req,
      reply,
      bad ? 400 : 200,
      (t) => t.searchTitle,
      (_csrf, t) => html`<h1>${t.searchTitle}</h1>
${searchForm(form, errors, t)}
${bad ? html`<p class="error" role="alert">${t.badQuery}</p>` : ''}
${result ? results(result, form, t) : ''}`,
    );
  });
}

function searchForm(form: Form, errors: Record<string, string>, t: PortalStrings): SafeHtml {
  const err = (k: string) => (errors[k] ? html`<p class="error" id="s-${k}-error">${errors[k]}</p>` : '');
  const attrs = (k: string) => (errors[k] ? html` aria-invalid="true" aria-describedby="s-${k}-error"` : '');
  const opt = (v: string, label: string, cur: string) => html`<option value="${v}"${v === cur ? html` selected` : ''}>${label}</option>`;
  return html`<form class="search-form" method="get" action="${PORTAL}/search" role="search">
  <div class="field wide${errors.q ? ' has-error' : ''}"><label for="s-q">${t.query}</label><input id="s-q" name="q" type="search" value="${form.q}" dir="auto" aria-describedby="s-q-help${errors.q ? ' s-q-error' : ''}"${errors.q ? html` aria-invalid="true"` : ''}><p class="help" id="s-q-help">${t.queryHelp}</p>${
    errors.q ? html`<p class="error" id="s-q-error">${errors.q}</p>` : ''
  }</div>
  <div class="field${errors.from ? ' has-error' : ''}"><label for="s-from">${t.from}</label><input id="s-from" name="from" type="date" value="${form.from}"${attrs('from')}>${err('from')}</div>
  <div class="field${errors.to ? ' has-error' : ''}"><label for="s-to">${t.to}</label><input id="s-to" name="to" type="date" value="${form.to}"${attrs('to')}>${err('to')}</div>
  <div class="field${errors.language ? ' has-error' : ''}"><label for="s-language">${t.language}</label><input id="s-language" name="language" value="${form.language}" dir="ltr" size="6"${attrs('language')}>${err('language')}</div>
  <div class="field"><label for="s-category">${t.category}</label><input id="s-category" name="category" value="${form.category}" dir="auto"></div>
  <div class="field${errors.urgency ? ' has-error' : ''}"><label for="s-urgency">${t.urgency}</label><select id="s-urgency" name="urgency"${attrs('urgency')}>${opt('', t.anyValue, form.urgency)}${[
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
  ].map((u) => opt(u, `${u} · ${t.urgencies[u]}`, form.urgency))}</select>${err('urgency')}</div>
  <div class="field${errors.media ? ' has-error' : ''}"><label for="s-media">${t.mediaType}</label><select id="s-media" name="media"${attrs('media')}>${opt('', t.anyValue, form.media)}${MEDIA.map((m) => opt(m, t.mediaTypes[m] ?? m, form.media))}</select>${err('media')}</div>
  <div class="field"><label for="s-sort">${t.sort}</label><select id="s-sort" name="sort">${opt('relevance', t.sortRelevance, form.sort)}${opt('recency', t.sortTime, form.sort)}</select></div>
  <button type="submit">${t.search}</button>
</form>`;
}

function results(r: SearchResult, form: Form, t: PortalStrings): SafeHtml {
  const pages = Math.ceil(r.total / PAGE);
  const facet = (title: string, key: 'category' | 'language' | 'urgency', name: (v: string) => string) =>
    r.facets[key].length
      ? html`<div class="facet" data-facet="${key}"><h3>${title}</h3><ul>${r.facets[key].map(
          (f) =>
            html`<li><a href="${linkWith(form, { [key]: f.value })}" data-value="${f.value}">${name(f.value)}</a> <span class="count">${String(f.count)}</span></li>`,
        )}</ul></div>`
      : '';
  return html`<div class="search-results">
<aside class="facets" aria-labelledby="facets-title"><h2 id="facets-title">${t.facets}</h2>
${facet(t.category, 'category', (v) => v)}
${facet(t.language, 'language', (v) => v)}
${facet(t.urgency, 'urgency', (v) => t.urgencies[v] ?? v)}
</aside>
<section aria-labelledby="results-title"><h2 id="results-title" data-total="${String(r.total)}">${t.results(r.total)}</h2>
${
  r.hits.length
    ? html`<ol class="hits">${r.hits.map(
        (h) => html`<li data-story="${h.storyId}"><div class="marks">${urgencyMark(h.urgency, t)} ${timeOf(h.publishedAt)}</div>
<a class="headline" href="${PORTAL}/stories/${h.storyId}" lang="${h.language}" dir="${directionOf(h.language)}">${raw(h.headlineHtml)}</a>
<p class="snippet" lang="${h.language}" dir="${directionOf(h.language)}">${raw(h.snippetHtml)}</p></li>`,
      )}</ol>`
    : html`<p>${t.noResults}</p>`
}
${
  pages > 1
    ? html`<nav class="pages" aria-label="${t.results(r.total)}">${form.page > 1 ? html`<a rel="prev" href="${linkWith(form, { page: String(form.page - 1) })}">${t.previous}</a>` : ''} <span>${String(form.page)} / ${String(pages)}</span> ${
        form.page < pages ? html`<a rel="next" href="${linkWith(form, { page: String(form.page + 1) })}">${t.next}</a>` : ''
      }</nav>`
    : ''
}
</section></div>`;
}
