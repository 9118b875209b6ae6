// Home, section and search pages: newest-first lists of public stories.
import type { SiteSummary } from '../../model/site.ts';
import type { PageChrome, SiteContext } from '../context.ts';
import { html } from '../html.ts';
import { LANGUAGES, STRINGS } from '../i18n.ts';
import { page } from '../layout.ts';
import { urls } from '../urls.ts';
import { card } from './parts.ts';

export interface ListPage {
  stories: SiteSummary[];
  /** Id to continue from for the next page, when there is one. */
  next: string | null;
  /** The section shown, or none for the home page. */
  section?: { name: string; slug: string };
  /** Set when this is a continuation page (not indexed, not live). */
  before?: string;
}

export function listPage(ctx: SiteContext, chrome: PageChrome, p: ListPage): string {
  const s = STRINGS[chrome.lang];
  const lang = chrome.lang;
  const path = p.section ? urls.category(lang, p.section.slug) : urls.home(lang);
  const [lead, ...rest] = p.before ? [undefined, ...p.stories] : p.stories;
  const title = p.section ? p.section.name : s.siteName;
  const main = html`<h1 class="${p.section ? 'page-title' : 'visually-hidden'}">${p.section ? html`<bdi>${p.section.name}</bdi>` : s.latest}</h1>
${lead ? card(lead, lang, { lead: true }) : ''}
${p.stories.length === 0 ? html`<p>${s.noStories}</p>` : ''}
${
  rest.length
    ? html`<section aria-labelledby="latest-h"><h2 id="latest-h" class="${p.section || p.before ? 'visually-hidden' : 'page-title'}">${s.latest}</h2>
<ul class="grid">${rest.map((x) => card(x!, lang))}</ul></section>`
    : ''
}
${p.next ? html`<p class="pager"><a href="${path}?before=${p.next}" rel="next">${s.olderStories}</a></p>` : ''}`;
  return page(
    ctx,
    { ...chrome, currentSection: p.section?.slug, isHome: !p.section && !p.before },
    {
      title,
      description: s.latest,
      canonical: p.before ? `${path}?before=${p.before}` : path,
      alternates: p.section ? [] : [...LANGUAGES.map((l) => ({ lang: l, path: urls.home(l) })), { lang: 'x-default', path: '/' }],
      feed: { title: `${s.siteName} – ${title}`, path: p.section ? urls.categoryFeed(lang, p.section.slug) : urls.feed(lang) },
      live: !p.before,
      noindex: !!p.before,
    },
    main,
  );
}

/** `results` null: no query yet; `invalid`: the query did not parse (the page says so instead of listing). */
/** One page of search results: the cards, how many matched in all, and which page of how many. */
export interface SearchResults {
  items: SiteSummary[];
  total: number;
  page: number;
  pages: number;
}

export function searchPage(ctx: SiteContext, chrome: PageChrome, q: string, results: SearchResults | null, invalid = false): string {
  const s = STRINGS[chrome.lang];
  const main = html`<h1 class="page-title">${s.search}</h1>
<form class="search" role="search" action="/search" method="get">
<input type="hidden" name="lang" value="${chrome.lang}">
<label class="visually-hidden" for="q">${s.searchLabel}</label>
<input id="q" name="q" type="search" value="${q}" maxlength="200" placeholder="${s.searchLabel}" dir="auto">
<button class="primary" type="submit">${s.searchButton}</button>
</form>
${invalid ? html`<p class="notice" role="alert">${s.searchInvalid}</p>` : ''}
${
  results === null
    ? ''
    : html`<p role="status">${results.total ? s.searchResults(results.total) : s.searchNone}</p>
<ul class="grid">${results.items.map((x) => card(x, chrome.lang))}</ul>
${results.page > 1 || results.page < results.pages ? html`<p class="pager">${results.page > 1 ? html`<a href="${urls.search(chrome.lang, q, results.page - 1)}" rel="prev">${s.previousResults}</a> ` : ''}${results.page < results.pages ? html`<a href="${urls.search(chrome.lang, q, results.page + 1)}" rel="next">${s.nextResults}</a>` : ''}</p>` : ''}`
}`;
  return page(ctx, chrome, { title: q ? `${s.search}: ${q}` : s.search, canonical: urls.search(chrome.lang), noindex: !!q, alternates: [] }, main);
}
