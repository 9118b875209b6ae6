// The desk's story lists (/desk/stories): one tab per status — drafts, submitted (the editors' review
// queue), published, embargoed, killed — by language and desk, newest change first, keyset pages
// (store.storyList, one index range per filter combination). Each row links to the story page, and
// drafts to their editor as well; both pages belong to the editor part of the desk.
import type { FastifyInstance } from 'fastify';
import type { StoryListQuery } from '../../model/store.ts';
import type { StoryListing, StoryListStatus } from '../../model/story.ts';
import type { InterfaceLanguage } from '../../model/users.ts';
import { languageOf } from '../account/pages.ts';
import { clientScriptUrl } from '../client-assets.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DeskContext } from './context.ts';
import { MONITOR_STRINGS, type MonitorStrings } from './monitor-strings.ts';
import { filterInput, filterSelect, headlineLink, LANGUAGE_TAG, param, queryString, storyUrl, timeOf, urgencyBadge } from './monitor-view.ts';
import { LANGUAGE_NAMES, type DeskStrings } from './strings.ts';

const STATUSES: StoryListStatus[] = ['draft', 'submitted', 'published', 'embargoed', 'killed'];
const PAGE = 50;
const POSITION = /^[0-9T:.\-+Z]{10,40}~[0-9a-z]{1,40}$/;

interface ListFilters {
  values: { status?: string; language?: string; desk?: string };
  query: StoryListQuery;
  errors: Record<string, string>;
}

function listFilters(q: unknown, m: MonitorStrings): ListFilters {
  const values = { status: param(q, 'status'), language: param(q, 'language'), desk: param(q, 'desk') };
  const errors: Record<string, string> = {};
  const query: StoryListQuery = { limit: PAGE };
  if (values.status) {
    if ((STATUSES as string[]).includes(values.status)) query.status = values.status as StoryListStatus;
    else errors.status = m.statusRule;
  }
  if (values.language) {
    if (LANGUAGE_TAG.test(values.language)) query.language = values.language;
    else errors.language = m.languageRule;
  }
  if (values.desk) {
    if (values.desk.length <= 100) query.desk = values.desk;
    else errors.desk = m.deskRule;
  }
  const after = param(q, 'after');
  if (after) {
    if (POSITION.test(after)) query.after = after;
    else errors.after = m.positionRule;
  }
  return { values, query, errors };
}

export function storyListRoutes(app: FastifyInstance, desk: DeskContext): void {
  app.get('/stories', { preHandler: desk.guard() }, async (req, reply) => {
    const lang = languageOf(req, req.user!);
    const m = MONITOR_STRINGS[lang];
    const f = listFilters(req.query, m);
    const bad = Object.keys(f.errors).length > 0;
    const page = bad ? { stories: [], next: null } : await desk.rt.store.storyList(f.query);
    return desk.page(
      req,
      reply,
      bad ? 400 : 200,
      () => (f.query.status ? `${m.stories}: ${m.statuses[f.query.status]}` : m.stories),
      (_csrf, t) => listPage(f, page.stories, page.next, m, t, lang),
    );
  });
}

function listPage(f: ListFilters, stories: StoryListing[], next: string | null, m: MonitorStrings, _t: DeskStrings, lang: InterfaceLanguage): SafeHtml {
  const v = f.values;
  const e = f.errors;
  const current = f.query.status;
  const keep = { language: v.language, desk: v.desk };
  const tabs: [string | undefined, string][] = [[undefined, m.all], ...STATUSES.map((s) => [s, m.statuses[s]] as [string, string])];
  const languages = new Set<string>(['ar', 'tr', 'en']);
  if (v.language && !e.language) languages.add(v.language);
  return html`<h1>${current ? html`${m.stories}: ${m.statuses[current]}` : m.stories}</h1>
<p><a href="/desk/stories/new">${m.newStory}</a></p>
<nav class="tabs" aria-label="${m.status}"><ul>${tabs.map(
    ([s, label]) =>
      html`<li><a href="/desk/stories${queryString({ status: s, ...keep })}"${s === current ? html` aria-current="page"` : ''} data-status="${s ?? 'all'}">${label}</a></li>`,
  )}</ul></nav>
${e.status ? html`<p class="error" role="alert">${m.badValue('status')} (${e.status})</p>` : ''}
${current === 'submitted' ? html`<p class="notice">${m.reviewQueue}</p>` : ''}
<form method="get" action="/desk/stories" class="filters" aria-label="${m.filters}">
  ${current ? html`<input type="hidden" name="status" value="${current}">` : ''}
  ${filterSelect(
    'language',
    m.storyLanguage,
    [['', m.any], ...[...languages].map((l) => [l, LANGUAGE_NAMES[l as InterfaceLanguage] ?? l] as [string, string])],
    e.language ? '' : v.language,
    e.language,
  )}
  ${filterInput('desk', m.desk, v.desk, e.desk)}
  <div class="actions"><button type="submit">${m.filter}</button> <a href="/desk/stories${queryString({ status: current })}">${m.clear}</a></div>
  ${e.after ? html`<p class="error" role="alert">${m.badValue('after')} (${e.after})</p>` : ''}
</form>
<table class="stories">
  <caption class="visually-hidden">${current ? m.statuses[current] : m.stories}</caption>
  <thead><tr><th scope="col">${m.headline}</th><th scope="col">${m.status}</th><th scope="col">${m.urgency}</th><th scope="col">${m.storyLanguage}</th><th scope="col">${m.desk}</th><th scope="col">${m.updated}</th></tr></thead>
  <tbody>
  ${stories.length ? stories.map((s) => listRow(s, m, lang)) : html`<tr class="empty"><td colspan="6">${m.noStories}</td></tr>`}
  </tbody>
</table>
${next ? html`<nav class="pager" aria-label="${m.older}"><a rel="next" href="/desk/stories${queryString({ status: current, ...keep, after: next })}">${m.older}</a></nav>` : ''}
<script type="module" src="${clientScriptUrl('wire')}"></script>`;
}

function listRow(s: StoryListing, m: MonitorStrings, lang: InterfaceLanguage): SafeHtml {
  const editable = s.status === 'draft' || s.listStatus === 'draft' || s.listStatus === 'submitted';
  const who = s.listStatus === 'submitted' && s.submittedBy ? s.submittedBy : s.updatedBy;
  return html`<tr data-story="${s.id}" data-status="${s.listStatus}">
  <td class="headline">${headlineLink(s.id, s.headline, s.language)}${editable ? html` <a class="edit" href="${storyUrl(s.id)}/edit">${m.edit}</a>` : ''}</td>
  <td>${m.statuses[s.listStatus] ?? s.listStatus}${s.embargoUntil && s.listStatus === 'embargoed' ? html` ${timeOf(s.embargoUntil, lang)}` : ''}</td>
  <td>${urgencyBadge(s.urgency, m)}</td>
  <td>${s.language}</td>
  <td>${s.desk ? html`<bdi>${s.desk}</bdi>` : '—'}</td>
  <td>${s.listStatus === 'submitted' ? html`${m.submittedBy} ` : ''}<bdi>${who.name}</bdi>, ${timeOf(s.updatedAt, lang)}</td>
</tr>`;
}
