// The story form of the desk: reading a posted form into the model's content (the model's schema
// then decides what is valid), rendering the form with each refusal next to its field, and rendering
// a content read-only (conflict view, translation side by side, previews).
import { topicFor } from '../../formats/mediatopics.ts';
import { subjectTable } from '../../formats/mediatopics.ts';
import type { FieldError } from '../../model/validate.ts';
import { ValidationError, validateDraftInput } from '../../model/validate.ts';
import { type Block, directionOf, type Person, type Photo, type StoryContent } from '../../model/story.ts';
import { html, type SafeHtml } from '../html.ts';
import { bodyFromForm, type EditorInterfaceLanguage, storyEditorField } from '../story-editor.ts';
import { csrfField, text } from '../account/forms.ts';
import { STORY_LANGUAGES, type StoryStrings } from './story-strings.ts';

/** Field name of the form → the model's JSON pointer prefixes whose refusals it shows. */
const FIELD_OF: [string, string][] = [
  ['/headline', 'headline'],
  ['/deck', 'deck'],
  ['/body', 'body'],
  ['/byline', 'byline'],
  ['/dateline', 'dateline'],
  ['/categories', 'categories'],
  ['/keywords', 'keywords'],
  ['/hashtags', 'hashtags'],
  ['/urgency', 'urgency'],
  ['/embargoUntil', 'embargo'],
  ['/language', 'language'],
  ['/desk', 'desk'],
  ['/slugline', 'slugline'],
  ['/photos', 'photos'],
  ['/note', 'note'],
  ['/reason', 'reason'],
];

export type FormErrors = Record<string, string>;

/** The model's refusals by form field; what fits no field goes under `form`. */
export function errorsByField(errors: readonly FieldError[]): FormErrors {
  const out: FormErrors = {};
  for (const e of errors) {
    const name = FIELD_OF.find(([p]) => e.field === p || e.field.startsWith(`${p}/`))?.[1] ?? 'form';
    const msg = e.field && name === 'form' ? `${e.field}: ${e.message}` : e.message;
    out[name] = out[name] ? `${out[name]}; ${msg}` : msg;
  }
  return out;
}

const list = (s: string) =>
  s
    .split(/[,،\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Every IANA time zone the runtime knows (the embargo's zone is one of them). */
let zones: Set<string> | null = null;
export function timeZones(): Set<string> {
  zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  return zones;
}

function wallClock(t: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t));
  const g = (k: string) => Number(parts.find((p) => p.type === k)?.value);
  return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second'));
}

/** A datetime-local value (`2026-12-01T09:30`) read in the IANA zone `tz`, as an instant; null when not a date. */
export function zonedInstant(local: string, tz: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  // Date.UTC rolls a month 13 or an hour 99 over; a date that does not read back the same is no date.
  if (Number.isNaN(asUtc) || new Date(asUtc).toISOString().slice(0, 16) !== local.slice(0, 16)) return null;
  // Two passes settle the zone's offset, also across a daylight-saving change.
  let t = asUtc - (wallClock(asUtc, tz) - asUtc);
  t = asUtc - (wallClock(t, tz) - t);
  return new Date(t);
}

/** The datetime-local value of an instant in zone `tz`. */
export function localValue(iso: string, tz: string): string {
  return new Date(wallClock(Date.parse(iso), tz)).toISOString().slice(0, 16);
}

/** What the form holds besides the content: the revision it was read at, the embargo's zone, the note. */
export interface FormExtras {
  revision: number;
  timeZone: string;
  embargoLocal: string;
  note: string;
}

/**
 * The content a posted form describes, on top of `base` (what the form does not show — provenance,
 * a translation's link, the media type, people's other spellings — is kept). Throws ValidationError
 * with the model's messages, plus the form's own (embargo date and zone).
 */
export function contentFromForm(form: Record<string, unknown>, base: StoryContent | null): { content: StoryContent; extras: FormExtras } {
  const errors: FieldError[] = [];
  const timeZone = text(form, 'timeZone', 100) || 'UTC';
  const embargoLocal = text(form, 'embargo', 40).trim();
  let embargoUntil: string | null = null;
  if (embargoLocal) {
    if (!timeZones().has(timeZone)) errors.push({ field: '/embargoUntil', message: `"${timeZone}" is not a time zone (choose one from the list)` });
    else {
      const at = zonedInstant(embargoLocal, timeZone);
      if (!at) errors.push({ field: '/embargoUntil', message: 'the embargo must be a date and a time (YYYY-MM-DDTHH:MM)' });
      else embargoUntil = at.toISOString();
    }
  }
  let body: Block[] = [];
  try {
    body = bodyFromForm(form);
  } catch (e) {
    if (e instanceof ValidationError) errors.push(...e.errors);
    else throw e;
  }
  const urgencyText = text(form, 'urgency', 5) || '4';
  const urgency = Number(urgencyText);
  const keep = new Map((base?.byline ?? []).map((p) => [p.name, p] as const));
  const byline: Person[] = text(form, 'byline', 5000)
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => keep.get(name) ?? { name });
  const photos: Photo[] = [];
  for (let i = 0; i < 100; i++) {
    const url = text(form, `photo-${i}-url`, 2000).trim();
    const mediaId = text(form, `photo-${i}-mediaId`, 200).trim();
    if (!(`photo-${i}-url` in form) && !(`photo-${i}-mediaId` in form)) break;
    if (!url && !mediaId) continue;
    const caption = text(form, `photo-${i}-caption`, 2000).trim();
    const credit = text(form, `photo-${i}-credit`, 500).trim();
    const old = base?.photos.find((p) => (mediaId ? p.mediaId === mediaId : p.url === url));
    photos.push({
      ...(old ?? {}),
      url: url || `/v1/media/${mediaId}/preview`,
      ...(caption ? { caption } : {}),
      ...(credit ? { credit } : {}),
      ...(mediaId ? { mediaId } : {}),
    });
  }
  const dateline = {
    ...(base?.dateline ?? {}),
    place: text(form, 'place', 200).trim() || undefined,
    reporter: text(form, 'reporter', 200).trim() || undefined,
    agency: text(form, 'agency', 200).trim() || undefined,
  };
  const deskName = text(form, 'desk', 60).trim();
  const categories = Array.isArray(form.categories) ? form.categories.filter((c): c is string => typeof c === 'string') : list(text(form, 'categories', 5000));
  const content = {
    ...(base ?? {}),
    language: text(form, 'language', 35).trim(),
    headline: text(form, 'headline', 2000).trim(),
    deck: text(form, 'deck', 5000).trim(),
    body,
    byline,
    dateline: Object.fromEntries(Object.entries(dateline).filter(([, v]) => v !== undefined)),
    categories,
    keywords: list(text(form, 'keywords', 10000)),
    hashtags: list(text(form, 'hashtags', 10000)).map((h) => h.replace(/^#/, '')),
    photos,
    urgency: Number.isInteger(urgency) ? urgency : urgencyText,
    embargoUntil,
    mediaType: base?.mediaType ?? 'text',
    slugline: text(form, 'slugline', 500).trim(),
    ...(deskName ? { desk: deskName } : {}),
  } as StoryContent;
  if (!deskName) delete content.desk;
  if (!content.deck) delete content.deck;
  if (!content.slugline) delete content.slugline;
  if (content.dateline && !Object.keys(content.dateline).length) delete content.dateline;
  if (errors.length) {
    // The model's own refusals of the rest of the form come back with the form's, all at once.
    try {
      validateDraftInput(content);
    } catch (e) {
      if (e instanceof ValidationError) errors.push(...e.errors.filter((x) => !x.field.startsWith('/body') && !x.field.startsWith('/embargoUntil')));
    }
    throw new ValidationError(errors);
  }
  const revision = Number(text(form, 'revision', 20));
  return { content, extras: { revision: Number.isInteger(revision) ? revision : -1, timeZone, embargoLocal, note: text(form, 'note', 2000) } };
}

export interface StoryFormOptions {
  action: string;
  content: StoryContent;
  extras: Partial<FormExtras>;
  errors: FormErrors;
  csrf: string;
  s: StoryStrings;
  ui: EditorInterfaceLanguage;
  /** Which publishing buttons: none for reporters, publish/update/correct for editors. */
  canPublish: boolean;
  /** The story's state, when it exists: decides which buttons show. */
  story?: { id: string; status: string; latestVersion: number; workflow: string };
}

const err = (errors: FormErrors, name: string) => (errors[name] ? html`<p class="error" id="f-${name}-error" role="alert">${errors[name]}</p>` : '');
const described = (errors: FormErrors, name: string, help?: boolean) => {
  const ids = [help ? `f-${name}-help` : '', errors[name] ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${errors[name] ? html` aria-invalid="true"` : ''}`;
};

function input(
  name: string,
  label: string,
  value: string,
  errors: FormErrors,
  o: { dir?: string; lang?: string; help?: string; type?: string; required?: boolean } = {},
) {
  return html`<div class="field${errors[name] ? ' has-error' : ''}">
<label for="f-${name}">${label}</label>
<input id="f-${name}" name="${name}" type="${o.type ?? 'text'}" value="${value}"${o.dir ? html` dir="${o.dir}"` : ''}${o.lang ? html` lang="${o.lang}"` : ''}${o.required ? html` required` : ''}${described(errors, name, !!o.help)}>
${o.help ? html`<p class="help" id="f-${name}-help">${o.help}</p>` : ''}${err(errors, name)}
</div>`;
}

/** The vocabulary of categories the desk offers: the project's table, each with its IPTC Media Topic. */
export function categoryVocabulary(): { name: string; qcode: string; label: string }[] {
  return Object.entries(subjectTable().topics).map(([name, c]) => ({ name, qcode: c.qcode, label: c.label }));
}

export function storyForm(o: StoryFormOptions): SafeHtml {
  const { content: c, errors, s } = o;
  const dir = directionOf(c.language || 'en');
  const lang = c.language || 'en';
  const tz = o.extras.timeZone ?? 'UTC';
  const embargoLocal = o.extras.embargoLocal ?? (c.embargoUntil ? localValue(c.embargoUntil, tz) : '');
  const vocabulary = categoryVocabulary();
  const chosen = new Set(c.categories);
  const extraCategories = c.categories.filter((x) => !vocabulary.some((v) => v.name === x));
  const photos = [...c.photos, { url: '' } as Photo];
  const st = o.story;
  const published = !!st && st.latestVersion > 0 && st.status === 'published';
  const languages = STORY_LANGUAGES.some(([v]) => v === lang) ? STORY_LANGUAGES : [...STORY_LANGUAGES, [lang, lang] as [string, string]];
  return html`<form method="post" action="${o.action}" class="story-form" id="story-form" novalidate data-story-id="${st?.id ?? ''}">
${csrfField(o.csrf)}
<input type="hidden" name="revision" value="${String(o.extras.revision ?? 0)}">
${errors.form ? html`<p class="error" role="alert" id="f-form-error">${errors.form}</p>` : ''}
<div class="field${errors.language ? ' has-error' : ''}">
<label for="f-language">${s.storyLanguage}</label>
<select id="f-language" name="language"${described(errors, 'language')}>${languages.map(
    ([v, name]) => html`<option value="${v}" lang="${v}"${v === lang ? html` selected` : ''}>${name}</option>`,
  )}</select>${err(errors, 'language')}
</div>
${input('headline', s.headline, c.headline, errors, { dir: 'auto', lang, required: true })}
${input('deck', s.deck, c.deck ?? '', errors, { dir: 'auto', lang })}
${storyEditorField({ id: 'story-body', label: s.body, blocks: c.body, language: lang, interfaceLanguage: o.ui, error: errors.body })}
<p class="help counts-note" data-direction="${dir}"></p>
<div class="field${errors.byline ? ' has-error' : ''}">
<label for="f-byline">${s.byline}</label>
<textarea id="f-byline" name="byline" rows="2" dir="auto"${described(errors, 'byline', true)}>${c.byline.map((p) => p.name).join('\n')}</textarea>
<p class="help" id="f-byline-help">${s.bylineHelp}</p>${err(errors, 'byline')}
</div>
<fieldset${errors.dateline ? html` class="has-error"` : ''}><legend>${s.dateline}</legend>
${input('place', s.place, c.dateline?.place ?? '', {}, { dir: 'auto', lang })}
${input('reporter', s.reporter, c.dateline?.reporter ?? '', {}, { dir: 'auto', lang })}
${input('agency', s.agency, c.dateline?.agency ?? '', {}, { dir: 'auto' })}
${err(errors, 'dateline')}
</fieldset>
<fieldset class="categories${errors.categories ? ' has-error' : ''}"><legend>${s.categories}</legend>
<ul class="checks">${vocabulary.map(
    (v, i) =>
      html`<li><input type="checkbox" id="f-cat-${String(i)}" name="categories" value="${v.name}"${chosen.has(v.name) ? html` checked` : ''}><label for="f-cat-${String(i)}"><bdi>${v.name}</bdi> <small>(${v.qcode} ${v.label})</small></label></li>`,
  )}${extraCategories.map(
    (x, i) =>
      html`<li><input type="checkbox" id="f-catx-${String(i)}" name="categories" value="${x}" checked><label for="f-catx-${String(i)}"><bdi>${x}</bdi>${topicFor(x) ? '' : ''}</label></li>`,
  )}</ul>${err(errors, 'categories')}
</fieldset>
${input('keywords', s.keywords, c.keywords.join(', '), errors, { dir: 'auto', lang, help: s.listHelp })}
${input('hashtags', s.hashtags, c.hashtags.join(', '), errors, { dir: 'auto', lang, help: s.listHelp })}
<div class="field${errors.urgency ? ' has-error' : ''}">
<label for="f-urgency">${s.urgency}</label>
<select id="f-urgency" name="urgency"${described(errors, 'urgency')}>${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(
    (u) => html`<option value="${String(u)}"${u === c.urgency ? html` selected` : ''}>${s.urgencyNames[u]}</option>`,
  )}</select>${err(errors, 'urgency')}
</div>
<fieldset class="embargo${errors.embargo ? ' has-error' : ''}"><legend>${s.embargo}</legend>
<div class="field"><label for="f-embargo">${s.embargo}</label>
<input id="f-embargo" name="embargo" type="datetime-local" value="${embargoLocal}"${described(errors, 'embargo', true)}>
<p class="help" id="f-embargo-help">${s.embargoHelp}</p></div>
<div class="field"><label for="f-timeZone">${s.timeZone}</label>
<select id="f-timeZone" name="timeZone" data-chosen="${o.extras.timeZone || c.embargoUntil ? '1' : ''}">${[...timeZones()].map(
    (z) => html`<option${z === tz ? html` selected` : ''}>${z}</option>`,
  )}</select></div>
${err(errors, 'embargo')}
</fieldset>
${input('desk', s.desk, c.desk ?? '', errors, { dir: 'ltr' })}
${input('slugline', s.slugline, c.slugline ?? '', errors, { dir: 'auto' })}
<fieldset class="photos${errors.photos ? ' has-error' : ''}" id="photos"><legend>${s.photos}</legend>
${photos.map(
  (p, i) => html`<fieldset class="photo" data-photo="${String(i)}"><legend>${s.photo(i + 1)}</legend>
${input(`photo-${i}-url`, s.photoUrl, p.mediaId && p.url === `/v1/media/${p.mediaId}/preview` ? '' : p.url, {}, { dir: 'ltr', type: 'url' })}
<input type="hidden" name="photo-${String(i)}-mediaId" value="${p.mediaId ?? ''}">
${p.mediaId ? html`<p class="media-ref">${s.mediaId}: <code>${p.mediaId}</code></p>` : ''}
${input(`photo-${i}-caption`, s.caption, p.caption ?? '', {}, { dir: 'auto', lang })}
${input(`photo-${i}-credit`, s.credit, p.credit ?? '', {}, { dir: 'auto' })}
</fieldset>`,
)}
${err(errors, 'photos')}
</fieldset>
${
  o.canPublish && published
    ? html`<div class="field${errors.note ? ' has-error' : ''}">
<label for="f-note">${s.correctionNote}</label>
<input id="f-note" name="note" type="text" dir="auto" value="${o.extras.note ?? ''}"${described(errors, 'note', true)}>
<p class="help" id="f-note-help">${s.correctionNoteHelp}</p>${err(errors, 'note')}
</div>`
    : ''
}
<div class="buttons">
<button type="submit" name="act" value="save">${s.save}</button>
${
  st && st.status !== 'killed'
    ? st.workflow === 'submitted'
      ? html`<button type="submit" name="act" value="withdraw" class="secondary">${s.withdraw}</button>`
      : html`<button type="submit" name="act" value="submit" class="secondary">${s.submit}</button>`
    : ''
}
${
  o.canPublish && st?.status !== 'killed'
    ? published
      ? html`<button type="submit" name="act" value="publish" data-act="update">${s.saveAndUpdate}</button>
<button type="submit" name="act" value="correct" data-act="correct">${s.saveAndCorrect}</button>
<a class="button danger" href="/desk/stories/${st!.id}/kill" data-act="kill">${s.kill}</a>`
      : html`<button type="submit" name="act" value="publish" data-act="publish">${s.saveAndPublish}</button>`
    : ''
}
</div>
</form>`;
}

/** A content rendered read-only, in its language and direction: the conflict view, translations, previews. */
export function contentView(c: StoryContent, o: { headingLevel?: 2 | 3; blocks?: readonly Block[]; truncatedNote?: string } = {}): SafeHtml {
  const dir = directionOf(c.language);
  const blocks = o.blocks ?? c.body;
  const h = o.headingLevel ?? 3;
  const d = c.dateline;
  const dateline = d ? [d.place, d.reporter, d.agency].filter(Boolean).join(' / ') : '';
  return html`<article class="story-view" lang="${c.language}" dir="${dir}">
${h === 2 ? html`<h2 class="view-headline">${c.headline}</h2>` : html`<h3 class="view-headline">${c.headline}</h3>`}
${c.deck ? html`<p class="deck">${c.deck}</p>` : ''}
${c.byline.length ? html`<p class="byline">${c.byline.map((p) => p.name).join('، ')}</p>` : ''}
${dateline ? html`<p class="dateline">${dateline}</p>` : ''}
${c.photos.map(
  (p) =>
    html`<figure><img src="${p.mediaId ? `/desk/stories/media/${encodeURIComponent(p.mediaId)}/image` : p.url}" alt="${p.altText ?? p.caption ?? ''}" loading="lazy">${p.caption || p.credit ? html`<figcaption>${p.caption ?? ''} ${p.credit ? html`<small>${p.credit}</small>` : ''}</figcaption>` : ''}</figure>`,
)}
<div class="view-body">${blocks.map(blockView)}</div>
${o.truncatedNote ? html`<p class="truncated">${o.truncatedNote}</p>` : ''}
</article>`;
}

function blockView(b: Block): SafeHtml {
  switch (b.type) {
    case 'paragraph':
      return html`<p dir="auto">${b.text}</p>`;
    case 'subheading':
      return html`<h4 dir="auto">${b.text}</h4>`;
    case 'quote':
      return html`<blockquote dir="auto"><p>${b.text}</p>${b.attribution ? html`<footer>— <cite>${b.attribution}</cite></footer>` : ''}</blockquote>`;
    case 'list':
      return b.ordered
        ? html`<ol dir="auto">${b.items.map((i) => html`<li>${i}</li>`)}</ol>`
        : html`<ul dir="auto">${b.items.map((i) => html`<li>${i}</li>`)}</ul>`;
  }
}
