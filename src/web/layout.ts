// The page shell: <html lang dir>, head metadata (canonical, hreflang, OpenGraph, Twitter, JSON-LD,
// feeds), the masthead with landmarks and a skip link, and the footer.
import { html, raw, scriptJson, type SafeHtml } from './html.ts';
import { dirOf, LANGUAGES, NATIVE_NAMES, STRINGS, type Lang } from './i18n.ts';
import { absolute, urls } from './urls.ts';
import type { PageChrome, SiteContext } from './context.ts';

export interface PageMeta {
  title: string;
  description?: string | null;
  /** Site path of the canonical URL. */
  canonical?: string;
  /** hreflang alternates: language tag → site path. */
  alternates?: { lang: string; path: string }[];
  og?: { type: 'website' | 'article'; image?: string | null; publishedTime?: string; modifiedTime?: string; section?: string };
  jsonLd?: unknown;
  feed?: { title: string; path: string };
  /** Subscribes the page to the public stream for the "new stories" bar. */
  live?: boolean;
  noindex?: boolean;
}

const OG_LOCALES: Record<Lang, string> = { ar: 'ar_AR', tr: 'tr_TR', en: 'en_GB' };

function head(ctx: SiteContext, chrome: PageChrome, meta: PageMeta): SafeHtml {
  const s = STRINGS[chrome.lang];
  const title = meta.title === s.siteName ? s.siteName : `${meta.title} – ${s.siteName}`;
  const image = meta.og?.image ? absolute(ctx.base, meta.og.image) : absolute(ctx.base, ctx.assets.logo);
  return html`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${meta.description ? html`<meta name="description" content="${meta.description}">` : ''}
${meta.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="${ctx.assets.css}">
${chrome.lang === 'ar' ? html`<link rel="preload" href="/static/fonts/noto-naskh-arabic-arabic-400-normal.woff2" as="font" type="font/woff2" crossorigin>` : ''}
${meta.canonical ? html`<link rel="canonical" href="${absolute(ctx.base, meta.canonical)}">` : ''}
${(meta.alternates ?? []).map(
  (a) => html`<link rel="alternate" hreflang="${a.lang}" href="${absolute(ctx.base, a.path)}">
`,
)}${meta.feed ? html`<link rel="alternate" type="application/atom+xml" title="${meta.feed.title}" href="${absolute(ctx.base, meta.feed.path)}">` : ''}
<meta property="og:site_name" content="${s.siteName}">
<meta property="og:locale" content="${OG_LOCALES[chrome.lang]}">
<meta property="og:type" content="${meta.og?.type ?? 'website'}">
<meta property="og:title" content="${meta.title}">
${meta.description ? html`<meta property="og:description" content="${meta.description}">` : ''}
${meta.canonical ? html`<meta property="og:url" content="${absolute(ctx.base, meta.canonical)}">` : ''}
<meta property="og:image" content="${image}">
${meta.og?.publishedTime ? html`<meta property="article:published_time" content="${meta.og.publishedTime}">` : ''}
${meta.og?.modifiedTime ? html`<meta property="article:modified_time" content="${meta.og.modifiedTime}">` : ''}
${meta.og?.section ? html`<meta property="article:section" content="${meta.og.section}">` : ''}
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${meta.title}">
${meta.description ? html`<meta name="twitter:description" content="${meta.description}">` : ''}
<meta name="twitter:image" content="${image}">
${meta.jsonLd ? html`<script type="application/ld+json">${scriptJson(meta.jsonLd)}</script>` : ''}
${meta.live ? html`<script src="${ctx.assets.live}" defer></script>` : ''}`;
}

function masthead(chrome: PageChrome): SafeHtml {
  const s = STRINGS[chrome.lang];
  const links = chrome.languageLinks ?? {};
  return html`<header class="masthead" role="banner"><div class="wrap">
<a class="brand" href="${urls.home(chrome.lang)}">${s.siteName}<small>${s.tagline}</small></a>
<div class="tools">
<nav aria-label="${s.languages}"><ul class="langs">${LANGUAGES.map((l) => html`<li><a href="${links[l] ?? urls.home(l)}" lang="${l}" hreflang="${l}"${l === chrome.lang ? raw(' aria-current="true"') : ''}>${NATIVE_NAMES[l]}</a></li>`)}</ul></nav>
<a href="${urls.search(chrome.lang)}">${s.search}</a>
<a class="btn" href="${urls.subscribe(chrome.lang)}">${s.subscribe}</a>
</div></div></header>
<nav class="sections" aria-label="${s.categories}"><div class="wrap"><ul>
<li><a href="${urls.home(chrome.lang)}"${chrome.isHome ? raw(' aria-current="page"') : ''}>${s.home}</a></li>
${chrome.sections.map((c) => html`<li><a href="${urls.category(chrome.lang, c.slug)}"${c.slug === chrome.currentSection ? raw(' aria-current="page"') : ''}><bdi>${c.name}</bdi></a></li>`)}
</ul></div></nav>`;
}

function footer(chrome: PageChrome): SafeHtml {
  const s = STRINGS[chrome.lang];
  return html`<footer class="site" role="contentinfo"><div class="wrap">
<ul><li><a href="${urls.subscribe(chrome.lang)}">${s.subscribe}</a></li><li><a href="${urls.feed(chrome.lang)}">${s.feed}</a></li><li><a href="/sitemap.xml">Sitemap</a></li></ul>
<p>© ${s.siteName}. ${s.footer}</p>
</div></footer>`;
}

/** The "new stories" bar, hidden until the live script fills it. */
function liveBar(lang: Lang): SafeHtml {
  const s = STRINGS[lang];
  return html`<div id="new-stories" class="live" role="status" aria-live="polite" hidden data-one="${s.newStories(1)}" data-many="${s.newStories(2).replace('2', '{n}')}"><span data-label></span><button type="button">${s.showNew}</button></div>`;
}

/** A whole HTML document. */
export function page(ctx: SiteContext, chrome: PageChrome, meta: PageMeta, main: SafeHtml): string {
  const s = STRINGS[chrome.lang];
  return html`<!doctype html>
<html lang="${chrome.lang}" dir="${dirOf(chrome.lang)}"${meta.live ? html` data-stream="${urls.stream(chrome.lang)}"` : ''}>
<head>
${head(ctx, chrome, meta)}
</head>
<body>
<a class="skip" href="#main">${s.skip}</a>
${meta.live ? liveBar(chrome.lang) : ''}
${masthead(chrome)}
<main id="main" class="wrap" tabindex="-1">
${main}
</main>
${footer(chrome)}
</body>
</html>
`.value;
}
