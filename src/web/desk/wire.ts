// The wire monitor, the page an editor lands on (/desk): the flow log newest first — every publish,
// update, correction, kill and embargo lift — with urgency, language, category, time and who did it.
// The filters are a GET form and the pages keyset links, so it all works without JavaScript; the page
// script (src/web/client/wire.ts) adds new events at the top as they happen, from /desk/wire/stream:
// server-sent events read from the same log (store.wire) the page shows, woken by the hub.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventKind, Urgency, WireEntry } from '../../model/story.ts';
import type { WireQuery } from '../../model/store.ts';
import type { InterfaceLanguage } from '../../model/users.ts';
import { languageOf } from '../account/pages.ts';
import { PRIVATE_HEADERS } from '../account/sessions.ts';
import { clientScriptUrl } from '../client-assets.ts';
import { html, type SafeHtml } from '../html.ts';
import type { DeskContext } from './context.ts';
import { MONITOR_STRINGS, type MonitorStrings } from './monitor-strings.ts';
import { categoryLabel, filterInput, filterSelect, headlineLink, LANGUAGE_TAG, param, queryString, timeOf, urgencyBadge } from './monitor-view.ts';
import { LANGUAGE_NAMES, type DeskStrings } from './strings.ts';

const KINDS: EventKind[] = ['published', 'updated', 'corrected', 'killed', 'embargo-lifted'];
const PAGE = 50;
const HEARTBEAT_MS = 20_000;
/** Open wire streams per process; past it a new one is refused (503) and the browser retries. */
const MAX_STREAMS = 2_000;

/** The filters as typed (for the form and links), what the store is asked, and the rules broken. */
export interface WireFilters {
  values: { language?: string; category?: string; urgency?: string; embargoed?: string; kind?: string };
  query: WireQuery;
  before?: number;
  errors: Record<string, string>;
}

/** Reads and checks the filters of the page and of the stream alike. */
export function wireFilters(q: unknown, m: MonitorStrings): WireFilters {
  const values = {
    language: param(q, 'language'),
    category: param(q, 'category'),
    urgency: param(q, 'urgency'),
    embargoed: param(q, 'embargoed'),
    kind: param(q, 'kind'),
  };
  const errors: Record<string, string> = {};
  const query: WireQuery = { limit: PAGE };
  if (values.language) {
    if (LANGUAGE_TAG.test(values.language)) query.language = values.language;
    else errors.language = m.languageRule;
  }
  if (values.category) {
    if (values.category.length <= 200) query.category = values.category;
    else errors.category = m.categoryRule;
  }
  if (values.urgency) {
    if (/^[1-9]$/.test(values.urgency)) query.urgency = Number(values.urgency) as Urgency;
    else errors.urgency = m.urgencyRule;
  }
  if (values.embargoed) {
    if (values.embargoed === 'yes' || values.embargoed === 'no') query.embargoed = values.embargoed === 'yes';
    else errors.embargoed = m.embargoRule;
  }
  if (values.kind) {
    if ((KINDS as string[]).includes(values.kind)) query.kind = values.kind as EventKind;
    else errors.kind = m.kindRule;
  }
  const before = param(q, 'before');
  let position: number | undefined;
  if (before) {
    if (/^[1-9][0-9]{0,15}$/.test(before)) position = Number(before);
    else errors.before = m.positionRule;
  }
  return { values, query, before: position, errors };
}

/** One row of the monitor; the stream sends the same markup the page renders. */
export function wireRow(e: WireEntry, m: MonitorStrings, lang: InterfaceLanguage): SafeHtml {
  const ev = e.event;
  return html`<tr data-seq="${ev.seq}" data-story="${ev.storyId}" data-kind="${ev.kind}" class="kind-${ev.kind}">
  <td>${timeOf(ev.at, lang)}</td>
  <td>${urgencyBadge(ev.urgency, m)}</td>
  <td>${m.kinds[ev.kind] ?? ev.kind}${e.embargoed ? html` <span class="tag embargoed">${m.embargoed}</span>` : ''}</td>
  <td>${ev.language}</td>
  <td>${ev.categories.length ? ev.categories.map((c, i) => html`${i ? ', ' : ''}${categoryLabel(c)}`) : '—'}</td>
  <td class="headline">${headlineLink(ev.storyId, e.headline, ev.language)}</td>
  <td><bdi>${ev.by.name}</bdi></td>
</tr>`;
}

export function landingRoutes(app: FastifyInstance, desk: DeskContext): void {
  const { store, hub } = desk.rt;
  let streams = 0;
  // Open streams end when the server closes, or it would wait on them forever.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get('/', { preHandler: desk.guard() }, async (req, reply) => {
    const lang = languageOf(req, req.user!);
    const m = MONITOR_STRINGS[lang];
    const f = wireFilters(req.query, m);
    const bad = Object.keys(f.errors).length > 0;
    // The head before the read: the live feed starts after it (or after the newest row, if later), so
    // an event committed between this page and its stream is neither lost nor shown twice.
    const head = await store.headSeq();
    const page = bad ? { entries: [], next: null } : await store.wire({ ...f.query, before: f.before });
    return desk.page(
      req,
      reply,
      bad ? 400 : 200,
      (t) => t.wireTitle,
      (_csrf, t) => wirePage(f, page.entries, page.next, head, m, t, lang),
    );
  });

  // The live feed of the monitor: events after the page's newest (or the browser's Last-Event-ID on a
  // reconnect), filtered as the page is, as rows ready to insert. One reader per connection: each has
  // its own filters, and a wake-up costs one indexed range read of the log.
  app.get('/wire/stream', { preHandler: desk.guard() }, async (req, reply) => {
    const lang = languageOf(req, req.user!);
    const m = MONITOR_STRINGS[lang];
    const f = wireFilters(req.query, m);
    if (Object.keys(f.errors).length) return reply.code(400).type('text/plain; charset=utf-8').send(Object.values(f.errors).join('\n'));
    if (streams >= MAX_STREAMS) return reply.code(503).header('retry-after', '5').type('text/plain; charset=utf-8').send('too many wire streams\n');
    const from = startOf(req);
    let last = from ?? (await store.headSeq());
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...PRIVATE_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    streams++;
    let reading = false;
    let again = false;
    let live = true;
    const pump = async (): Promise<void> => {
      if (!live) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          // Everything up to the head known now is committed and visible to the read below.
          const head = hub.lastHead;
          // Newest first from the store: gather pages back to where this reader stands, then send oldest first.
          const fresh: WireEntry[] = [];
          let before: number | undefined;
          // At most 10 pages back: a browser away for longer gets the newest 2,000 and the page for the rest.
          for (let pages = 0; pages < 10; pages++) {
            const page = await store.wire({ ...f.query, limit: 200, before });
            const newer = page.entries.filter((e) => e.event.seq > last);
            fresh.push(...newer);
            if (newer.length < page.entries.length || page.next === null) break;
            before = page.next;
          }
          for (const e of fresh.reverse()) {
            if (!live) return;
            const data = JSON.stringify({
              seq: e.event.seq,
              html: wireRow(e, m, lang).value,
              announce: m.newEntry(`${e.event.urgency} ${m.urgencyNames[e.event.urgency] ?? ''}`, `${m.kinds[e.event.kind]}: ${e.headline}`),
            });
            res.write(`id: ${e.event.seq}\nevent: entry\ndata: ${data}\n\n`);
            last = e.event.seq;
          }
          // Events filtered out still move the position, so a reconnect does not read them again.
          last = Math.max(last, head);
        } while (again && live);
      } catch (err) {
        req.log.warn({ err }, 'wire stream read failed; the next wake-up retries');
      } finally {
        reading = false;
      }
    };
    const unsubscribe = hub.subscribe(() => void pump());
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => res.end(': closed: server shutting down\n\n');
    open.add(end);
    req.raw.on('close', () => {
      live = false;
      streams--;
      open.delete(end);
      unsubscribe();
      clearInterval(heartbeat);
    });
    // Whatever happened between the page and this connection (or while the browser reconnected).
    void pump();
  });
}

/** Where a stream starts: the browser's Last-Event-ID on a reconnect, else the page's newest row. */
function startOf(req: FastifyRequest): number | null {
  const raw = req.headers['last-event-id'] ?? param(req.query, 'after');
  const s = Array.isArray(raw) ? raw[0] : raw;
  return s && /^[0-9]{1,16}$/.test(s) ? Number(s) : null;
}

function wirePage(
  f: WireFilters,
  entries: WireEntry[],
  next: number | null,
  head: number,
  m: MonitorStrings,
  t: DeskStrings,
  lang: InterfaceLanguage,
): SafeHtml {
  const v = f.values;
  const e = f.errors;
  const languages = new Set<string>(['ar', 'tr', 'en']);
  if (v.language && !e.language) languages.add(v.language);
  const newest = Math.max(head, entries[0]?.event.seq ?? 0);
  const live = f.before === undefined && !Object.keys(e).length;
  const filterQuery = { language: v.language, category: v.category, urgency: v.urgency, embargoed: v.embargoed, kind: v.kind };
  const streamUrl = `/desk/wire/stream${queryString({ ...filterQuery, after: newest })}`;
  return html`<h1>${t.wireTitle}</h1>
<form method="get" action="/desk" class="filters" aria-label="${m.filters}">
  ${filterSelect(
    'language',
    m.storyLanguage,
    [['', m.any], ...[...languages].map((l) => [l, LANGUAGE_NAMES[l as InterfaceLanguage] ?? l] as [string, string])],
    e.language ? '' : v.language,
    e.language,
  )}
  ${filterInput('category', m.category, v.category, e.category)}
  ${filterSelect(
    'urgency',
    m.urgency,
    [['', m.any], ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((u) => [String(u), `${u} ${m.urgencyNames[u]}`] as [string, string])],
    v.urgency,
    e.urgency,
  )}
  ${filterSelect(
    'embargoed',
    m.embargo,
    [
      ['', m.any],
      ['yes', m.embargoed],
      ['no', m.notEmbargoed],
    ],
    v.embargoed,
    e.embargoed,
  )}
  ${filterSelect('kind', m.kind, [['', m.any], ...KINDS.map((k) => [k, m.kinds[k]] as [string, string])], v.kind, e.kind)}
  <div class="actions"><button type="submit">${m.filter}</button> <a href="/desk">${m.clear}</a></div>
  ${e.before ? html`<p class="error" role="alert">${m.badValue('before')} (${m.positionRule})</p>` : ''}
</form>
<p id="wire-status" class="muted">${live ? m.live : html`${m.liveOff} <a href="/desk${queryString(filterQuery)}">${m.newest}</a>`}</p>
<div id="wire-announcer" class="visually-hidden" aria-live="polite" aria-atomic="false"></div>
<table id="wire" class="wire"${live ? html` data-stream="${streamUrl}"` : ''}>
  <caption class="visually-hidden">${m.wireCaption}</caption>
  <thead><tr><th scope="col">${m.time}</th><th scope="col">${m.urgency}</th><th scope="col">${m.kind}</th><th scope="col">${m.storyLanguage}</th><th scope="col">${m.category}</th><th scope="col">${m.headline}</th><th scope="col">${m.by}</th></tr></thead>
  <tbody>
  ${entries.length ? entries.map((en) => wireRow(en, m, lang)) : html`<tr class="empty"><td colspan="7">${m.noEntries}</td></tr>`}
  </tbody>
</table>
${next !== null ? html`<nav class="pager" aria-label="${m.older}"><a rel="next" href="/desk${queryString({ ...filterQuery, before: next })}">${m.older}</a></nav>` : ''}
<script type="module" src="${clientScriptUrl('wire')}"></script>`;
}
