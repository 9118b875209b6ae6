// Atom feeds (RFC 4287) and sitemaps. Feeds are written by the formats module's Atom serializer, but
// it is handed a public copy of each version whose body is already abbreviated (plus the call to
// subscribe) and whose text is cleaned: whatever it renders, the full text is not there to render.
import { toAtom } from '../formats/atom.ts';
import { readerCategories } from '../formats/archive-jsonl.ts';
import type { Block, StoryVersion } from '../model/story.ts';
import type { SiteSummary } from '../model/site.ts';
import { publicImage } from '../model/media.ts';
import { abbreviateBody, type Budget } from './abbreviate.ts';
import type { SiteContext } from './context.ts';
import { cleanText, html, safeUrl } from './html.ts';
import { editionOf, STRINGS, type Lang } from './i18n.ts';
import { absolute, urls } from './urls.ts';

/** A stable Atom id (RFC 4151 tag URI), independent of slugs. */
function tagId(ctx: SiteContext, what: string): string {
  return `tag:${new URL(ctx.base).hostname},2026:${what}`;
}

/** The version as the public may see it: abbreviated body ending with the call to subscribe, safe photos, clean text. */
export function publicVersion(ctx: SiteContext, v: StoryVersion, budget: Budget): StoryVersion {
  const c = v.content;
  const lang = editionOf(c.language);
  const clean = (b: Block): Block => (b.type === 'list' ? { ...b, items: b.items.map(cleanText) } : { ...b, text: cleanText(b.text) });
  const body = abbreviateBody(c.body, c.language, budget).blocks.map(clean);
  body.push({ type: 'paragraph', text: `${STRINGS[lang].ctaButton}: ${absolute(ctx.base, urls.subscribe(lang))}` });
  return {
    ...v,
    correctionNote: v.correctionNote ? cleanText(v.correctionNote) : null,
    killReason: null,
    content: {
      ...c,
      headline: cleanText(c.headline),
      deck: c.deck ? cleanText(c.deck) : c.deck,
      body,
      byline: c.byline.map((p) => ({ ...p, name: cleanText(p.names?.[c.language] ?? p.name) })),
      categories: readerCategories(c.categories, c.language).map(cleanText),
      photos: c.photos.flatMap((p) => {
        // Uploaded photos: a small public rendition only; the original and the rendition list stay private.
        const image = publicImage(p, ctx.mediaMaxWidth);
        const url = safeUrl(image?.url);
        if (!image || !url) return [];
        const { mediaId: _id, renditions: _r, ...rest } = p;
        const shown = { ...rest, url: absolute(ctx.base, url), caption: p.caption ? cleanText(p.caption) : p.caption };
        if (p.mediaId) {
          shown.width = image.width ?? undefined;
          shown.height = image.height ?? undefined;
          shown.mimeType = 'image/webp';
        }
        return [shown];
      }),
    },
  };
}

export interface FeedEntry {
  summary: SiteSummary;
  version: StoryVersion;
}

export function atomFeed(
  ctx: SiteContext,
  opts: { lang: Lang; title: string; selfPath: string; htmlPath: string; idPart: string; entries: FeedEntry[] },
): string {
  const links = new Map(opts.entries.map((e) => [e.version.storyId, absolute(ctx.base, urls.story(e.summary))]));
  return toAtom(
    {
      id: tagId(ctx, opts.idPart),
      title: cleanText(opts.title),
      link: absolute(ctx.base, opts.selfPath),
      alternate: absolute(ctx.base, opts.htmlPath),
      language: opts.lang,
      author: STRINGS[opts.lang].siteName,
    },
    opts.entries.map((e) => publicVersion(ctx, e.version, ctx.budget)),
    {
      baseUrl: ctx.base,
      entryLink: (v) => links.get(v.storyId) ?? absolute(ctx.base, urls.home(opts.lang)),
    },
  );
}

/** Stories per sitemap file (the protocol allows 50,000; smaller files regenerate faster). */
export const SITEMAP_PAGE = 10_000;

export function sitemapIndex(ctx: SiteContext, storyPages: number): string {
  const files = ['/sitemaps/pages.xml', ...Array.from({ length: storyPages }, (_, i) => `/sitemaps/stories-${i + 1}.xml`)];
  return html`<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${files.map(
  (f) => html`<sitemap><loc>${absolute(ctx.base, f)}</loc></sitemap>
`,
)}</sitemapindex>
`.value;
}

export function urlSet(ctx: SiteContext, entries: { path: string; lastmod?: string }[]): string {
  return html`<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.map(
  (e) => html`<url><loc>${absolute(ctx.base, e.path)}</loc>${e.lastmod ? html`<lastmod>${e.lastmod}</lastmod>` : ''}</url>
`,
)}</urlset>
`.value;
}

/** Google News sitemap: stories of the last two days, at most 1,000. */
export function newsSitemap(ctx: SiteContext, stories: SiteSummary[]): string {
  return html`<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${stories.map(
  (
    s,
  ) => html`<url><loc>${absolute(ctx.base, urls.story(s))}</loc><news:news><news:publication><news:name>${STRINGS[editionOf(s.language)].siteName}</news:name><news:language>${s.language}</news:language></news:publication><news:publication_date>${s.publishedAt}</news:publication_date><news:title>${s.headline}</news:title></news:news></url>
`,
)}</urlset>
`.value;
}
