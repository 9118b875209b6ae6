// Each public page as data in, Rendered out: reads the site store, abbreviates, renders. No HTTP here
// beyond status codes, so the routes stay thin and the cache can wrap every view the same way.
import { isId } from '../model/ids.ts';
import { QuerySyntaxError } from '../search/index.ts';
import type { StoreSearch } from '../model/search.ts';
import type { SiteStore, SiteSummary } from '../model/site.ts';
import { abbreviate } from './abbreviate.ts';
import type { Rendered } from './cache.ts';
import type { PageChrome, SiteContext } from './context.ts';
import { atomFeed, newsSitemap, SITEMAP_PAGE, sitemapIndex, urlSet } from './feeds.ts';
import { editionOf, LANGUAGES, STRINGS, type Lang } from './i18n.ts';
import { errorPage, type ErrorKind } from './pages/errors.ts';
import { listPage, searchPage, type SearchResults } from './pages/lists.ts';
import { storyPage } from './pages/story.ts';
import { subscribePage, type SubscribeState } from './pages/subscribe.ts';
import { searchPublic } from './public-search.ts';
import { urls } from './urls.ts';

const HTML = 'text/html; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const XML = 'application/xml; charset=utf-8';
// Short browser/CDN lifetimes: the server cache already makes pages cheap, and news must not go stale.
export const PAGE_CACHE = 'public, max-age=15, stale-while-revalidate=60';
const FEED_CACHE = 'public, max-age=60, stale-while-revalidate=120';
const ERROR_CACHE = 'public, max-age=15';

const LIST_SIZE = 25;
const FEED_SIZE = 30;
const SEARCH_SIZE = 50;

function newest(items: { updatedAt: string }[]): string | undefined {
  return items.reduce<string | undefined>((m, s) => (!m || s.updatedAt > m ? s.updatedAt : m), undefined);
}

export class SiteViews {
  private sectionMemo = new Map<Lang, Promise<PageChrome['sections']>>();

  constructor(
    private readonly site: SiteStore,
    private readonly ctx: SiteContext,
    private readonly index: Pick<StoreSearch, 'query' | 'embargoedStoryIds'>,
  ) {}

  /** Forgets derived data; called whenever the flow log moves. */
  invalidate(): void {
    this.sectionMemo.clear();
  }

  private async chrome(lang: Lang): Promise<PageChrome> {
    let sections = this.sectionMemo.get(lang);
    if (!sections) {
      sections = this.site.categories(lang, 8).then((cs) => cs.map(({ name, slug }) => ({ name, slug })));
      this.sectionMemo.set(lang, sections);
      sections.catch(() => this.sectionMemo.delete(lang));
    }
    return { lang, sections: await sections };
  }

  async error(lang: Lang, kind: ErrorKind, status: number): Promise<Rendered> {
    return { status, type: HTML, body: errorPage(this.ctx, await this.chrome(lang), kind, status), cacheControl: ERROR_CACHE };
  }

  async home(lang: Lang, before?: string): Promise<Rendered> {
    if (before !== undefined && !isId(before)) return this.error(lang, 'bad-request', 400);
    const rows = await this.site.latest({ language: lang, limit: LIST_SIZE + 1, before });
    const stories = rows.slice(0, LIST_SIZE);
    const next = rows.length > LIST_SIZE ? stories[stories.length - 1].id : null;
    return {
      status: 200,
      type: HTML,
      cacheControl: PAGE_CACHE,
      lastModified: new Date().toISOString(),
      body: listPage(this.ctx, await this.chrome(lang), { stories, next, before }),
    };
  }

  async category(lang: Lang, slug: string, before?: string): Promise<Rendered> {
    if (before !== undefined && !isId(before)) return this.error(lang, 'bad-request', 400);
    const rows = await this.site.latest({ language: lang, category: slug, limit: LIST_SIZE + 1, before });
    const name = rows[0]?.categories.find((c) => c.slug === slug)?.name;
    if (!name) return this.error(lang, 'not-found', 404);
    const stories = rows.slice(0, LIST_SIZE);
    const next = rows.length > LIST_SIZE ? stories[stories.length - 1].id : null;
    return {
      status: 200,
      type: HTML,
      cacheControl: PAGE_CACHE,
      lastModified: new Date().toISOString(),
      body: listPage(this.ctx, await this.chrome(lang), { stories, next, before, section: { name, slug } }),
    };
  }

  /** The story page; a redirect when the URL is not the canonical one (old slug, wrong edition). */
  async story(lang: Lang, slug: string, id: string): Promise<Rendered> {
    if (!isId(id)) return this.error(lang, 'not-found', 404);
    const found = await this.site.story(id);
    if (!found || !this.isPublicNow(found.summary)) {
      if (found?.summary.killed) return { ...(await this.error(editionOf(found.summary.language), 'withdrawn', 410)), cacheControl: 'public, max-age=300' };
      return this.error(lang, 'not-found', 404);
    }
    const { summary, version } = found;
    const canonical = urls.story(summary);
    if (editionOf(summary.language) !== lang || slug !== summary.slug) {
      return { status: 301, type: HTML, body: '', cacheControl: PAGE_CACHE, headers: { location: canonical } };
    }
    const translations = summary.translationGroup ? await this.site.translations(summary.translationGroup) : [];
    const story = abbreviate(version, { budget: this.ctx.budget, mediaMaxWidth: this.ctx.mediaMaxWidth });
    return {
      status: 200,
      type: HTML,
      cacheControl: PAGE_CACHE,
      lastModified: newest([summary, ...translations]),
      body: storyPage(this.ctx, await this.chrome(lang), { story, summary, translations, agency: STRINGS[lang].siteName }),
    };
  }

  /** One page (1-based) of search results, SEARCH_SIZE to a page, matched only on what public pages show.
   *  Hits become the site's own cards (read model headline, deck, dates): no snippet is cut from any body. */
  async search(lang: Lang, q: string, pageNo = 1): Promise<Rendered> {
    const query = q.trim();
    const render = async (status: number, results: SearchResults | null, invalid = false): Promise<Rendered> => ({
      status,
      type: HTML,
      cacheControl: status === 200 ? PAGE_CACHE : ERROR_CACHE,
      body: searchPage(this.ctx, await this.chrome(lang), query, results, invalid),
    });
    if (!query) return render(200, null);
    const now = new Date();
    let ids: string[];
    let total: number;
    try {
      // Matched on what the public pages show, never on the subscribers' part of a story (public-search.ts).
      const publicOf = async (candidates: string[]) =>
        new Set((await this.site.publicSummaries(candidates, now)).filter((s) => this.isPublicNow(s)).map((s) => s.id));
      const found = await searchPublic(
        this.index,
        this.site,
        this.ctx.budget,
        { text: query, lang, limit: SEARCH_SIZE, offset: (pageNo - 1) * SEARCH_SIZE, now },
        publicOf,
      );
      ids = found.ids;
      total = found.total;
    } catch (e) {
      if (e instanceof QuerySyntaxError) return render(400, null, true);
      throw e;
    }
    const items = (await this.site.publicSummaries(ids, now)).filter((s) => this.isPublicNow(s));
    return render(200, { items, total, page: pageNo, pages: Math.max(1, Math.ceil(total / SEARCH_SIZE)) });
  }

  async subscribe(lang: Lang, state: SubscribeState = {}): Promise<Rendered> {
    const status = state.retryInMinutes !== undefined ? 429 : state.invalid || state.tooLong?.length ? 400 : 200;
    return {
      status,
      type: HTML,
      cacheControl: status === 200 ? PAGE_CACHE : 'no-store',
      body: subscribePage(this.ctx, await this.chrome(lang), state),
    };
  }

  async feed(lang: Lang, categorySlug?: string): Promise<Rendered> {
    const rows = await this.site.latest({ language: lang, category: categorySlug, limit: FEED_SIZE });
    const section = categorySlug ? rows[0]?.categories.find((c) => c.slug === categorySlug) : undefined;
    if (categorySlug && !section) return { status: 404, type: 'text/plain; charset=utf-8', body: 'no such feed\n', cacheControl: ERROR_CACHE };
    const entries = [];
    for (const summary of rows) {
      const found = await this.site.story(summary.id);
      if (found) entries.push({ summary, version: found.version });
    }
    const s = STRINGS[lang];
    const body = atomFeed(this.ctx, {
      lang,
      entries,
      title: section ? `${s.siteName} – ${section.name}` : `${s.siteName} – ${s.latest}`,
      selfPath: section ? urls.categoryFeed(lang, section.slug) : urls.feed(lang),
      htmlPath: section ? urls.category(lang, section.slug) : urls.home(lang),
      idPart: section ? `feed:${lang}:${section.slug}` : `feed:${lang}`,
    });
    return { status: 200, type: ATOM, body, cacheControl: FEED_CACHE, lastModified: newest(rows) };
  }

  async sitemapIndex(): Promise<Rendered> {
    const n = await this.site.countPublic();
    return { status: 200, type: XML, body: sitemapIndex(this.ctx, Math.max(1, Math.ceil(n / SITEMAP_PAGE))), cacheControl: FEED_CACHE };
  }

  async sitemapPages(): Promise<Rendered> {
    const entries: { path: string }[] = [];
    for (const lang of LANGUAGES) {
      entries.push({ path: urls.home(lang) }, { path: urls.subscribe(lang) });
      for (const c of await this.site.categories(lang, 100)) entries.push({ path: urls.category(lang, c.slug) });
    }
    return { status: 200, type: XML, body: urlSet(this.ctx, entries), cacheControl: FEED_CACHE };
  }

  async sitemapStories(part: number): Promise<Rendered | null> {
    const rows = await this.site.sitemap((part - 1) * SITEMAP_PAGE, SITEMAP_PAGE);
    if (!rows.length && part > 1) return null;
    return {
      status: 200,
      type: XML,
      cacheControl: FEED_CACHE,
      lastModified: newest(rows),
      body: urlSet(
        this.ctx,
        rows.map((s) => ({ path: urls.story(s), lastmod: s.updatedAt })),
      ),
    };
  }

  async newsSitemap(): Promise<Rendered> {
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const rows = (await this.site.latest({ limit: 1000 })).filter((s) => s.publishedAt >= since);
    return { status: 200, type: XML, body: newsSitemap(this.ctx, rows), cacheControl: FEED_CACHE, lastModified: newest(rows) };
  }

  private isPublicNow(s: SiteSummary): boolean {
    return !s.killed && (!s.embargoUntil || Date.parse(s.embargoUntil) <= Date.now());
  }
}
