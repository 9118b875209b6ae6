// Pieces shared by several pages: story cards, dates, photos, body text with isolated hashtags.
import type { Block } from '../../model/story.ts';
import type { SiteSummary } from '../../model/site.ts';
import { dateFormat, SITE_TIME_ZONE } from '../abbreviate.ts';
import { html, safeUrl, type SafeHtml } from '../html.ts';
import { STRINGS, type Lang } from '../i18n.ts';
import { urls } from '../urls.ts';

/** IPTC urgency 1–2 (flash, urgent) is marked on list pages. */
export function isUrgent(s: { urgency: number }): boolean {
  return s.urgency <= 2;
}

/** A date and time, or the date alone for `YYYY-MM-DD` (a source that gave no time). */
export function shortDate(iso: string, lang: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso))
    return dateFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  return dateFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: SITE_TIME_ZONE }).format(
    new Date(iso),
  );
}

export function time(iso: string, lang: string): SafeHtml {
  return html`<time datetime="${iso}">${shortDate(iso, lang)}</time>`;
}

/** A story in a list. `lead` is the big first story of a home page. */
export function card(s: SiteSummary, lang: Lang, opts: { lead?: boolean; level?: 2 | 3 } = {}): SafeHtml {
  const str = STRINGS[lang];
  const href = urls.story(s);
  const img = safeUrl(s.photo?.url);
  const flag = isUrgent(s) ? html`<span class="flag">${str.urgent}</span>` : '';
  const title = html`${flag}<a href="${href}" dir="auto">${s.headline}</a>`;
  const kicker = s.categories[0] ? html`<a class="kicker" href="${urls.category(lang, s.categories[0].slug)}"><bdi>${s.categories[0].name}</bdi></a>` : '';
  if (opts.lead) {
    return html`<article class="lead" data-story="${s.id}">
<div>${kicker}<h2>${title}</h2>${s.deck ? html`<p dir="auto">${s.deck}</p>` : ''}<p class="meta">${time(s.publishedDate ?? s.publishedAt, lang)}</p></div>
${img ? html`<img class="thumb" src="${img}"${s.photo?.srcset ? html` srcset="${s.photo.srcset}" sizes="(max-width: 700px) 100vw, 640px"` : ''} alt="${s.photo?.alt ?? ''}" width="${s.photo?.width ?? 640}" height="${s.photo?.height ?? 360}">` : ''}
</article>`;
  }
  return html`<li class="card" data-story="${s.id}"><article>
${img ? html`<img class="thumb" src="${img}"${s.photo?.srcset ? html` srcset="${s.photo.srcset}" sizes="320px"` : ''} alt="${s.photo?.alt ?? ''}" width="${s.photo?.width ?? 320}" height="${s.photo?.height ?? 180}" loading="lazy">` : ''}
${kicker}<h3>${title}</h3>${s.deck ? html`<p dir="auto">${s.deck}</p>` : ''}<p class="meta">${time(s.publishedDate ?? s.publishedAt, lang)}</p>
</article></li>`;
}

const HASHTAG = /(#[\p{L}\p{M}\p{N}_]+)/u;

/** Story text with hashtags isolated, so a Latin or Arabic tag inside text of the other direction keeps its order. */
export function inline(text: string): SafeHtml {
  const parts = text.split(new RegExp(HASHTAG.source, 'gu'));
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<bdi>${p}</bdi>` : p))}`;
}

export function block(b: Block): SafeHtml {
  switch (b.type) {
    case 'subheading':
      return html`<h2>${inline(b.text)}</h2>`;
    case 'paragraph':
      return html`<p>${inline(b.text)}</p>`;
    case 'quote':
      return html`<blockquote><p>${inline(b.text)}</p>${b.attribution ? html`<footer>${b.attribution}</footer>` : ''}</blockquote>`;
    case 'list':
      return b.ordered ? html`<ol>${b.items.map((i) => html`<li>${inline(i)}</li>`)}</ol>` : html`<ul>${b.items.map((i) => html`<li>${inline(i)}</li>`)}</ul>`;
  }
}
