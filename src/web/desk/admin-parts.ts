// Pieces the admin pages share: their sub-navigation, the strings of the signed-in user's language, and
// reading a product's filters from a form (each refusal named for the field it belongs under).
import type { FastifyRequest } from 'fastify';
import { languageTagProblem } from '../../model/language.ts';
import type { ProductFilters } from '../../model/subscribers.ts';
import type { MediaType } from '../../model/story.ts';
import { html, type SafeHtml } from '../html.ts';
import { languageOf } from '../account/pages.ts';
import { text } from '../account/forms.ts';
import { ADMIN_STRINGS, type AdminStrings } from './admin-strings.ts';

export const ADMIN = '/desk/admin';
export const MEDIA_TYPES: readonly MediaType[] = ['text', 'photo', 'video', 'audio', 'graphic'];

export function adminStrings(req: FastifyRequest): AdminStrings {
  return ADMIN_STRINGS[languageOf(req, req.user ?? null)];
}

/** The admin area's own navigation, the current page marked. */
export function adminNav(a: AdminStrings, current: 'users' | 'products' | 'subscribers' | 'leads'): SafeHtml {
  const links = (['users', 'products', 'subscribers', 'leads'] as const).map(
    (k) => html`<li><a href="${ADMIN}/${k}"${k === current ? html` aria-current="page"` : ''}>${a[k]}</a></li>`,
  );
  return html`<nav class="subnav" aria-label="${a.adminNav}"><ul>${links}</ul></nav>`;
}

/** A time as people read it, in UTC (machine-readable in the element). */
export function when(iso: string | null | undefined, never = '—'): SafeHtml | string {
  if (!iso) return never;
  return html`<time datetime="${iso}" dir="ltr">${iso.slice(0, 19).replace('T', ' ')}</time>`;
}

/** Values a form lists with commas (or new lines), trimmed, empty ones dropped. */
export function listOf(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The values of a repeated form field (checkboxes). */
export function all(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').slice(0, 100);
}

/** A whole number in a range from a form field; '' → null. Undefined when it is not one. */
export function wholeNumber(value: string, min: number, max: number): number | null | undefined {
  const s = value.trim();
  if (s === '') return null;
  if (!/^\d{1,9}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

export interface FilterForm {
  languages: string;
  categories: string;
  maxUrgency: string;
  mediaTypes: string[];
  embargoRights: boolean;
  delaySeconds: string;
}

export function filterFormOf(body: unknown): FilterForm {
  return {
    languages: text(body, 'languages', 2000),
    categories: text(body, 'categories', 4000),
    maxUrgency: text(body, 'maxUrgency', 5),
    mediaTypes: all(body, 'mediaTypes'),
    embargoRights: text(body, 'embargoRights', 5) === 'on',
    delaySeconds: text(body, 'delaySeconds', 12),
  };
}

export function filterFormFrom(p: ProductFilters): FilterForm {
  return {
    languages: p.languages.join(', '),
    categories: p.categories.join(', '),
    maxUrgency: p.maxUrgency === null ? '' : String(p.maxUrgency),
    mediaTypes: [...p.mediaTypes],
    embargoRights: p.embargoRights,
    delaySeconds: String(p.delaySeconds),
  };
}

/** The filters a form gives, or the errors by field (the same rules as the API's schema). */
export function filtersFrom(f: FilterForm, a: AdminStrings): { filters?: ProductFilters; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const languages = listOf(f.languages);
  for (const tag of languages) {
    const problem = languageTagProblem(tag);
    if (problem) {
      errors.languages = `"${tag}": ${problem}`;
      break;
    }
  }
  const maxUrgency = wholeNumber(f.maxUrgency, 1, 9);
  if (maxUrgency === undefined) errors.maxUrgency = a.rules.urgency;
  const delay = wholeNumber(f.delaySeconds || '0', 0, 86_400);
  if (delay === undefined || delay === null) errors.delaySeconds = a.rules.delay;
  if (f.mediaTypes.some((m) => !(MEDIA_TYPES as readonly string[]).includes(m))) errors.mediaTypes = a.rules.mediaType;
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    filters: {
      languages,
      categories: listOf(f.categories),
      maxUrgency: maxUrgency ?? null,
      mediaTypes: f.mediaTypes as MediaType[],
      embargoRights: f.embargoRights,
      delaySeconds: delay ?? 0,
    },
  };
}

/** A short reading of a product's filters for tables. */
export function filtersText(p: ProductFilters, a: AdminStrings): string {
  return [
    `${a.languages}: ${p.languages.join(', ') || a.all}`,
    `${a.categories}: ${p.categories.join(', ') || a.all}`,
    `${a.maxUrgency}: ${p.maxUrgency ?? a.all}`,
    `${a.mediaTypes.split(' (')[0]}: ${p.mediaTypes.join(', ') || a.all}`,
    `${a.embargoRights}: ${p.embargoRights ? a.yes : a.no}`,
    `${a.delaySeconds}: ${p.delaySeconds}`,
  ].join(' · ');
}
