// The story page: the abbreviated story, the call to subscribe, and its metadata for search engines
// and social cards. Only `PublicStory` (already abbreviated) reaches this file.
import type { SiteSummary } from '../../model/site.ts';
import type { PublicStory } from '../abbreviate.ts';
import type { PageChrome, SiteContext } from '../context.ts';
import { cleanText, html, safeUrl } from '../html.ts';
import { editionOf, NATIVE_NAMES, STRINGS, type Lang } from '../i18n.ts';
import { page } from '../layout.ts';
import { absolute, urls } from '../urls.ts';
import { block, inline } from './parts.ts';

/** schema.org NewsArticle: only the public fields (no articleBody: the body is for subscribers). */
export function newsArticleJsonLd(ctx: SiteContext, st: PublicStory, summary: SiteSummary, agency: string) {
  const url = absolute(ctx.base, urls.story(summary));
  const photo = safeUrl(st.photo?.url);
  const publisher = { '@type': 'Organization', name: agency, logo: { '@type': 'ImageObject', url: absolute(ctx.base, ctx.assets.logo) } };
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    headline: cleanText(st.headline),
    ...(st.deck ? { description: cleanText(st.deck) } : {}),
    inLanguage: st.language,
    datePublished: st.published.iso,
    dateModified: st.updated?.iso ?? st.published.iso,
    author: st.byline.length ? st.byline.map((name) => ({ '@type': 'Person', name: cleanText(name) })) : [publisher],
    publisher,
    image: [absolute(ctx.base, photo ?? ctx.assets.logo)],
    ...(st.categories.length ? { articleSection: st.categories.map(cleanText) } : {}),
    ...(st.hashtags.length ? { keywords: st.hashtags.map(cleanText).join(', ') } : {}),
  };
}

function dateline(st: PublicStory): string {
  const d = st.dateline;
  if (!d) return '';
  // Latin-script agencies write the place in capitals; the locale keeps Turkish İ/ı right (İSTANBUL, IĞDIR).
  const place = d.place && st.dir === 'ltr' ? d.place.toLocaleUpperCase(st.language) : d.place;
  return [place, d.reporter, d.agency].filter(Boolean).join(' / ');
}

export interface StoryPage {
  story: PublicStory;
  summary: SiteSummary;
  translations: SiteSummary[];
  agency: string;
}

export function storyPage(ctx: SiteContext, chrome: PageChrome, p: StoryPage): string {
  const { story: st, summary } = p;
  const lang = chrome.lang;
  const s = STRINGS[lang];
  const photo = st.photo;
  const src = safeUrl(photo?.url);
  const others = p.translations.filter((t) => t.id !== st.id);
  const languageLinks: Partial<Record<Lang, string>> = {};
  for (const t of p.translations) languageLinks[editionOf(t.language)] = urls.story(t);
  const dl = dateline(st);
  const main = html`<article class="story" dir="${st.dir}" lang="${st.language}">
<header>
${summary.categories[0] ? html`<a class="kicker" href="${urls.category(lang, summary.categories[0].slug)}"><bdi>${summary.categories[0].name}</bdi></a>` : ''}
<h1>${st.headline}</h1>
${st.deck ? html`<p class="deck">${st.deck}</p>` : ''}
<div class="byline">
${st.byline.length ? html`<span>${s.by} ${st.byline.map((n, i) => html`${i ? (st.dir === 'rtl' ? '، ' : ', ') : ''}<strong><bdi>${n}</bdi></strong>`)}</span>` : ''}
<span>${s.published}: <time datetime="${st.published.iso}">${st.published.text}</time></span>
${st.updated ? html`<span>${s.updated}: <time datetime="${st.updated.iso}">${st.updated.text}</time></span>` : ''}
</div>
</header>
${st.correctionNote ? html`<aside class="notice" role="note"><strong>${s.correction}:</strong> ${st.correctionNote}</aside>` : ''}
${
  photo && (src || photo.caption || photo.credit)
    ? html`<figure>
${src ? html`<img src="${src}"${photo.srcset ? html` srcset="${photo.srcset}" sizes="(max-width: 800px) 100vw, 800px"` : ''} alt="${photo.alt}" width="${photo.width ?? 1200}" height="${photo.height ?? 675}">` : ''}
${photo.caption || photo.credit ? html`<figcaption>${photo.caption ? html`<bdi>${photo.caption}</bdi>` : ''}${photo.credit ? html` — <bdi>${photo.credit}</bdi>` : ''}</figcaption>` : ''}
</figure>`
    : ''
}
<div class="body${st.truncated ? ' fade' : ''}">
${dl ? html`<p class="dateline"><bdi>${dl}</bdi></p>` : ''}
${st.blocks.map(block)}
</div>
<section class="cta" aria-labelledby="cta-h">
<h2 id="cta-h">${s.ctaTitle}</h2>
<p>${s.ctaText}</p>
<a class="btn" href="${urls.subscribe(lang)}">${s.ctaButton}</a>
</section>
${st.hashtags.length ? html`<ul class="tags">${st.hashtags.map((t) => html`<li><a href="${urls.search(lang, t)}" dir="auto">${inline('#' + t)}</a></li>`)}</ul>` : ''}
${others.length ? html`<nav class="translations" aria-label="${s.alsoIn}"><h2 class="visually-hidden">${s.alsoIn}</h2>${s.alsoIn}: ${others.map((t, i) => html`${i ? ' · ' : ''}<a href="${urls.story(t)}" hreflang="${t.language}" lang="${t.language}">${NATIVE_NAMES[editionOf(t.language)]}</a>`)}</nav>` : ''}
</article>`;
  return page(
    ctx,
    { ...chrome, languageLinks },
    {
      title: st.headline,
      description: st.deck,
      canonical: urls.story(summary),
      alternates: p.translations.length > 1 ? p.translations.map((t) => ({ lang: t.language, path: urls.story(t) })) : [],
      og: {
        type: 'article',
        image: src,
        publishedTime: st.published.iso,
        modifiedTime: st.updated?.iso ?? st.published.iso,
        section: summary.categories[0]?.name,
      },
      jsonLd: newsArticleJsonLd(ctx, st, summary, p.agency),
    },
    main,
  );
}
