// The audit page (/desk/audit): every published version (who published it, from the version itself)
// and every recorded act (the audit trail: products, subscribers, keys, webhooks, users), newest first,
// filterable by person (or key) and by story, in keyset pages. Editors and admins read it (they answer
// for what went out); reporters do not (it shows the agency's commercial acts).
// The two sources are merged page by page: the next page carries one keyset position for each.
import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../model/audit.ts';
import type { VersionAct, VersionActKey } from '../../model/store.ts';
import { html, type SafeHtml } from '../html.ts';
import { field } from '../account/forms.ts';
import type { DeskContext } from './context.ts';
import type { AdminStrings } from './admin-strings.ts';
import { ADMIN, adminStrings, when } from './admin-parts.ts';

const PATH = '/desk/audit';
const PAGE = 50;
const ID = /^[\w-]{1,80}$/;

type Row = { at: string; version: VersionAct; entry?: undefined } | { at: string; entry: AuditEntry; version?: undefined };

interface Query {
  actor?: string;
  story?: string;
  vb?: string;
  ab?: string;
}

function versionKey(s: string | undefined): VersionActKey | 'end' | undefined {
  if (s === 'end') return 'end';
  const m = s ? /^([0-9TZ:.+-]{10,40})\|([\w-]{1,80})\|(\d{1,9})$/.exec(s) : null;
  return m ? { at: m[1], storyId: m[2], version: Number(m[3]) } : undefined;
}

export function auditRoutes(app: FastifyInstance, desk: DeskContext): void {
  app.get<{ Querystring: Query }>(PATH.slice('/desk'.length), { preHandler: desk.guard('editor', 'admin') }, async (req, reply) => {
    const a = adminStrings(req);
    const q = req.query;
    const actor = typeof q.actor === 'string' && ID.test(q.actor) ? q.actor : undefined;
    const story = typeof q.story === 'string' && ID.test(q.story.trim()) ? q.story.trim() : undefined;
    const storyError = typeof q.story === 'string' && q.story.trim() !== '' && !story ? 'a story id has letters, digits, - and _ only' : undefined;
    const vb = versionKey(q.vb);
    const ab = q.ab === 'end' ? 'end' : typeof q.ab === 'string' && /^\d{1,15}$/.test(q.ab) ? Number(q.ab) : undefined;
    const store = desk.rt.store;
    const [versions, entries, people] = await Promise.all([
      vb === 'end' ? [] : store.versionActs({ actorId: actor, storyId: story, before: vb, limit: PAGE }),
      ab === 'end' ? [] : store.audit.list({ actorId: actor, storyId: story, before: ab, limit: PAGE }),
      desk.deps.accounts.list({ staff: true }),
    ]);
    const rows: Row[] = [...versions.map((v) => ({ at: v.at, version: v })), ...entries.map((e) => ({ at: e.at, entry: e }))]
      .sort((x, y) => y.at.localeCompare(x.at))
      .slice(0, PAGE);
    // Where each source continues: after the last of its rows shown, or where it was if none was shown.
    const lastV = [...rows].reverse().find((r) => r.version)?.version;
    const lastA = [...rows].reverse().find((r) => r.entry)?.entry;
    const nextV = lastV ? `${lastV.at}|${lastV.storyId}|${lastV.version}` : versions.length === 0 ? 'end' : (q.vb ?? '');
    const nextA = lastA ? String(lastA.id) : entries.length === 0 ? 'end' : (q.ab ?? '');
    const more = versions.length + entries.length > rows.length || versions.length === PAGE || entries.length === PAGE;
    const params = new URLSearchParams();
    if (actor) params.set('actor', actor);
    if (story) params.set('story', story);
    const nextParams = new URLSearchParams(params);
    if (nextV) nextParams.set('vb', nextV);
    if (nextA) nextParams.set('ab', nextA);
    return desk.page(
      req,
      reply,
      storyError ? 400 : 200,
      () => a.audit,
      () => html`<h1>${a.audit}</h1>
<form method="get" action="${PATH}" class="panel filters">
  <div class="field"><label for="f-actor">${a.actor}</label><select id="f-actor" name="actor"><option value="">${a.anyone}</option>${people.map(
    (u) => html`<option value="${u.id}"${u.id === actor ? html` selected` : ''}>${u.name}</option>`,
  )}${actor && !people.some((u) => u.id === actor) ? html`<option value="${actor}" selected>${actor}</option>` : ''}</select></div>
  ${field({ name: 'story', label: a.story, value: story ?? (typeof q.story === 'string' ? q.story.slice(0, 100) : ''), error: storyError, help: a.storyHelp, dir: 'ltr' })}
  <button type="submit">${a.filter}</button>
</form>
<table class="audit">
  <caption class="skip">${a.audit}</caption>
  <thead><tr><th scope="col">${a.at}</th><th scope="col">${a.actor}</th><th scope="col">${a.act}</th><th scope="col">${a.target}</th><th scope="col">${a.details}</th></tr></thead>
  <tbody>${rows.length === 0 ? html`<tr><td colspan="5">${a.nothing}</td></tr>` : rows.map((r) => (r.version ? versionRow(r.version, a) : entryRow(r.entry!, a)))}</tbody>
</table>
${more ? html`<p><a href="${PATH}?${nextParams.toString()}" rel="next">${a.older}</a></p>` : ''}`,
    );
  });
}

function who(actor: { type: string; id: string; name: string }): SafeHtml {
  return html`<a href="${PATH}?actor=${encodeURIComponent(actor.id)}" data-actor="${actor.id}"><bdi>${actor.name}</bdi></a>${actor.type === 'key' ? ' (key)' : ''}`;
}

function versionRow(v: VersionAct, a: AdminStrings): SafeHtml {
  return html`<tr data-kind="version" data-story="${v.storyId}">
  <td>${when(v.at)}</td><td>${who(v.by)}</td><td>${a.versionPublished(v.kind, v.version)}</td>
  <td><a href="/desk/stories/${v.storyId}"><bdi dir="auto">${v.headline}</bdi></a></td>
  <td><a href="${PATH}?story=${v.storyId}">${v.storyId}</a></td>
</tr>`;
}

function targetLink(e: AuditEntry): SafeHtml | string {
  switch (e.targetType) {
    case 'product':
      return html`<a href="${ADMIN}/products/${e.targetId}">${e.targetId}</a>`;
    case 'subscriber':
      return html`<a href="${ADMIN}/subscribers/${e.targetId}">${e.targetId}</a>`;
    case 'story':
      return html`<a href="/desk/stories/${e.targetId}">${e.targetId}</a>`;
    default: {
      const sub = typeof e.details.subscriberId === 'string' ? e.details.subscriberId : null;
      return sub ? html`${e.targetType} ${e.targetId} · <a href="${ADMIN}/subscribers/${sub}">${sub}</a>` : `${e.targetType} ${e.targetId}`;
    }
  }
}

function entryRow(e: AuditEntry, _a: AdminStrings): SafeHtml {
  return html`<tr data-kind="entry" data-action="${e.action}">
  <td>${when(e.at)}</td><td>${who(e.actor)}</td><td><code>${e.action}</code></td>
  <td>${targetLink(e)}</td>
  <td><code class="details" dir="ltr">${JSON.stringify(e.details).slice(0, 400)}</code></td>
</tr>`;
}
