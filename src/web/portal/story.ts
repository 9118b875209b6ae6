// The full story as the subscriber has it: complete text in the story's own language and direction,
// byline, dateline, photos (signed rendition links), the versions it received with word-level changes
// between them, the translations it is entitled to, and downloads in every format the API serves.
// Everything is read through storyAccess (the one entitlement rule); what the subscriber does not have
// answers 404 exactly like what does not exist, so ids tell nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { diffVersions } from '../../flow/diff.ts';
import { storyAccess, type StoryAccess } from '../../flow/portal-access.ts';
import { baseUrl } from '../../flow/render.ts';
import { renderVersion } from '../../formats/render.ts';
import { OUTPUT_FORMATS } from '../../formats/negotiate.ts';
import { directionOf, type Block, type StoryContent, type StoryVersion } from '../../model/story.ts';
import { html, type SafeHtml } from '../html.ts';
import { clientScriptUrl } from '../client-assets.ts';
import { DIFF_LABELS, renderVersionDiff } from '../diff-view.ts';
import type { PortalContext } from './context.ts';
import { PORTAL } from './layout.ts';
import type { PortalStrings } from './strings.ts';
import { embargoBanner, timeOf, underEmbargo, urgencyMark } from './views.ts';

const STORY_ID = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** The downloads: every story format of the API, with the file name's extension. */
export const DOWNLOADS = [
  ['ninjs', 'ninjs 3.2', 'json'],
  ['ninjs2', 'ninjs 2.3', 'json'],
  ['newsml', 'NewsML-G2', 'xml'],
  ['text', 'Plain text', 'txt'],
  ['html', 'HTML', 'html'],
] as const;
type DownloadFormat = (typeof DOWNLOADS)[number][0];

function blockHtml(b: Block): SafeHtml {
  switch (b.type) {
    case 'paragraph':
      return html`<p>${b.text}</p>`;
    case 'subheading':
      return html`<h2>${b.text}</h2>`;
    case 'quote':
      return html`<blockquote><p>${b.text}</p>${b.attribution ? html`<footer>${b.attribution}</footer>` : ''}</blockquote>`;
    case 'list':
      return b.ordered ? html`<ol>${b.items.map((i) => html`<li>${i}</li>`)}</ol>` : html`<ul>${b.items.map((i) => html`<li>${i}</li>`)}</ul>`;
  }
}

export function storyRoutes(app: FastifyInstance, portal: PortalContext): void {
  const { rt } = portal;
  const seat = { preHandler: portal.guard() };

  const notFound = (req: FastifyRequest, reply: FastifyReply) =>
    portal.simple(
      req,
      reply,
      404,
      (t) => t.notFoundTitle,
      (t) => t.notFound,
    );

  /** The story as the seat's subscriber has it, or null (answered 404 by the caller). */
  const access = async (req: FastifyRequest, id: string): Promise<StoryAccess | null> => {
    if (!STORY_ID.test(id)) return null;
    return storyAccess(rt.store, portal.subscriber(req), id);
  };

  const photos = (req: FastifyRequest, c: StoryContent, t: PortalStrings): SafeHtml => {
    const subscriberId = portal.subscriber(req).id;
    const shown = c.photos
      .map((p) => {
        const r = (p.renditions ?? []).filter((x) => x.name !== 'original' && x.width !== null).sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
        const pick = r.find((x) => (x.width ?? 0) <= 1280) ?? r[r.length - 1];
        const src = p.mediaId && pick ? rt.media.signedLink(p.mediaId, pick.name, subscriberId).href : /^https:\/\//.test(p.url) ? p.url : null;
        return src ? { p, src } : null;
      })
      .filter((x) => x !== null);
    if (!shown.length) return html``;
    return html`<section class="photos" aria-label="${t.photos}">${shown.map(
      ({ p, src }) =>
        html`<figure><img src="${src}" alt="${p.altText ?? p.caption ?? ''}"${p.width ? html` width="${String(p.width)}"` : ''}${p.height ? html` height="${String(p.height)}"` : ''} loading="lazy">${
          p.caption || p.credit
            ? html`<figcaption lang="${c.language}" dir="auto">${p.caption ?? ''}${p.credit ? html` <span class="credit">© ${p.credit}</span>` : ''}</figcaption>`
            : ''
        }</figure>`,
    )}</section>`;
  };

  app.get<{ Params: { id: string } }>('/stories/:id', seat, async (req, reply) => {
    const a = await access(req, req.params.id);
    if (!a) return notFound(req, reply);
    const v = await rt.store.getVersion(a.latest.storyId, a.latest.version);
    if (!v) return notFound(req, reply);
    const subscriber = portal.subscriber(req);
    rt.deliveries.count(subscriber.id, 'portal', 1);
    const translations: StoryVersion[] = [];
    for (const s of await rt.store.translations(v.translationGroup)) {
      if (s.id === v.storyId) continue;
      const ta = await storyAccess(rt.store, subscriber, s.id);
      if (!ta) continue;
      const tv = await rt.store.getVersion(s.id, ta.latest.version);
      if (tv) translations.push(tv);
    }
    const killed = a.latest.kind === 'killed';
    const c = v.content;
    const embargo = underEmbargo({ event: a.latest, version: v });
    const base = `${PORTAL}/stories/${v.storyId}`;
    return portal.page(
      req,
      reply,
      200,
      () => c.headline,
      (_csrf, t) => html`<article class="story${killed ? ' killed' : ''}" data-story="${v.storyId}">
<div class="marks">${urgencyMark(c.urgency, t)} <span class="kind" data-kind="${a.latest.kind}">${t.kinds[a.latest.kind]}</span> ${t.updated}: ${timeOf(a.latest.at)}</div>
${embargo ? embargoBanner(embargo, t) : ''}
${
  killed
    ? html`<section class="withdrawn" role="alert"><h1 lang="${c.language}" dir="${directionOf(c.language)}">${c.headline}</h1><h2>${t.killedTitle}</h2><p>${t.killedText(v.killReason ?? '—')}</p></section>`
    : html`<div class="story-text" lang="${c.language}" dir="${directionOf(c.language)}" data-copy-source>
<h1>${c.headline}</h1>
${c.deck ? html`<p class="deck">${c.deck}</p>` : ''}
${c.byline.length ? html`<p class="byline">${t.byline} ${c.byline.map((p) => p.name).join(', ')}</p>` : ''}
${c.dateline?.place ? html`<p class="dateline">${[c.dateline.place, c.dateline.reporter, c.dateline.agency].filter(Boolean).join(' / ')}</p>` : ''}
${v.correctionNote ? html`<p class="correction-note">${v.correctionNote}</p>` : ''}
<div class="body">${c.body.map(blockHtml)}</div>
</div>
${photos(req, c, t)}
<p class="tools"><button type="button" data-copy data-copied="${t.copied}" hidden>${t.copyText}</button> <span id="copy-status" role="status"></span></p>
<section class="downloads" aria-labelledby="dl-title"><h2 id="dl-title">${t.downloads}</h2><ul>${DOWNLOADS.map(
        ([f, label]) => html`<li><a href="${base}/download/${f}" download data-format="${f}">${label}</a></li>`,
      )}</ul></section>`
}
<section class="versions" aria-labelledby="v-title"><h2 id="v-title">${t.versions}</h2><ol>${a.versions.map(
        (n, i) =>
          html`<li data-version="${String(n)}"><a href="${base}/versions/${String(n)}">${t.version(n)}</a>${
            i > 0 && !killed ? html` · <a href="${base}/diff/${String(a.versions[i - 1])}/${String(n)}">${t.compare}</a>` : ''
          }</li>`,
      )}</ol></section>
<section class="translations" aria-labelledby="tr-title"><h2 id="tr-title">${t.translations}</h2>${
        translations.length
          ? html`<ul>${translations.map(
              (tv) =>
                html`<li data-translation="${tv.storyId}"><a href="${PORTAL}/stories/${tv.storyId}" lang="${tv.content.language}" dir="${directionOf(tv.content.language)}">${tv.content.headline}</a> (${tv.content.language})</li>`,
            )}</ul>`
          : html`<p>${t.noTranslations}</p>`
      }</section>
</article>
<script type="module" src="${clientScriptUrl('portal')}"></script>`,
    );
  });

  /** A version the subscriber received, or null. A killed story's texts are gone: null as well. */
  const receivedVersion = async (req: FastifyRequest, id: string, n: number): Promise<StoryVersion | null> => {
    const a = await access(req, id);
    if (!a || a.latest.kind === 'killed' || !a.versions.includes(n)) return null;
    return rt.store.getVersion(id, n);
  };

  app.get<{ Params: { id: string; n: string } }>('/stories/:id/versions/:n', seat, async (req, reply) => {
    const v = await receivedVersion(req, req.params.id, Number(req.params.n));
    if (!v) return notFound(req, reply);
    const c = v.content;
    return portal.page(
      req,
      reply,
      200,
      (t) => `${c.headline} · ${t.version(v.version)}`,
      (_csrf, t) => html`<p><a href="${PORTAL}/stories/${v.storyId}">${c.headline}</a></p>
<p class="marks">${t.version(v.version)} · ${t.kinds[v.kind]} · ${timeOf(v.versionCreatedAt)}</p>
<div class="story-text" lang="${c.language}" dir="${directionOf(c.language)}"><h1>${c.headline}</h1>${c.deck ? html`<p class="deck">${c.deck}</p>` : ''}<div class="body">${c.body.map(blockHtml)}</div></div>`,
    );
  });

  app.get<{ Params: { id: string; a: string; b: string } }>('/stories/:id/diff/:a/:b', seat, async (req, reply) => {
    const va = await receivedVersion(req, req.params.id, Number(req.params.a));
    const vb = await receivedVersion(req, req.params.id, Number(req.params.b));
    if (!va || !vb) return notFound(req, reply);
    const diff = diffVersions(va, vb);
    return portal.page(
      req,
      reply,
      200,
      (t) => `${vb.content.headline} · ${t.compare}`,
      (_csrf, t) => html`<p><a href="${PORTAL}/stories/${vb.storyId}">${vb.content.headline}</a></p>
<h1>${t.compare}: ${t.version(va.version)} → ${t.version(vb.version)}</h1>
${renderVersionDiff(diff, { language: vb.content.language, labels: DIFF_LABELS[req.user!.language], headingLevel: 2 })}`,
    );
  });

  app.get<{ Params: { id: string; format: string } }>('/stories/:id/download/:format', seat, async (req, reply) => {
    const entry = DOWNLOADS.find(([f]) => f === req.params.format);
    const a = await access(req, req.params.id);
    if (!a || !entry) return notFound(req, reply);
    if (a.latest.kind === 'killed') {
      return portal.simple(
        req,
        reply,
        410,
        (t) => t.killedTitle,
        (t) => t.killedTitle,
      );
    }
    const v = await rt.store.getVersion(a.latest.storyId, a.latest.version);
    if (!v) return notFound(req, reply);
    const format: DownloadFormat = entry[0];
    const rendered = renderVersion(format, v, { baseUrl: baseUrl() });
    rt.deliveries.count(portal.subscriber(req).id, 'download', 1);
    return reply
      .code(200)
      .header('content-type', OUTPUT_FORMATS[format].contentType)
      .header('content-disposition', `attachment; filename="${v.storyId}-v${v.version}-${format}.${entry[2]}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(rendered.body);
  });
}
