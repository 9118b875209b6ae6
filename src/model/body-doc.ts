// The story body as the rich editor's document (ProseMirror JSON) and back. The editor's schema has
// exactly the node types below and no marks, so every document it can hold maps onto the model's
// blocks and nothing else: no raw HTML is ever stored. This module has no DOM and no editor code, so
// the server (form posts, tests) and the browser bundle share the one mapping.
import type { Block } from './story.ts';

/** Node type names of the editor's schema; src/web/client/editor/schema.ts defines one node per name. */
export const BODY_NODES = {
  doc: 'doc',
  paragraph: 'paragraph',
  subheading: 'subheading',
  quote: 'quote',
  quoteText: 'quoteText',
  quoteAttribution: 'quoteAttribution',
  bulletList: 'bulletList',
  orderedList: 'orderedList',
  listItem: 'listItem',
  text: 'text',
  hardBreak: 'hardBreak',
} as const;

/** A node of the document as ProseMirror's `toJSON()` writes it (the parts this schema uses). */
export interface DocNode {
  type: string;
  text?: string;
  content?: DocNode[];
  attrs?: Record<string, unknown>;
  marks?: { type: string }[];
}

/** Text as inline content: a line break in the model's text is a hard break node (text nodes may not be empty). */
function inline(text: string): DocNode[] | undefined {
  const out: DocNode[] = [];
  text.split('\n').forEach((line, i) => {
    if (i > 0) out.push({ type: BODY_NODES.hardBreak });
    if (line) out.push({ type: BODY_NODES.text, text: line });
  });
  return out.length ? out : undefined;
}

function node(type: string, text: string): DocNode {
  const content = inline(text);
  return content ? { type, content } : { type };
}

/** The editor document for a body; an empty body is one empty paragraph (ProseMirror needs a block to type in). */
export function blocksToDoc(blocks: readonly Block[]): DocNode {
  const content = blocks.map((b): DocNode => {
    switch (b.type) {
      case 'paragraph':
        return node(BODY_NODES.paragraph, b.text);
      case 'subheading':
        return node(BODY_NODES.subheading, b.text);
      case 'quote':
        return { type: BODY_NODES.quote, content: [node(BODY_NODES.quoteText, b.text), node(BODY_NODES.quoteAttribution, b.attribution ?? '')] };
      case 'list':
        return {
          type: b.ordered ? BODY_NODES.orderedList : BODY_NODES.bulletList,
          content: b.items.map((item) => ({ type: BODY_NODES.listItem, content: [node(BODY_NODES.paragraph, item)] })),
        };
    }
  });
  return { type: BODY_NODES.doc, content: content.length ? content : [{ type: BODY_NODES.paragraph }] };
}

/** The plain text of a textblock: text nodes as they are, hard breaks as line breaks, anything else ignored. */
function textOf(n: DocNode | undefined): string {
  if (!n) return '';
  if (n.type === BODY_NODES.text) return typeof n.text === 'string' ? n.text : '';
  if (n.type === BODY_NODES.hardBreak) return '\n';
  return (n.content ?? []).map(textOf).join('');
}

/**
 * The model's blocks for an editor document. What the model cannot hold is dropped rather than
 * guessed at: empty paragraphs (the editor's blank lines), empty list items, an empty attribution
 * (the attribution field is always shown, an unfilled one means none), unknown node types.
 */
export function docToBlocks(doc: DocNode): Block[] {
  const blocks: Block[] = [];
  for (const n of doc.content ?? []) {
    switch (n.type) {
      case BODY_NODES.paragraph:
      case BODY_NODES.subheading: {
        const text = textOf(n);
        if (text.trim()) blocks.push({ type: n.type === BODY_NODES.paragraph ? 'paragraph' : 'subheading', text });
        break;
      }
      case BODY_NODES.quote: {
        const text = textOf(n.content?.find((c) => c.type === BODY_NODES.quoteText));
        const attribution = textOf(n.content?.find((c) => c.type === BODY_NODES.quoteAttribution));
        if (text.trim()) blocks.push(attribution.trim() ? { type: 'quote', text, attribution } : { type: 'quote', text });
        break;
      }
      case BODY_NODES.bulletList:
      case BODY_NODES.orderedList: {
        const items = (n.content ?? []).map(textOf).filter((t) => t.trim());
        if (items.length) blocks.push({ type: 'list', ordered: n.type === BODY_NODES.orderedList, items });
        break;
      }
    }
  }
  return blocks;
}

/** The textarea fallback (no JavaScript): paragraphs separated by blank lines, single line breaks kept inside one. */
export function blocksFromPlainText(text: string): Block[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim())
    .map((p) => ({ type: 'paragraph', text: p }));
}

/** The body as the textarea fallback shows it: one block a paragraph, list items on lines of their own. */
export function blocksToPlainText(blocks: readonly Block[]): string {
  return blocks.map((b) => (b.type === 'list' ? b.items.join('\n') : b.text)).join('\n\n');
}

export interface BodyCounts {
  /** Characters as readers count them (grapheme clusters: a letter with its harakat is one). */
  characters: number;
  /** Words by Unicode word segmentation (Arabic, Turkish and Latin alike). */
  words: number;
}

let segmenters: { grapheme: Intl.Segmenter; word: Intl.Segmenter } | undefined;

/** Character and word counts of the body's text, the blocks joined as paragraphs. */
export function bodyCounts(blocks: readonly Block[]): BodyCounts {
  segmenters ??= { grapheme: new Intl.Segmenter(undefined, { granularity: 'grapheme' }), word: new Intl.Segmenter(undefined, { granularity: 'word' }) };
  let characters = 0;
  let words = 0;
  for (const b of blocks) {
    for (const text of b.type === 'list' ? b.items : b.type === 'quote' && b.attribution ? [b.text, b.attribution] : [b.text]) {
      for (const _ of segmenters.grapheme.segment(text)) characters++;
      for (const s of segmenters.word.segment(text)) if (s.isWordLike) words++;
    }
  }
  return { characters, words };
}
