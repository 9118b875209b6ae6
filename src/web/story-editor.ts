// The story body field of a desk form, server side. It renders as a labelled textarea of paragraphs
// (what a browser without JavaScript edits and posts, as `bodyText`), with the blocks as JSON in
// data-blocks; the editor page script (src/web/client/editor.ts) replaces it with the rich editor,
// which posts the blocks as JSON in `body` and disables the textarea. bodyFromForm reads either.
import { blocksFromPlainText, blocksToPlainText } from '../model/body-doc.ts';
import { ValidationError } from '../model/validate.ts';
import { type Block, directionOf } from '../model/story.ts';
import { html, type SafeHtml } from './html.ts';

/** The editor's words in the desk's interface languages (the keys of EditorLabels in the client). */
export const EDITOR_LABELS = {
  en: {
    toolbar: 'Body blocks',
    paragraph: 'Paragraph',
    subheading: 'Subheading',
    quote: 'Quote with attribution',
    bulletList: 'Bulleted list',
    orderedList: 'Numbered list',
    attribution: 'Attribution (who said it)',
    counts: '{characters} characters, {words} words',
  },
  ar: {
    toolbar: 'كتل النص',
    paragraph: 'فقرة',
    subheading: 'عنوان فرعي',
    quote: 'اقتباس مع نسبته',
    bulletList: 'قائمة نقطية',
    orderedList: 'قائمة مرقمة',
    attribution: 'النسبة (من قال ذلك)',
    counts: '{characters} حرفًا، {words} كلمة',
  },
  tr: {
    toolbar: 'Metin blokları',
    paragraph: 'Paragraf',
    subheading: 'Ara başlık',
    quote: 'Kaynaklı alıntı',
    bulletList: 'Madde işaretli liste',
    orderedList: 'Numaralı liste',
    attribution: 'Kaynak (kim söyledi)',
    counts: '{characters} karakter, {words} kelime',
  },
} as const;

export type EditorInterfaceLanguage = keyof typeof EDITOR_LABELS;

export interface StoryEditorFieldOptions {
  /** Id of the field's container; the textarea is `${id}-text`. */
  id?: string;
  label: string;
  blocks: readonly Block[];
  /** The story's language: the direction the body is written in. */
  language: string;
  /** The desk's interface language, for the toolbar's words. */
  interfaceLanguage: EditorInterfaceLanguage;
  /** A message about the field from the server's validation, shown next to it. */
  error?: string;
}

/** The body field: works as a textarea without JavaScript, becomes the rich editor with the `editor` page script. */
export function storyEditorField(o: StoryEditorFieldOptions): SafeHtml {
  const id = o.id ?? 'story-body';
  const errorId = `${id}-error`;
  return html`<div class="story-editor" id="${id}" data-story-editor data-field="body" data-language="${o.language}" data-labels="${JSON.stringify(
    EDITOR_LABELS[o.interfaceLanguage],
  )}" data-blocks="${JSON.stringify(o.blocks)}">
<label for="${id}-text">${o.label}</label>
<textarea id="${id}-text" name="bodyText" rows="18" lang="${o.language}" dir="${directionOf(o.language)}"${
    o.error ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''
  }>${blocksToPlainText(o.blocks)}</textarea>
${o.error ? html`<p class="field-error" id="${errorId}">${o.error}</p>` : ''}
</div>`;
}

/**
 * The body a form posted: the editor's blocks (JSON in `body`), or without JavaScript the textarea's
 * paragraphs (`bodyText`, separated by blank lines). The blocks' shape is checked with the whole story
 * (validateDraftInput), so a hand-made post gets the same messages as the API.
 */
export function bodyFromForm(form: Record<string, unknown>): Block[] {
  const json = form.body;
  if (typeof json === 'string' && json !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new ValidationError([{ field: '/body', message: 'the body did not arrive as the editor sends it (JSON blocks); reload the page and try again' }]);
    }
    if (!Array.isArray(parsed)) throw new ValidationError([{ field: '/body', message: 'the body must be a list of blocks' }]);
    return parsed as Block[];
  }
  return typeof form.bodyText === 'string' ? blocksFromPlainText(form.bodyText) : [];
}
