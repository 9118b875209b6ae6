// Body blocks ⇄ markup, shared by every format. Bodies are structured in the model, so the markup is
// generated here only, escaped once, and always well-formed XHTML (it is embedded verbatim in
// NewsML-G2 inlineXML and Atom xhtml content, and read back by the importers).
import type { Block, Photo, StoryVersion } from '../model/story.ts';
import { directionOf } from '../model/story.ts';
import { parseXmlSafe, textOf, collapse, type XmlElement, type XmlNode } from './xml-safe.ts';
import { FormatError } from './format-error.ts';

export const XHTML_NS = 'http://www.w3.org/1999/xhtml';

// Characters XML 1.0 cannot carry at all (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F).
// Real feeds contain them now and then; dropping them is the only way to stay well-formed.
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_INVALID_XML_CHAR = new RegExp(INVALID_XML_CHARS.source); // no g flag: .test() must be stateless
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Escapes text for XML/HTML element content and double-quoted attributes. */
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const MARKUP = /[&<>"]/g;
const entityOf = (c: string) => ENTITY[c];

export function escapeXml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  // One pass for markup (quotes are common in news text); the invalid-character pass only when needed.
  const clean = HAS_INVALID_XML_CHAR.test(s) ? s.replace(INVALID_XML_CHARS, '') : s;
  return clean.replace(MARKUP, entityOf);
}

/** Drops characters XML cannot carry, for text handed to an XML builder that escapes by itself. */
export function xmlSafeText(s: string): string {
  return s.replace(INVALID_XML_CHARS, '');
}

/** Body blocks as an XHTML fragment: p, h2, blockquote (footer = attribution), ul/ol. */
export function blocksToHtml(blocks: Block[]): string {
  let out = '';
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
        out += `<p>${escapeXml(b.text)}</p>`;
        break;
      case 'subheading':
        out += `<h2>${escapeXml(b.text)}</h2>`;
        break;
      case 'quote':
        out += `<blockquote><p>${escapeXml(b.text)}</p>${b.attribution ? `<footer>${escapeXml(b.attribution)}</footer>` : ''}</blockquote>`;
        break;
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        out += `<${tag}>${b.items.map((i) => `<li>${escapeXml(i)}</li>`).join('')}</${tag}>`;
        break;
      }
    }
  }
  return out;
}

/** Photos as XHTML figures (image, alt text, caption, credit): the one place XHTML carries them all. */
export function photosToHtml(photos: Photo[], resolve: (url: string) => string = (u) => u): string {
  return photos
    .map((p) => {
      const size = `${p.width ? ` width="${p.width}"` : ''}${p.height ? ` height="${p.height}"` : ''}`;
      const type = p.mimeType ? ` data-type="${escapeXml(p.mimeType)}"` : '';
      const alt = p.altText ?? p.caption ?? '';
      const caption = p.caption ? `<span class="caption">${escapeXml(p.caption)}</span>` : '';
      const credit = p.credit ? `<span class="credit">${escapeXml(p.credit)}</span>` : '';
      const fig = caption || credit ? `<figcaption>${caption}${caption && credit ? ' ' : ''}${credit}</figcaption>` : '';
      return `<figure><img src="${escapeXml(resolve(p.url))}" alt="${escapeXml(alt)}"${size}${type}/>${fig}</figure>`;
    })
    .join('');
}

/** Plain text body: blocks separated by a blank line, list items one a line, quotes with their source. */
export function blocksToText(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case 'list':
          return b.items.map((item, i) => (b.ordered ? `${i + 1}. ${item}` : `- ${item}`)).join('\n');
        case 'quote':
          return b.attribution ? `«${b.text}»\n— ${b.attribution}` : `«${b.text}»`;
        default:
          return b.text;
      }
    })
    .join('\n\n');
}

/** Whitespace-separated words, for ninjs wordCount. */
export function wordCount(text: string): number {
  // A counting loop: matching /\S+/g would allocate every word of every body on the hot path.
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      n++;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Reading markup back. Used for ninjs HTML bodies, NewsML-G2 XHTML/NITF inlineXML and Atom.

export interface ParsedBody {
  blocks: Block[];
  photos: Photo[];
}

const BLOCK_CONTAINERS = new Set(['nitf', 'div', 'section', 'article', 'main', 'body', 'body.content', 'block', 'html', 'span']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hl1', 'hl2']);

/** Reads block-level markup (XHTML or NITF body content) into body blocks and figure photos. */
export function nodesToBody(nodes: XmlNode[]): ParsedBody {
  const out: ParsedBody = { blocks: [], photos: [] };
  walk(nodes, out);
  return out;
}

function walk(nodes: XmlNode[], out: ParsedBody): void {
  let loose = '';
  const flush = () => {
    const t = collapse(loose);
    if (t) out.blocks.push({ type: 'paragraph', text: t });
    loose = '';
  };
  for (const n of nodes) {
    if (typeof n === 'string') {
      loose += n;
      continue;
    }
    const name = n.name.toLowerCase();
    if (name === 'head' || name === 'title' || name === 'body.head' || name === 'body.end' || name === 'script' || name === 'style') continue;
    if (name === 'p') {
      flush();
      const t = inlineText(n);
      if (t) out.blocks.push({ type: 'paragraph', text: t });
    } else if (HEADINGS.has(name)) {
      flush();
      const t = inlineText(n);
      if (t) out.blocks.push({ type: 'subheading', text: t });
    } else if (name === 'blockquote' || name === 'bq') {
      flush();
      const attribution = n.children.find((c): c is XmlElement => typeof c !== 'string' && ['footer', 'cite', 'credit'].includes(c.name.toLowerCase()));
      const rest = n.children.filter((c) => c !== attribution);
      const text = collapse(rest.map((c) => (typeof c === 'string' ? c : inlineText(c))).join(' '));
      const quote: Block = { type: 'quote', text };
      if (attribution) quote.attribution = inlineText(attribution);
      out.blocks.push(quote);
    } else if (name === 'ul' || name === 'ol') {
      flush();
      const items = n.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name.toLowerCase() === 'li').map(inlineText);
      out.blocks.push({ type: 'list', ordered: name === 'ol', items });
    } else if (name === 'figure' || name === 'img') {
      flush();
      const photo = readFigure(n);
      if (photo) out.photos.push(photo);
    } else if (BLOCK_CONTAINERS.has(name)) {
      flush();
      walk(n.children, out);
    } else {
      loose += inlineText(n);
    }
  }
  flush();
}

function inlineText(el: XmlElement): string {
  // <br/> inside a paragraph is a line break in the source; the model has no inline breaks.
  const parts: string[] = [];
  const rec = (e: XmlElement) => {
    for (const c of e.children) {
      if (typeof c === 'string') parts.push(c);
      else if (c.name.toLowerCase() === 'br') parts.push(' ');
      else rec(c);
    }
  };
  rec(el);
  return collapse(parts.join(''));
}

function findDeep(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (pred(c)) return c;
    const d = findDeep(c, pred);
    if (d) return d;
  }
  return undefined;
}

function readFigure(el: XmlElement): Photo | null {
  const img = el.name.toLowerCase() === 'img' ? el : findDeep(el, (e) => e.name.toLowerCase() === 'img');
  if (!img?.attrs.src) return null;
  const photo: Photo = { url: img.attrs.src };
  const caption = findDeep(el, (e) => e.attrs.class === 'caption');
  const credit = findDeep(el, (e) => e.attrs.class === 'credit');
  const figcaption = findDeep(el, (e) => e.name.toLowerCase() === 'figcaption');
  if (caption) photo.caption = inlineText(caption);
  else if (figcaption) photo.caption = inlineText(figcaption);
  if (credit) photo.credit = inlineText(credit);
  if (img.attrs.alt !== undefined && img.attrs.alt !== '' && img.attrs.alt !== photo.caption) photo.altText = img.attrs.alt;
  const w = Number(img.attrs.width);
  const h = Number(img.attrs.height);
  if (Number.isInteger(w) && w > 0) photo.width = w;
  if (Number.isInteger(h) && h > 0) photo.height = h;
  if (img.attrs['data-type']) photo.mimeType = img.attrs['data-type'];
  return photo;
}

const HTML_NAMED: Record<string, string> = {
  nbsp: '\u00a0',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
};

/**
 * Reads an HTML/XHTML body string (ninjs bodies) into blocks. Strict XML first (what newsflow and most
 * agencies emit); HTML that is not well-formed falls back to a tag-splitting reader so a sloppy but
 * harmless body from another system still imports.
 */
export function htmlToBody(html: string): ParsedBody {
  const prepared = html.replace(/&(nbsp|mdash|ndash|hellip|laquo|raquo|rsquo|lsquo|ldquo|rdquo|copy);/g, (_, n: string) => HTML_NAMED[n]);
  try {
    const root = parseXmlSafe(`<div xmlns="${XHTML_NS}">${prepared}</div>`);
    return nodesToBody(root.children);
  } catch (e) {
    if (e instanceof FormatError && (e.rule === 'doctype-forbidden' || e.rule === 'entity-forbidden' || e.rule === 'size-limit' || e.rule === 'depth-limit'))
      throw e;
    return looseHtmlToBody(prepared);
  }
}

function looseHtmlToBody(html: string): ParsedBody {
  const blocks: Block[] = [];
  for (const chunk of html.split(/<\/?(?:p|div|br|h[1-6]|li|blockquote)\b[^>]*>/i)) {
    const t = collapse(decodeLoose(chunk.replace(/<[^>]*>/g, '')));
    if (t) blocks.push({ type: 'paragraph', text: t });
  }
  return { blocks, photos: [] };
}

function decodeLoose(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, r: string) => {
    if (r[0] === '#') return String.fromCodePoint(r[1] === 'x' || r[1] === 'X' ? parseInt(r.slice(2), 16) : parseInt(r.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[r.toLowerCase()] ?? '';
  });
}

/** Plain text (paragraphs separated by blank lines) back into paragraph blocks. */
export function textToBlocks(text: string): Block[] {
  return text
    .split(/\n\s*\n|\r\n\s*\r\n/)
    .map((p) => collapse(p))
    .filter((p) => p !== '')
    .map((text) => ({ type: 'paragraph' as const, text }));
}

// ---------------------------------------------------------------------------------------------
// Whole-story renderings for `?format=html` and `?format=text`.

/** A standalone HTML5 page of one version (lang/dir set, so Arabic renders right to left). */
export function storyToHtml(v: StoryVersion): string {
  const c = v.content;
  const dir = directionOf(c.language);
  const byline = c.byline.map((p) => escapeXml(p.name)).join('، ');
  const dateline = c.dateline
    ? [c.dateline.place, c.dateline.reporter, c.dateline.agency]
        .filter(Boolean)
        .map((s) => escapeXml(s!))
        .join(' / ')
    : '';
  const note =
    v.kind === 'killed' && v.killReason
      ? `<p class="kill">${escapeXml(v.killReason)}</p>`
      : v.correctionNote
        ? `<p class="correction">${escapeXml(v.correctionNote)}</p>`
        : '';
  return (
    `<!DOCTYPE html><html lang="${escapeXml(c.language)}" dir="${dir}"><head><meta charset="utf-8"/><title>${escapeXml(c.headline)}</title></head>` +
    `<body><article><h1>${escapeXml(c.headline)}</h1>${c.deck ? `<p class="deck">${escapeXml(c.deck)}</p>` : ''}` +
    `${byline ? `<p class="byline">${byline}</p>` : ''}<time datetime="${escapeXml(v.versionCreatedAt)}">${escapeXml(v.versionCreatedAt)}</time>` +
    `${note}${photosToHtml(c.photos)}${dateline ? `<p class="dateline">${dateline}</p>` : ''}${blocksToHtml(c.body)}</article></body></html>`
  );
}

/** The version as plain text: headline, deck, dateline, body. */
export function storyToText(v: StoryVersion): string {
  const c = v.content;
  const parts = [c.headline];
  if (c.deck) parts.push(c.deck);
  if (v.kind === 'killed' && v.killReason) parts.push(v.killReason);
  else if (v.correctionNote) parts.push(v.correctionNote);
  if (c.dateline) parts.push([c.dateline.place, c.dateline.reporter, c.dateline.agency].filter(Boolean).join(' / '));
  parts.push(blocksToText(c.body));
  return parts.filter((p) => p !== '').join('\n\n') + '\n';
}

export { textOf };
