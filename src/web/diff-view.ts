// A word-level diff between two versions of a story (src/flow/diff.ts), as HTML: insertions in <ins>,
// deletions in <del>, each starting with a visually hidden word ("inserted:", "deleted:") because
// screen readers do not announce the elements themselves (and ARIA forbids naming them with aria-label).
// Each text field is laid out in the story's direction with its language; every changed run is its own
// bidi isolate (<bdi> with the direction of its first strong letter), so a Latin word replaced in an
// Arabic sentence shows the deleted run right of the inserted one, in reading order, instead of the
// two Latin runs merging into one left-to-right stretch. All text is escaped (src/web/html.ts).
import type { DiffPart, VersionDiff } from '../flow/diff.ts';
import { directionOf } from '../model/story.ts';
import { html, raw, type SafeHtml } from './html.ts';

export interface DiffLabels {
  inserted: string;
  deleted: string;
  headline: string;
  deck: string;
  body: string;
  otherFields: string;
  field: string;
  before: string;
  after: string;
  noChanges: string;
  empty: string;
}

export const DIFF_LABELS: Record<'en' | 'ar' | 'tr', DiffLabels> = {
  en: {
    inserted: 'inserted:',
    deleted: 'deleted:',
    headline: 'Headline',
    deck: 'Deck',
    body: 'Body',
    otherFields: 'Other changes',
    field: 'Field',
    before: 'Before',
    after: 'After',
    noChanges: 'No differences between these versions.',
    empty: '(none)',
  },
  ar: {
    inserted: 'أضيف:',
    deleted: 'حُذف:',
    headline: 'العنوان',
    deck: 'الموجز',
    body: 'النص',
    otherFields: 'تغييرات أخرى',
    field: 'الحقل',
    before: 'قبل',
    after: 'بعد',
    noChanges: 'لا فروق بين هاتين النسختين.',
    empty: '(لا شيء)',
  },
  tr: {
    inserted: 'eklendi:',
    deleted: 'silindi:',
    headline: 'Başlık',
    deck: 'Spot',
    body: 'Metin',
    otherFields: 'Diğer değişiklikler',
    field: 'Alan',
    before: 'Önce',
    after: 'Sonra',
    noChanges: 'Bu sürümler arasında fark yok.',
    empty: '(yok)',
  },
};

// Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo … and their presentation
// forms); any other letter is strong left to right. Digits and punctuation are weak or neutral.
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const LETTER = /\p{L}/u;

/** The direction of a run by its first strong letter (as dir=auto would decide), or null when it has none. */
export function firstStrongDirection(text: string): 'rtl' | 'ltr' | null {
  for (const c of text) {
    if (RTL_LETTER.test(c)) return 'rtl';
    if (LETTER.test(c)) return 'ltr';
  }
  return null;
}

/** Text with its line breaks kept (paragraphs of the body are separated by blank lines). */
function lines(text: string): SafeHtml {
  return html`${text.split('\n').map((line, i) => (i ? html`<br>${line}` : line))}`;
}

function part(p: DiffPart, dir: 'rtl' | 'ltr', labels: DiffLabels): SafeHtml {
  if (p.op === 'equal') return lines(p.text);
  const runDir = firstStrongDirection(p.text) ?? dir;
  const inner = html`<span class="visually-hidden">${p.op === 'insert' ? labels.inserted : labels.deleted} </span><bdi dir="${runDir}">${lines(p.text)}</bdi>`;
  return p.op === 'insert' ? html`<ins>${inner}</ins>` : html`<del>${inner}</del>`;
}

/** One text field's diff, laid out in the story's direction. */
export function renderTextDiff(parts: readonly DiffPart[], language: string, labels: DiffLabels = DIFF_LABELS.en): SafeHtml {
  const dir = directionOf(language);
  return html`<div class="diff-text" lang="${language}" dir="${dir}">${parts.map((p) => part(p, dir, labels))}</div>`;
}

function value(v: unknown, labels: DiffLabels): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return labels.empty;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ');
  return JSON.stringify(v);
}

export interface VersionDiffViewOptions {
  /** The story's language (of the later version): direction and `lang` of the text fields. */
  language: string;
  /** The desk's words; English by default. */
  labels?: DiffLabels;
  /** Heading level of the field titles inside the page (default 3). */
  headingLevel?: 2 | 3 | 4;
}

/** The whole diff: the changed text fields word by word, then the other fields before and after. */
export function renderVersionDiff(diff: VersionDiff, o: VersionDiffViewOptions): SafeHtml {
  const labels = o.labels ?? DIFF_LABELS.en;
  const level = o.headingLevel === 2 || o.headingLevel === 4 ? o.headingLevel : 3;
  const heading = (text: string) => html`${raw(`<h${level}>`)}${text}${raw(`</h${level}>`)}`;
  const fields = (['headline', 'deck', 'body'] as const).filter((f) => diff.changed.includes(f));
  const others = Object.entries(diff.fields);
  if (!fields.length && !others.length) {
    return html`<section class="version-diff" data-from="${diff.from}" data-to="${diff.to}"><p>${labels.noChanges}</p></section>`;
  }
  return html`<section class="version-diff" data-from="${diff.from}" data-to="${diff.to}">
${fields.map(
  (f) => html`<div class="diff-field diff-${f}">${heading(labels[f])}
${renderTextDiff(diff.text[f], o.language, labels)}</div>
`,
)}${
  others.length
    ? html`<div class="diff-field diff-other"><table><caption>${labels.otherFields}</caption>
<thead><tr><th scope="col">${labels.field}</th><th scope="col">${labels.before}</th><th scope="col">${labels.after}</th></tr></thead>
<tbody>${others.map(
        ([name, change]) =>
          html`<tr><th scope="row">${name}</th><td dir="auto"><del>${value(change.from, labels)}</del></td><td dir="auto"><ins>${value(change.to, labels)}</ins></td></tr>`,
      )}</tbody></table></div>`
    : ''
}</section>`;
}
