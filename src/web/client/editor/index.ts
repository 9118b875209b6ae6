// The story body editor: a Tiptap editor on the schema of ./schema.ts, a toolbar (one button a block
// type, WAI-ARIA toolbar keys), live character and word counts, and a hidden field holding the blocks
// as JSON so a plain form post carries them. The page embeds it with mount(); ../editor.ts mounts it on
// server-rendered `[data-story-editor]` fields, replacing their textarea.
import { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { TextSelection } from '@tiptap/pm/state';
import { BODY_NODES as N, blocksToDoc, bodyCounts, docToBlocks, type DocNode } from '../../../model/body-doc.ts';
import { type Block, directionOf } from '../../../model/story.ts';
import { bodyExtensions } from './schema.ts';

export type BlockKind = 'paragraph' | 'subheading' | 'quote' | 'bulletList' | 'orderedList';

export interface EditorLabels {
  toolbar: string;
  paragraph: string;
  subheading: string;
  quote: string;
  bulletList: string;
  orderedList: string;
  attribution: string;
  /** "{characters} characters, {words} words" */
  counts: string;
}

export const ENGLISH_LABELS: EditorLabels = {
  toolbar: 'Body blocks',
  paragraph: 'Paragraph',
  subheading: 'Subheading',
  quote: 'Quote with attribution',
  bulletList: 'Bulleted list',
  orderedList: 'Numbered list',
  attribution: 'Attribution (who said it)',
  counts: '{characters} characters, {words} words',
};

export interface MountOptions {
  blocks: Block[];
  /** The story's language (BCP 47): sets the editing direction and `lang`. */
  language: string;
  onChange?: (blocks: Block[]) => void;
  labels?: Partial<EditorLabels>;
  /** Name of the hidden form field that carries the blocks as JSON (default `body`); empty for none. */
  fieldName?: string;
  /** Id of the visible label of the field, for the editable area's accessible name. */
  labelledBy?: string;
}

export interface StoryEditor {
  getBlocks(): Block[];
  setLanguage(language: string): void;
  destroy(): void;
  /** The Tiptap editor, for pages that need more (focus, commands). */
  readonly editor: Editor;
}

const KINDS: { kind: BlockKind; keys: string; pm: string }[] = [
  { kind: 'paragraph', keys: 'Control+Alt+0', pm: 'Mod-Alt-0' },
  { kind: 'subheading', keys: 'Control+Alt+2', pm: 'Mod-Alt-2' },
  { kind: 'quote', keys: 'Control+Shift+9', pm: 'Mod-Shift-9' },
  { kind: 'bulletList', keys: 'Control+Shift+8', pm: 'Mod-Shift-8' },
  { kind: 'orderedList', keys: 'Control+Shift+7', pm: 'Mod-Shift-7' },
];

/** The text lines of a top-level block: one for a paragraph or subheading, the quote's text, each list item. */
function linesOf(node: PMNode): { lines: string[]; attribution: string } {
  const blocks = docToBlocks({ type: N.doc, content: [node.toJSON() as DocNode] });
  const b = blocks[0];
  if (!b) return { lines: [''], attribution: '' };
  if (b.type === 'list') return { lines: b.items, attribution: '' };
  return { lines: [b.text], attribution: b.type === 'quote' ? (b.attribution ?? '') : '' };
}

/** The kind of the top-level block at the cursor. */
function kindAt(editor: Editor): BlockKind {
  const { $head } = editor.state.selection;
  const name = $head.depth >= 1 ? $head.node(1).type.name : N.paragraph;
  return name === N.bulletList || name === N.orderedList || name === N.subheading || name === N.quote ? (name as BlockKind) : 'paragraph';
}

/**
 * Turns the top-level blocks the selection touches into `kind` (or back into paragraphs when they
 * already are of that kind, like a toggle): lines become paragraphs, subheadings or list items, and
 * several lines become one quote. The cursor ends at the end of the new blocks' text.
 */
function setKind(editor: Editor, wanted: BlockKind): boolean {
  const { state } = editor;
  const { $from, $to } = state.selection;
  if ($from.depth < 1) return false;
  const kind = kindAt(editor) === wanted && wanted !== 'paragraph' ? 'paragraph' : wanted;
  const start = $from.before(1);
  const end = $to.after(1);
  const lines: string[] = [];
  let attribution = '';
  state.doc.nodesBetween(start, end, (node) => {
    const got = linesOf(node);
    lines.push(...got.lines);
    attribution ||= got.attribution;
    return false;
  });
  const blocks: Block[] =
    kind === 'quote'
      ? [{ type: 'quote', text: lines.join('\n'), attribution }]
      : kind === 'bulletList' || kind === 'orderedList'
        ? [{ type: 'list', ordered: kind === 'orderedList', items: lines }]
        : lines.map((text) => ({ type: kind, text }));
  const doc = blocksToDoc(blocks);
  const nodes = (doc.content ?? []).map((n) => editor.schema.nodeFromJSON(n));
  const tr = state.tr.replaceWith(start, end, nodes);
  // The cursor goes to the end of the last new textblock that takes text (a quote's text, not its attribution).
  const size = nodes.reduce((n, node) => n + node.nodeSize, 0);
  let caret = start + 1;
  tr.doc.nodesBetween(start, start + size, (node, pos) => {
    if (!node.isTextblock) return true;
    if (node.type.name !== N.quoteAttribution) caret = pos + 1 + node.content.size;
    return false;
  });
  tr.setSelection(TextSelection.create(tr.doc, Math.min(caret, tr.doc.content.size)));
  editor.view.dispatch(tr.scrollIntoView());
  return true;
}

function format(template: string, values: Record<string, number>, language: string): string {
  const nf = new Intl.NumberFormat(language);
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in values ? nf.format(values[k]) : `{${k}}`));
}

/** Word processors' leftovers that would otherwise become text: conditional comments and Word's list bullets. */
function cleanPastedHtml(html: string): string {
  return html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
    .replace(/<span[^>]*mso-list:\s*Ignore[^>]*>[\s\S]*?<\/span>/gi, '')
    .replace(/<o:p>[\s\S]*?<\/o:p>/gi, '');
}

// The editor's own look, adopted once per document (a constructed stylesheet: no <style> element, so a
// page's Content-Security-Policy need not allow inline styles, and no extra request); pages style the
// rest. Colours keep WCAG AA contrast on white. The first rules are what ProseMirror needs (Tiptap's
// injected stylesheet is turned off), except that ligatures stay on: ProseMirror turns them off for
// Latin cursor placement, but Arabic script is drawn with them.
const CSS = `
.ProseMirror{position:relative;overflow-wrap:break-word;white-space:pre-wrap;white-space:break-spaces}
.ProseMirror[dir=ltr]{font-variant-ligatures:none}
img.ProseMirror-separator{display:inline!important;border:none!important;margin:0!important;width:0!important;height:0!important}
.ProseMirror-hideselection *::selection{background:transparent}
.ProseMirror-hideselection{caret-color:transparent}
.story-editor-toolbar{display:flex;flex-wrap:wrap;gap:.25rem;margin-block:.25rem}
.story-editor-toolbar button{font:inherit;padding:.25rem .6rem;border:1px solid #555;background:#fff;color:#111;border-radius:3px;cursor:pointer}
.story-editor-toolbar button[aria-pressed=true]{background:#0b2545;border-color:#0b2545;color:#fff}
.story-editor-toolbar button:focus-visible{outline:3px solid #b3001b;outline-offset:1px}
.story-editor-text{min-height:12rem;border:1px solid #555;padding:.5rem .75rem;white-space:pre-wrap;overflow-wrap:break-word;background:#fff;color:#111}
.story-editor-text:focus{outline:3px solid #b3001b;outline-offset:1px}
.story-editor-text blockquote{border-inline-start:4px solid #0b2545;margin-inline:0;padding-inline-start:1rem}
.story-editor-text blockquote p{margin-block:.25rem}
.story-editor-text .attribution{font-style:italic;display:block}
.story-editor-text .attribution.is-empty::before{content:attr(data-hint);color:#595959;pointer-events:none;float:inline-start;height:0}
.story-editor-counts{color:#333;font-size:.9em;margin-block:.25rem}
`;
let styled = false;
function adoptStyles(): void {
  if (styled) return;
  styled = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

let counter = 0;

export function mount(element: HTMLElement, options: MountOptions): StoryEditor {
  const labels: EditorLabels = { ...ENGLISH_LABELS, ...options.labels };
  adoptStyles();
  const id = `story-editor-${++counter}`;
  let language = options.language;

  element.classList.add('story-editor-mounted');
  const toolbar = document.createElement('div');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', labels.toolbar);
  toolbar.setAttribute('aria-controls', `${id}-area`);
  toolbar.className = 'story-editor-toolbar';
  const buttons = KINDS.map(({ kind, keys }, i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `story-editor-${kind}`;
    b.dataset.kind = kind;
    b.textContent = labels[kind];
    b.setAttribute('aria-pressed', 'false');
    b.setAttribute('aria-keyshortcuts', keys);
    b.title = `${labels[kind]} (${keys.replace(/\+/g, '+')})`;
    b.tabIndex = i === 0 ? 0 : -1;
    toolbar.append(b);
    return b;
  });
  const area = document.createElement('div');
  area.className = 'story-editor-area';
  const counts = document.createElement('p');
  counts.className = 'story-editor-counts';
  counts.id = `${id}-counts`;
  const field = options.fieldName === '' ? null : document.createElement('input');
  if (field) {
    field.type = 'hidden';
    field.name = options.fieldName ?? 'body';
  }
  element.append(toolbar, area, counts, ...(field ? [field] : []));

  const attributes = () => ({
    id: `${id}-area`,
    class: 'story-editor-text',
    role: 'textbox',
    'aria-multiline': 'true',
    ...(options.labelledBy ? { 'aria-labelledby': options.labelledBy } : { 'aria-label': labels.toolbar }),
    'aria-describedby': counts.id,
    lang: language,
    dir: directionOf(language),
    spellcheck: 'true',
  });

  const shortcuts = Object.fromEntries(KINDS.map(({ kind, pm }) => [pm, () => setKind(editor, kind)]));
  const editor: Editor = new Editor({
    element: area,
    extensions: bodyExtensions(() => labels.attribution),
    content: blocksToDoc(options.blocks),
    injectCSS: false,
    enableInputRules: false,
    enablePasteRules: false,
    editorProps: {
      attributes: attributes(),
      transformPastedHTML: cleanPastedHtml,
      handleKeyDown: (_view, event) => {
        const key = `${event.ctrlKey || event.metaKey ? 'Mod-' : ''}${event.altKey ? 'Alt-' : ''}${event.shiftKey ? 'Shift-' : ''}${event.code.replace(/^Digit/, '')}`;
        const run = shortcuts[key];
        if (!run) return false;
        event.preventDefault();
        return run();
      },
    },
  });

  let current = docToBlocks(editor.getJSON() as DocNode);
  const refresh = () => {
    current = docToBlocks(editor.getJSON() as DocNode);
    const c = bodyCounts(current);
    counts.textContent = format(labels.counts, { characters: c.characters, words: c.words }, language);
    if (field) field.value = JSON.stringify(current);
    const kind = kindAt(editor);
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
  };
  refresh();
  editor.on('update', () => {
    refresh();
    options.onChange?.(current);
  });
  editor.on('selectionUpdate', refresh);

  toolbar.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button');
    if (!b?.dataset.kind) return;
    setKind(editor, b.dataset.kind as BlockKind);
    editor.view.focus();
  });
  // Arrow keys, Home and End move between the buttons (one tab stop for the whole toolbar); the arrows
  // follow the page's direction, so → moves left to right in English and right to left in Arabic.
  toolbar.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const rtl = getComputedStyle(toolbar).direction === 'rtl';
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, Home: -i, End: buttons.length - 1 - i }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const next = buttons[(i + step + buttons.length) % buttons.length];
    for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
    next.focus();
  });

  return {
    editor,
    getBlocks: () => docToBlocks(editor.getJSON() as DocNode),
    setLanguage(next: string) {
      language = next;
      editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: attributes() } });
      refresh();
    },
    destroy() {
      editor.destroy();
      toolbar.remove();
      area.remove();
      counts.remove();
      field?.remove();
      element.classList.remove('story-editor-mounted');
    },
  };
}
