// The live wire, where a seat lands: every story event the subscriber has now, newest first, read by
// the one entitlement rule (src/flow/portal-access.ts), with filters, and a live tail over SSE
// (/portal/live) woken by the hub, so a publish shows within a second. A removed seat's stream ends at
// the next event or heartbeat.
import type { FastifyInstance } from 'fastify';
import { decideNow, hasEvent, matchesWireFilter, wirePage, type WireFilter } from '../../flow/portal-access.ts';
import type { FlowItem } from '../../model/story.ts';
import type { Subscriber } from '../../model/subscribers.ts';
import { html, type SafeHtml } from '../html.ts';
import { languageOf } from '../account/pages.ts';
import { clientScriptUrl } from '../client-assets.ts';
import type { PortalContext } from './context.ts';
import { PORTAL } from './layout.ts';
import { PORTAL_STRINGS, type PortalStrings } from './strings.ts';
import { wireRow } from './views.ts';

const PAGE = 30;
const MEDIA = ['text', 'photo', 'video', 'audio', 'graphic'];
const HEARTBEAT_MS = 15_000;
/** Open live wires per subscriber: enough for a newsroom, not enough to exhaust the server. */
const LIVE_PER_SUBSCRIBER = 200;
/** Held events one live wire keeps waiting (a delayed tier); more are seen on the next page load. */
const MAX_HELD = 1000;

export interface ParsedFilter {
  filter: WireFilter;
  errors: Record<string, string>;
  /** The filter as sent (to refill the form and to carry into links). */
  raw: Record<string, string>;
}

/** The wire's filters from a query string; a bad value is named next to its field. */
export function parseWireFilter(q: Record<string, unknown>): ParsedFilter {
  const get = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 200) : '');
  const raw = { language: get('language'), category: get('category'), urgency: get('urgency'), media: get('media') };
  const filter: WireFilter = {};
  const errors: Record<string, string> = {};
  if (raw.language) {
    if (/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(raw.language)) filter.language = raw.language.toLowerCase();
    else errors.language = 'a language is a code such as ar, tr or en';
  }
  if (raw.category) filter.category = raw.category.trim();
  if (raw.urgency) {
    const n = Number(raw.urgency);
    if (Number.isInteger(n) && n >= 1 && n <= 6) filter.urgency = n;
    else errors.urgency = 'urgency is a number from 1 (flash) to 6';
  }
  if (raw.media) {
    if (MEDIA.includes(raw.media)) filter.mediaType = raw.media;
    else errors.media = `media is one of ${MEDIA.join(', ')}`;
  }
  return { filter, errors, raw };
}

function filterQuery(raw: Record<string, string>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `&${s}` : '';
}

/** Languages a seat may filter by: those of its products, or the interface languages when unrestricted. */
function languagesOf(subscriber: Subscriber): string[] {
  const set = new Set<string>();
  for (const p of subscriber.products) for (const l of p.languages) set.add(l);
  return set.size ? [...set].sort() : ['ar', 'en', 'tr'];
}

function filterForm(subscriber: Subscriber, parsed: ParsedFilter, t: PortalStrings): SafeHtml {
  const opt = (v: string, label: string, cur: string) => html`<option value="${v}"${v === cur ? html` selected` : ''}>${label}</option>`;
  const err = (k: string) => (parsed.errors[k] ? html`<p class="error" id="wf-${k}-error">${parsed.errors[k]}</p>` : '');
  const inv = (k: string) => (parsed.errors[k] ? html` aria-invalid="true" aria-describedby="wf-${k}-error"` : '');
  return html`<form class="filters" method="get" action="${PORTAL}" aria-label="${t.filters}">
  <div class="field"><label for="wf-language">${t.language}</label><select id="wf-language" name="language"${inv('language')}>${opt('', t.anyValue, parsed.raw.language)}${languagesOf(subscriber).map((l) => opt(l, l, parsed.raw.language))}${
    parsed.errors.language ? opt(parsed.raw.language, parsed.raw.language, parsed.raw.language) : ''
  }</select>${err('language')}</div>
  <div class="field"><label for="wf-category">${t.category}</label><input id="wf-category" name="category" value="${parsed.raw.category}" dir="auto"></div>
  <div class="field"><label for="wf-urgency">${t.urgency}</label><select id="wf-urgency" name="urgency"${inv('urgency')}>${opt('', t.anyValue, parsed.raw.urgency)}${[
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
  ].map((u) => opt(u, `${u} · ${t.urgencies[u]}`, parsed.raw.urgency))}</select>${err('urgency')}</div>
  <div class="field"><label for="wf-media">${t.mediaType}</label><select id="wf-media" name="media"${inv('media')}>${opt('', t.anyValue, parsed.raw.media)}${MEDIA.map((m) => opt(m, t.mediaTypes[m] ?? m, parsed.raw.media))}</select>${err('media')}</div>
  <button type="submit">${t.filter}</button>
</form>`;
}

export function wireRoutes(app: FastifyInstance, portal: PortalContext): void {
  const { rt } = portal;
  const open = new Map<string, number>();
  const streams = new Set<() => void>();
  // Open live wires end with the server (they would otherwise hold its close).
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get('/', { preHandler: portal.guard() }, async (req, reply) => {
    const subscriber = portal.subscriber(req);
    const q = req.query as Record<string, unknown>;
    const parsed = parseWireFilter(q);
    const bad = Object.keys(parsed.errors).length > 0;
    const beforeN = Number(q.before);
    const before = Number.isInteger(beforeN) && beforeN > 0 ? beforeN : undefined;
    const now = Date.now();
    const page = bad
      ? { items: [], next: null, head: await rt.store.headSeq() }
      : await wirePage(rt.store, rt.deliveries, subscriber, { before, limit: PAGE, filter: parsed.filter, now });
    const liveUrl = `${PORTAL}/live?after=${page.head}${filterQuery(parsed.raw)}`;
    return portal.page(
      req,
      reply,
      bad ? 400 : 200,
      (t) => t.wireTitle,
      (_csrf, t) => html`<h1>${t.wireTitle}</h1>
${filterForm(subscriber, parsed, t)}
<fieldset class="alerts"><legend>${t.alertsLabel}</legend>
  <label><input type="checkbox" id="alert-sound"> ${t.alertSound}</label>
  <label><input type="checkbox" id="alert-desktop"> ${t.alertDesktop}</label>
</fieldset>
<p class="live-status" role="status" aria-live="polite" id="live-status" data-new-one="${t.wireNew(1)}" data-new-many="${t.wireNew(2).replace('2', '{n}')}">${before ? '' : t.wireLive}</p>
<ol class="wire" id="wire"${before ? '' : html` data-live="${liveUrl}"`}>
${page.items.map((item) => wireRow(item, t, now))}
</ol>
${page.items.length === 0 ? html`<p class="empty">${t.wireEmpty}</p>` : ''}
${page.next ? html`<p><a rel="next" href="${PORTAL}?before=${String(page.next)}${filterQuery(parsed.raw)}">${t.older}</a></p>` : ''}
<script type="module" src="${clientScriptUrl('portal')}"></script>`,
    );
  });

  // The live tail: rows rendered on the server (escaped there), pushed as SSE events the page script
  // puts on top of the wire. Authenticated by the session; the seat is checked again on every wake.
  app.get('/live', { preHandler: portal.guard() }, async (req, reply) => {
    const subscriber = portal.subscriber(req);
    const user = req.user!;
    const parsed = parseWireFilter(req.query as Record<string, unknown>);
    if (Object.keys(parsed.errors).length) return reply.code(400).type('text/plain; charset=utf-8').send(Object.values(parsed.errors).join('; '));
    const afterN = Number((req.query as Record<string, unknown>).after);
    const head = await rt.store.headSeq();
    let position = Number.isInteger(afterN) && afterN >= 0 && afterN <= head ? afterN : head;
    const n = open.get(subscriber.id) ?? 0;
    if (n >= LIVE_PER_SUBSCRIBER) return reply.code(429).type('text/plain; charset=utf-8').send('too many open live wires for this subscriber');
    open.set(subscriber.id, n + 1);
    const t = PORTAL_STRINGS[languageOf(req, user)];
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write('retry: 3000\n\n');
    let closed = false;
    let reading = false;
    let again = false;
    let holdTimer: NodeJS.Timeout | null = null;
    const held = new Set<{ item: FlowItem; notBefore: number }>();
    const send = (item: FlowItem, now: number) =>
      res.write(
        `event: story\nid: ${item.event.seq}\ndata: ${JSON.stringify({ seq: item.event.seq, urgency: item.event.urgency, kind: item.event.kind, html: wireRow(item, t, now).value })}\n\n`,
      );
    const sessionId = req.session.sessionId;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      if (holdTimer) clearTimeout(holdTimer);
      const left = (open.get(subscriber.id) ?? 1) - 1;
      if (left <= 0) open.delete(subscriber.id);
      else open.set(subscriber.id, left);
    };
    /** A deactivated or removed seat, or an ended session, ends the stream at once. */
    const stillSignedIn = async () => {
      const [u, s] = await Promise.all([rt.store.users.get(user.id), rt.store.users.getSession(sessionId)]);
      return !!u?.active && !!s && s.userId === user.id;
    };
    const pump = async () => {
      if (closed) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          if (!(await stillSignedIn())) {
            res.end('event: signed-out\ndata: {}\n\n');
            close();
            return;
          }
          const current = (await rt.deliveries.subscriber(subscriber.id)) ?? subscriber;
          let now = Date.now();
          // Held events (a delayed tier) wait on their own; the events after them are not held up.
          for (const h of [...held]) {
            if (h.notBefore > now) continue;
            held.delete(h);
            if (await hasEvent(rt.store, rt.deliveries, current, h.item.event, now)) send(h.item, now);
          }
          const batch = await rt.store.readLog({ after: position, limit: 200 });
          now = Date.now();
          for (const item of batch) {
            if (closed) return;
            position = item.event.seq;
            if (!matchesWireFilter(item.event, parsed.filter)) continue;
            const d = await decideNow(rt.store, rt.deliveries, current, item.event, now);
            if (d.action === 'deliver') send(item, now);
            else if (d.action === 'hold' && held.size < MAX_HELD) held.add({ item, notBefore: d.notBefore });
          }
          if (held.size && !holdTimer) {
            const next = Math.min(...[...held].map((h) => h.notBefore));
            holdTimer = setTimeout(
              () => {
                holdTimer = null;
                void pump();
              },
              Math.min(2 ** 31 - 1, Math.max(50, next - Date.now())),
            );
          }
          if (batch.length === 200) again = true;
        } while (again && !closed);
      } catch (err) {
        req.log.warn({ err }, 'portal live wire read failed');
      } finally {
        reading = false;
      }
    };
    const unsubscribe = rt.hub.subscribe(() => void pump());
    const heartbeat = setInterval(() => {
      void stillSignedIn().then((ok) => {
        if (closed) return;
        if (!ok) {
          res.end('event: signed-out\ndata: {}\n\n');
          close();
        } else res.write(': ping\n\n');
      });
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      if (!closed) res.end(': closed: server shutting down\n\n');
      close();
    };
    streams.add(end);
    res.on('close', () => {
      streams.delete(end);
      close();
    });
    void pump();
  });
}
