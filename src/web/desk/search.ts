// The archive search of the desk (/desk/search): the same query language and Arabic analysis as
// GET /v1/search (the store's one index), over everything — staff are entitled to the whole archive, so
// no entitlement filter —, with facets as links that refine, highlighted snippets and pages. A story
// under embargo or killed since is marked. A query that cannot be read is answered next to the field.
import type { FastifyInstance } from 'fastify';
import type { SearchFilters, SearchHit, SearchResult } from '../../model/search.ts';
import type { InterfaceLanguage } from '../../model/users.ts';
import { MAX_QUERY_LENGTH, QuerySyntaxError } from '../../search/index.ts';
import { languageOf } from '../account/pages.ts';
import { clientScriptUrl } from '../client-assets.ts';
import { cleanText, html, raw, type SafeHtml } from '../html.ts';
import type { DeskContext } from './context.ts';
import { MONITOR_STRINGS, type MonitorStrings } from './monitor-strings.ts';
import { categoryLabel, LANGUAGE_TAG, param, queryString, storyUrl, timeOf, urgencyBadge } from './monitor-view.ts';
import { directionOf } from '../../model/story.ts';

const PAGE = 20;

interface SearchForm {
  values: { q: string; lang?: string; category?: string; urgency?: string; page: number };
  errors: Record<string, string>;
}

function searchForm(query: unknown, m: MonitorStrings): SearchForm {
  const q = param(query, 'q') ?? '';
  const values = { q, lang: param(query, 'lang'), category: param(query, 'category'), urgency: param(query, 'urgency'), page: 1 };
  const errors: Record<string, string> = {};
  if (q.length > MAX_QUERY_LENGTH) errors.q = m.queryTooLong(q.length, MAX_QUERY_LENGTH);
  if (values.lang && !LANGUAGE_TAG.test(values.lang)) errors.lang = m.languageRule;
  if (values.category && values.category.length > 200) errors.category = m.categoryRule;
  if (values.urgency && !/^[1-9]$/.test(values.urgency)) errors.urgency = m.urgencyRule;
  const page = param(query, 'page');
  if (page) {
    if (/^[1-9][0-9]{0,3}$/.test(page) && Number(page) <= 1000) values.page = Number(page);
    else errors.page = m.pageRule;
  }
  return { values, errors };
}

interface Marks {
  killed: Set<string>;
  embargoed: Set<string>;
}

export function archiveSearchRoutes(app: FastifyInstance, desk: DeskContext): void {
  const store = desk.rt.store;
  app.get('/search', { preHandler: desk.guard() }, async (req, reply) => {
    const lang = languageOf(req, req.user!);
    const m = MONITOR_STRINGS[lang];
    const form = searchForm(req.query, m);
    let result: SearchResult | null = null;
    const marks: Marks = { killed: new Set(), embargoed: new Set() };
    const v = form.values;
    // An empty form is the search page itself; anything typed or picked runs the query.
    const asked = v.q.trim() !== '' || v.lang || v.category || v.urgency;
    if (asked && !Object.keys(form.errors).length) {
      const filters: SearchFilters = {
        lang: v.lang,
        categories: v.category ? [v.category] : undefined,
        urgencyMin: v.urgency ? Number(v.urgency) : undefined,
        urgencyMax: v.urgency ? Number(v.urgency) : undefined,
        limit: PAGE,
        offset: (v.page - 1) * PAGE,
      };
      try {
        result = await store.search.query(v.q, filters);
      } catch (e) {
        if (!(e instanceof QuerySyntaxError)) throw e;
        form.errors.q = m.queryError(e.message);
      }
      if (result) {
        const embargoed = await store.search.embargoedStoryIds(new Date());
        for (const h of result.hits) {
          if (embargoed.has(h.storyId)) marks.embargoed.add(h.storyId);
          // Kills take a story out of the index; one killed between indexing and this read is still told.
          const story = await store.getStory(h.storyId);
          if (story?.status === 'killed') marks.killed.add(h.storyId);
        }
      }
    }
    return desk.page(
      req,
      reply,
      Object.keys(form.errors).length ? 400 : 200,
      () => m.search,
      () => searchPage(form, result, marks, m, lang),
    );
  });
}

function searchPage(form: SearchForm, result: SearchResult | null, marks: Marks, m: MonitorStrings, lang: InterfaceLanguage): SafeHtml {
  const v = form.values;
  const e = form.errors;
  const base = { q: v.q, lang: v.lang, category: v.category, urgency: v.urgency };
  const link = (change: Record<string, string | number | undefined>) => `/desk/search${queryString({ ...base, ...change })}`;
  const describedBy = ['search-help', e.q ? 'search-error' : ''].filter(Boolean).join(' ');
  const otherErrors = Object.entries(e).filter(([k]) => k !== 'q');
  return html`<h1>${m.search}</h1>
<form method="get" action="/desk/search" role="search" class="search">
  <div class="field${e.q ? ' has-error' : ''}">
    <label for="search-q">${m.query}</label>
    <input id="search-q" type="search" name="q" value="${v.q}" dir="auto" aria-describedby="${describedBy}"${e.q ? html` aria-invalid="true"` : ''}>
    <p class="help" id="search-help" dir="ltr">${m.queryHelp}</p>
    ${e.q ? html`<p class="error" id="search-error" role="alert">${e.q}</p>` : ''}
  </div>
  ${v.lang && !e.lang ? html`<input type="hidden" name="lang" value="${v.lang}">` : ''}
  ${v.category && !e.category ? html`<input type="hidden" name="category" value="${v.category}">` : ''}
  ${v.urgency && !e.urgency ? html`<input type="hidden" name="urgency" value="${v.urgency}">` : ''}
  <button type="submit">${m.search}</button>
  ${otherErrors.map(([k, msg]) => html`<p class="error" role="alert">${m.badValue(k)} (${msg})</p>`)}
</form>
${result ? results(result, form, marks, m, lang, link) : ''}
<script type="module" src="${clientScriptUrl('wire')}"></script>`;
}

function results(
  r: SearchResult,
  form: SearchForm,
  marks: Marks,
  m: MonitorStrings,
  lang: InterfaceLanguage,
  link: (change: Record<string, string | number | undefined>) => string,
): SafeHtml {
  const v = form.values;
  const pages = Math.min(1000, Math.ceil(r.total / PAGE));
  const facet = (
    title: string,
    name: 'lang' | 'category' | 'urgency',
    counts: { value: string; count: number }[],
    label: (value: string) => SafeHtml | string,
  ) => {
    const chosen = v[name];
    return html`<section class="facet" aria-labelledby="facet-${name}">
  <h3 id="facet-${name}">${title}</h3>
  ${chosen ? html`<p class="chosen">${label(chosen)} · <a href="${link({ [name]: undefined, page: undefined })}">${m.removeFilter}</a></p>` : ''}
  <ul>${counts.map(
    (c) =>
      html`<li><a href="${link({ [name]: c.value, page: undefined })}"${c.value === chosen ? html` aria-current="true"` : ''}>${label(c.value)}</a> <span class="count">(${c.count})</span></li>`,
  )}</ul>
</section>`;
  };
  return html`<div class="search-results">
<aside class="facets" aria-labelledby="facets-title">
  <h2 id="facets-title">${m.facets}</h2>
  ${facet(m.storyLanguage, 'lang', r.facets.language, (l) => l)}
  ${facet(m.category, 'category', r.facets.category, (c) => categoryLabel(c))}
  ${facet(m.urgency, 'urgency', r.facets.urgency, (u) => urgencyBadge(Number(u), m))}
</aside>
<section class="hits" aria-labelledby="results-title">
  <h2 id="results-title">${m.results(r.total)}</h2>
  ${r.hits.length ? html`<ol class="hits">${r.hits.map((h) => hit(h, marks, m, lang))}</ol>` : html`<p>${m.noResults}</p>`}
  ${
    pages > 1
      ? html`<nav class="pager" aria-label="${m.pageOf(v.page)}">
    ${v.page > 1 ? html`<a rel="prev" href="${link({ page: v.page - 1 })}">${m.previous}</a>` : ''}
    <span>${m.pageOf(v.page)} / ${pages}</span>
    ${v.page < pages ? html`<a rel="next" href="${link({ page: v.page + 1 })}">${m.next}</a>` : ''}
  </nav>`
      : ''
  }
</section>
</div>`;
}

function hit(h: SearchHit, marks: Marks, m: MonitorStrings, lang: InterfaceLanguage): SafeHtml {
  const dir = directionOf(h.language);
  // headlineHtml and snippetHtml come escaped from the index with only <mark> added; bidi controls
  // are dropped from them as from every other story text.
  return html`<li data-story="${h.storyId}"${marks.killed.has(h.storyId) ? html` class="killed"` : ''}>
  <h3><a href="${storyUrl(h.storyId)}" lang="${h.language}" dir="${dir}">${raw(cleanText(h.headlineHtml || '—'))}</a></h3>
  <p class="meta">${urgencyBadge(h.urgency, m)} · ${h.language} · ${h.categories.map((c, i) => html`${i ? ', ' : ''}${categoryLabel(c)}`)} · ${m.published} ${timeOf(h.publishedAt, lang)}${
    marks.killed.has(h.storyId) ? html` <span class="tag killed">${m.killedMark}</span>` : ''
  }${marks.embargoed.has(h.storyId) ? html` <span class="tag embargoed">${m.embargoedMark}</span>` : ''}</p>
  <p class="snippet" lang="${h.language}" dir="${dir}">${raw(cleanText(h.snippetHtml))}</p>
</li>`;
}
