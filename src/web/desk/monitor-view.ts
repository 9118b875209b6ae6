// Pieces the wire monitor, the story lists and the archive search show alike: urgency the way agencies
// mark it (number, name and colour together, so colour is never the only cue), times (UTC from the
// server, made local by the page script), categories with their IPTC Media Topic, query parameters.
import { topicFor } from '../../formats/mediatopics.ts';
import type { InterfaceLanguage } from '../../model/users.ts';
import { directionOf } from '../../model/story.ts';
import { html, type SafeHtml } from '../html.ts';
import type { MonitorStrings } from './monitor-strings.ts';

/** The story page another part of the desk serves (its editor is at `/edit`). */
export const storyUrl = (id: string) => `/desk/stories/${encodeURIComponent(id)}`;

/** `1 Flash` as a badge: the class carries the colour, the text says it. */
export function urgencyBadge(urgency: number, m: MonitorStrings): SafeHtml {
  const level = urgency <= 3 ? urgency : 'n';
  return html`<span class="urgency u${level}" data-urgency="${urgency}">${urgency} ${m.urgencyNames[urgency] ?? ''}</span>`;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A time in the interface language, in UTC; the page script rewrites it in the reader's own time zone. */
export function timeOf(iso: string, lang: InterfaceLanguage): SafeHtml {
  let f = formats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
    formats.set(lang, f);
  }
  const d = new Date(iso);
  return html`<time datetime="${iso}">${Number.isNaN(d.getTime()) ? iso : `${f.format(d)} UTC`}</time>`;
}

/** A category with its IPTC Media Topic, when the agency's table maps it. */
export function categoryLabel(category: string): SafeHtml {
  const topic = topicFor(category);
  return html`<bdi>${category}</bdi>${topic ? html` <small class="medtop" title="${topic.qcode}"><bdi dir="ltr">${topic.label}</bdi></small>` : ''}`;
}

/** A headline in its own language and direction, inside a page of any interface language. */
export function headlineLink(id: string, headline: string, language: string, href = storyUrl(id)): SafeHtml {
  return html`<a href="${href}" lang="${language}" dir="${directionOf(language)}">${headline || '—'}</a>`;
}

/** One value of a query parameter: a string or undefined (a repeated one counts by its first). */
export function param(query: unknown, name: string): string | undefined {
  const v = query && typeof query === 'object' ? (query as Record<string, unknown>)[name] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s !== '' ? s : undefined;
}

export const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8}){0,3}$/;

/** A query string of the non-empty values, for links that keep the other filters. */
export function queryString(values: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A filter's select: options as [value, label], the current value selected, the rule broken next to it. */
export function filterSelect(name: string, label: string, options: [string, string][], value: string | undefined, error?: string): SafeHtml {
  const id = `filter-${name}`;
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${label}</label>
  <select id="${id}" name="${name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${options.map(
    ([v, text]) => html`<option value="${v}"${v === (value ?? '') ? html` selected` : ''}>${text}</option>`,
  )}</select>
  ${error ? html`<p class="error" id="${id}-error" role="alert">${error}</p>` : ''}
</div>`;
}

/** A filter's free-text input with its error next to it. */
export function filterInput(name: string, label: string, value: string | undefined, error?: string, dir: 'ltr' | 'auto' = 'auto'): SafeHtml {
  const id = `filter-${name}`;
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${label}</label>
  <input id="${id}" name="${name}" value="${value ?? ''}" dir="${dir}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
  ${error ? html`<p class="error" id="${id}-error" role="alert">${error}</p>` : ''}
</div>`;
}
