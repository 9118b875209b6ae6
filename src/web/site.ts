// The public website as a Fastify plugin (registered beside the API by the composition root, src/server). Routes are thin:
// they pick the edition and the view, and every page goes through one path that caches it until the
// flow log moves and answers conditional requests (ETag / Last-Modified → 304).
import { byteRange, etagOf, type MediaDesk } from '../flow/media.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Hub } from '../flow/hub.ts';
import type { Store } from '../model/store.ts';
import { DEFAULT_BUDGET, type Budget } from './abbreviate.ts';
import { PageCache, toEntry, type Entry, type Rendered } from './cache.ts';
import type { SiteContext } from './context.ts';
import { isLang, LANGUAGES, negotiate, type Lang } from './i18n.ts';
import { PublicStream } from './live.ts';
import { LEAD_LIMITS, type LeadForm } from './pages/subscribe.ts';
import { loadStatic } from './static.ts';
import { urls } from './urls.ts';
import { SiteViews } from './views.ts';

export interface SiteOptions {
  /** Public origin for absolute URLs (NEWSFLOW_PUBLIC_URL). */
  base: string;
  /** How much of a story the public page shows (NEWSFLOW_SITE_BUDGET); the default when not given. */
  budget?: Budget;
  /** Keep rendered pages between publishes (on by default; off to measure raw rendering). */
  cache?: boolean;
  /** Receives the site's 404 page, which the API's not-found handler shows to browsers. */
  onNotFoundPage?: (page: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => void;
  /**
   * Counts a form post against its sender's quota on the app's one rate limiter (built by the composition
   * root, which owns the limiter); none: forms are not throttled.
   */
  formQuota?: FormQuota;
  /** Widest photo rendition served and shown (NEWSFLOW_MEDIA_PUBLIC_MAX_WIDTH, 800). */
  mediaMaxWidth?: number;
}

/** What a quota says about one form post: go ahead, or retry after some seconds. */
export type FormQuota = (req: FastifyRequest) => Promise<{ ok: true } | { ok: false; retryAfterS: number }>;

/** What the site reads: the store (its read model, search and the lead form) and the hub that says when the log moved. */
export interface SiteDeps {
  store: Store;
  hub: Hub;
  /** Small renditions of photos in published stories (none served without it). */
  media?: MediaDesk;
}

/** Longest request target the site answers; longer ones get 414 (Node itself refuses headers over 16 KB). */
export const MAX_URL = 2048;
const MAX_QUERY_TEXT = 200;
/** A form body with every field at its limit fits: 4,720 characters of Arabic are ~42 KB once percent-encoded. */
const FORM_BODY_LIMIT = 64 * 1024;

// Story text is escaped, but a second wall costs nothing: no inline script, no foreign script, no framing.
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' https: http: data:; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

function fresh(req: FastifyRequest, e: Entry): boolean {
  const inm = req.headers['if-none-match'];
  if (inm)
    return inm.split(',').some((t) => {
      const x = t.trim();
      return x === '*' || x === e.etag || x === `W/${e.etag}`;
    });
  const ims = req.headers['if-modified-since'];
  if (ims && e.lastModifiedHttp) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && since >= Date.parse(e.lastModifiedHttp);
  }
  return false;
}

function send(req: FastifyRequest, reply: FastifyReply, e: Entry): FastifyReply {
  void reply.headers(SECURITY_HEADERS).header('cache-control', e.cacheControl).header('content-type', e.type);
  if (e.headers) void reply.headers(e.headers);
  if (e.status === 301 || e.status === 302 || e.status === 303) return reply.code(e.status).send();
  void reply.header('etag', e.etag);
  if (e.lastModifiedHttp) void reply.header('last-modified', e.lastModifiedHttp);
  if (e.status === 200 && fresh(req, e)) return reply.code(304).send();
  return reply.code(e.status).send(e.bytes);
}

/** A single string query parameter; repeated or non-string values count as absent. */
function param(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** The edition named by ?lang=, else the reader's Accept-Language. */
function langOf(req: FastifyRequest): Lang {
  const l = param(req, 'lang');
  return l && isLang(l) ? l : negotiate(req.headers['accept-language']);
}

/** Path segments after `/<lang>/`, percent-decoded; null when the encoding is broken. */
function segments(url: string, lang: Lang): string[] | null {
  const path = url.split('?')[0].slice(lang.length + 2);
  try {
    return path === '' ? [] : path.split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
}

export function sitePlugin(opts: SiteOptions) {
  return async function site(app: FastifyInstance, rt: SiteDeps): Promise<void> {
    const { files, assets } = loadStatic();
    const ctx: SiteContext = { base: opts.base.replace(/\/+$/, ''), budget: opts.budget ?? DEFAULT_BUDGET, assets, mediaMaxWidth: opts.mediaMaxWidth };
    const views = new SiteViews(rt.store.site, ctx, rt.store.search);
    const cache = new PageCache();
    const useCache = opts.cache ?? true;
    // Bumped on every log move: a render that started before a publish must not be cached after it.
    let generation = 0;
    const stopWatching = rt.hub.subscribe(() => {
      generation++;
      cache.clear();
      views.invalidate();
    });
    const stream = new PublicStream(rt.store, rt.hub);
    // Before the server stops listening: open public streams are ended, or closing would wait on them.
    app.addHook('preClose', async () => {
      stopWatching();
      stream.close();
    });

    // Forms post urlencoded bodies; the parser is scoped to this plugin.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    app.addHook('onRequest', async (req, reply) => {
      if (req.url.length > MAX_URL) {
        const e = toEntry(await views.error(negotiate(req.headers['accept-language']), 'bad-request', 414));
        return send(req, reply, e);
      }
    });

    async function page(req: FastifyRequest, reply: FastifyReply, key: string | null, render: () => Promise<Rendered>): Promise<FastifyReply> {
      if (key && useCache) {
        const hit = cache.get(key);
        if (hit) return send(req, reply, hit);
      }
      const gen = generation;
      const entry = toEntry(await render());
      if (key && useCache && gen === generation && entry.status < 500) cache.set(key, entry);
      return send(req, reply, entry);
    }

    const notFound = (req: FastifyRequest, reply: FastifyReply, lang: Lang) => page(req, reply, `404:${lang}`, () => views.error(lang, 'not-found', 404));
    opts.onNotFoundPage?.((req, reply) => notFound(req, reply, negotiate(req.headers['accept-language'])));
    const badRequest = (req: FastifyRequest, reply: FastifyReply, lang: Lang) => page(req, reply, `400:${lang}`, () => views.error(lang, 'bad-request', 400));

    const hide = { schema: { hide: true } };

    app.get('/', hide, async (req, reply) =>
      reply
        .code(302)
        .header('location', urls.home(negotiate(req.headers['accept-language'])))
        .header('vary', 'accept-language')
        .header('cache-control', 'public, max-age=0')
        .send(),
    );

    for (const lang of LANGUAGES) {
      app.get(`/${lang}`, hide, async (_req, reply) => reply.code(301).header('location', urls.home(lang)).send());
      app.get(`/${lang}/*`, hide, async (req, reply) => {
        const segs = segments(req.url, lang);
        if (!segs) return badRequest(req, reply, lang);
        const before = param(req, 'before');
        const more = before !== undefined ? `?before=${before}` : '';
        if (segs.length === 0) return page(req, reply, `/${lang}/${more}`, () => views.home(lang, before));
        if (segs.length === 2 && segs[0] === 'category' && segs[1]) {
          return page(req, reply, `/${lang}/category/${segs[1]}${more}`, () => views.category(lang, segs[1], before));
        }
        if (segs.length === 2 && segs[1]) return page(req, reply, `/${lang}/${segs[0]}/${segs[1]}`, () => views.story(lang, segs[0], segs[1]));
        return notFound(req, reply, lang);
      });
    }

    app.get('/search', hide, async (req, reply) => {
      const lang = langOf(req);
      const q = param(req, 'q') ?? '';
      if (q.length > MAX_QUERY_TEXT) return badRequest(req, reply, lang);
      const pageParam = param(req, 'page') ?? '1';
      const pageNo = /^[1-9]\d{0,3}$/.test(pageParam) ? Number(pageParam) : null;
      if (pageNo === null) return badRequest(req, reply, lang);
      // Kept like any page until the log moves: a public search judges up to 200 stories' public text.
      return page(req, reply, `search:${lang}:${pageNo}:${q}`, () => views.search(lang, q, pageNo));
    });

    app.get('/subscribe', hide, async (req, reply) => {
      const lang = langOf(req);
      const thanks = param(req, 'thanks') === '1';
      return page(req, reply, `/subscribe:${lang}:${thanks}`, () => views.subscribe(lang, { thanks }));
    });

    // Sending the form is throttled per address on the app's one rate limiter: a bot cannot fill the
    // leads table, and a reader who is refused gets a page in their language, not a bare 429.
    const formQuota: FormQuota = opts.formQuota ?? (async () => ({ ok: true }));

    app.post('/subscribe', { ...hide, bodyLimit: FORM_BODY_LIMIT }, async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
      const lang = isLang(field('lang')) ? (field('lang') as Lang) : langOf(req);
      const verdict = await formQuota(req);
      if (!verdict.ok) {
        void reply.header('retry-after', String(verdict.retryAfterS));
        return send(req, reply, toEntry(await views.subscribe(lang, { retryInMinutes: Math.ceil(verdict.retryAfterS / 60) })));
      }
      const form = { name: field('name'), email: field('email'), organisation: field('organisation'), message: field('message') };
      // Text over a field's limit is refused with a note beside the field, never stored cut short.
      const tooLong = (Object.keys(LEAD_LIMITS) as (keyof LeadForm)[]).filter((k) => form[k].length > LEAD_LIMITS[k]);
      const valid = form.name.length > 0 && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(form.email);
      if (!valid || tooLong.length) return send(req, reply, toEntry(await views.subscribe(lang, { invalid: !valid, tooLong, form })));
      // A filled honeypot is a bot: it is thanked like anyone else and nothing is stored.
      if (!field('website')) {
        await rt.store.site.insertLead({ ...form, organisation: form.organisation || null, message: form.message || null, language: lang });
      }
      return reply
        .code(303)
        .header('location', `${urls.subscribe(lang)}&thanks=1`)
        .header('cache-control', 'no-store')
        .send();
    });

    app.get('/feeds/*', hide, async (req, reply) => {
      const path = req.url.split('?')[0].slice('/feeds/'.length);
      let m: RegExpExecArray | null;
      if ((m = /^(ar|tr|en)\.atom$/.exec(path))) {
        const lang = m[1] as Lang;
        return page(req, reply, `feed:${lang}`, () => views.feed(lang));
      }
      if ((m = /^(ar|tr|en)\/([^/]+)\.atom$/.exec(path))) {
        const lang = m[1] as Lang;
        let slug: string;
        try {
          slug = decodeURIComponent(m[2]);
        } catch {
          return badRequest(req, reply, lang);
        }
        return page(req, reply, `feed:${lang}:${slug}`, () => views.feed(lang, slug));
      }
      return notFound(req, reply, negotiate(req.headers['accept-language']));
    });

    app.get('/sitemap.xml', hide, async (req, reply) => page(req, reply, 'sitemap', () => views.sitemapIndex()));
    app.get('/news-sitemap.xml', hide, async (req, reply) => page(req, reply, 'news-sitemap', () => views.newsSitemap()));
    app.get('/sitemaps/*', hide, async (req, reply) => {
      const name = req.url.split('?')[0].slice('/sitemaps/'.length);
      if (name === 'pages.xml') return page(req, reply, 'sitemap:pages', () => views.sitemapPages());
      const m = /^stories-([1-9]\d{0,4})\.xml$/.exec(name);
      if (m) {
        const part = Number(m[1]);
        const found = await page(
          req,
          reply,
          `sitemap:${part}`,
          async () =>
            (await views.sitemapStories(part)) ?? {
              status: 404,
              type: 'text/plain; charset=utf-8',
              body: 'no such sitemap\n',
              cacheControl: 'public, max-age=60',
            },
        );
        return found;
      }
      return notFound(req, reply, negotiate(req.headers['accept-language']));
    });

    app.get('/robots.txt', hide, async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(
          `User-agent: *\nAllow: /\nDisallow: /v1/\nDisallow: /public/\nDisallow: /search\n\nSitemap: ${ctx.base}/sitemap.xml\nSitemap: ${ctx.base}/news-sitemap.xml\n`,
        ),
    );

    app.get('/static/*', hide, async (req, reply) => {
      const f = files.get(req.url.split('?')[0].slice('/static/'.length));
      if (!f) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
      void reply
        .header('content-type', f.type)
        .header('cache-control', f.cacheControl)
        .header('etag', f.etag)
        .header('x-content-type-options', 'nosniff')
        .header('access-control-allow-origin', '*');
      // SVG photos are documents that could carry script: opened directly, they run none.
      if (f.type.startsWith('image/svg')) void reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
      return reply.send(f.body);
    });

    // Photos: only small renditions of photos in live published stories; the original and the large
    // renditions have no route here at all (they are the subscribers', behind the API).
    app.get('/media/:id/:rendition', hide, async (req, reply) => {
      const { id, rendition } = req.params as { id: string; rendition: string };
      const found = rt.media ? await rt.media.publicRendition(id, rendition, opts.mediaMaxWidth) : null;
      const size = found ? await rt.media!.files.size(found.key) : null;
      if (!found || size === null) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
      const etag = etagOf(found.asset.sha256, rendition, found.asset.updatedAt);
      void reply
        .header('etag', etag)
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .header('accept-ranges', 'bytes')
        .type(found.rendition.contentType);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      const range = byteRange(req.headers.range, size);
      if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
      if (range) {
        return reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
          .header('content-length', range.end - range.start + 1)
          .send(await rt.media!.files.read(found.key, range));
      }
      return reply.header('content-length', size).send(await rt.media!.files.read(found.key));
    });

    app.get('/public/stream', hide, async (req, reply) => {
      const l = param(req, 'lang');
      reply.hijack();
      if (!(await stream.attach(reply.raw, l && isLang(l) ? l : null))) {
        reply.raw.writeHead(503, { 'retry-after': '30', 'content-type': 'text/plain' }).end('too many readers\n');
      }
    });
  };
}
