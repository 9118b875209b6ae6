// Hardened XML reading for documents that come from outside (imports, NewsML-G2 from other agencies).
// Threats handled here, before any format logic sees the document:
//  * DOCTYPE is refused outright, so there are no entity declarations: no billion-laughs expansion,
//    no external entities (XXE), no external DTD fetches;
//  * only the five predefined entities and numeric character references are decoded, by us, in one
//    pass (the parser's own entity handling is switched off so `&amp;#60;` cannot be double-decoded);
//  * a byte limit and a nesting limit keep a gigantic or pathological document from exhausting memory
//    or the stack.
// The result is a small namespace-resolved tree, because G2 readers must check namespaces, not prefixes.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FormatError, checkSize, MAX_DOCUMENT_BYTES } from './format-error.ts';

export interface XmlElement {
  /** Local name (`newsItem`). */
  name: string;
  /** Namespace URI, or '' for no namespace. */
  ns: string;
  /** Attributes by qualified name as written (`guid`, `xml:lang`); namespace declarations left out. */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Element path from the root (`/newsItem/itemMeta/itemClass`), for error messages. */
  path: string;
}
export type XmlNode = XmlElement | string;

export interface XmlLimits {
  maxBytes?: number;
  maxDepth?: number;
}

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const DEFAULT_MAX_DEPTH = 256;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: DEFAULT_MAX_DEPTH,
} as ConstructorParameters<typeof XMLParser>[0]);

/** Line and column (1-based) of a character offset, for error messages. */
function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${offset - last}`;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes entity and character references once. Any other named entity is an error: nothing declares it. */
export function decodeEntities(s: string, where: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new FormatError('xml-syntax', `unterminated reference "${m}"`, { location: where });
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!isXmlChar(cp)) throw new FormatError('xml-syntax', `character reference ${m} is not an XML character`, { location: where });
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[ref];
    if (v === undefined) {
      throw new FormatError('entity-forbidden', `undeclared entity "&${ref};" (DTDs are not accepted, so only the predefined entities exist)`, {
        location: where,
      });
    }
    return v;
  });
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Parses untrusted XML into a namespace-resolved tree, or throws a FormatError naming line/path and rule. */
export function parseXmlSafe(xml: string, limits: XmlLimits = {}): XmlElement {
  checkSize(xml, limits.maxBytes ?? MAX_DOCUMENT_BYTES);
  const doctype = xml.search(/<!DOCTYPE/i);
  if (doctype !== -1) {
    throw new FormatError('doctype-forbidden', 'DOCTYPE declarations are refused (they enable entity expansion and external entities)', {
      location: lineCol(xml, doctype),
    });
  }
  const entity = xml.search(/<!ENTITY/i);
  if (entity !== -1) {
    throw new FormatError('entity-forbidden', 'entity declarations are refused', { location: lineCol(xml, entity) });
  }
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new FormatError('xml-syntax', `not well-formed XML: ${valid.err.msg}`, { location: `line ${valid.err.line}, column ${valid.err.col}` });
  }
  let raw: unknown[];
  try {
    raw = parser.parse(xml) as unknown[];
  } catch (e) {
    const msg = (e as Error).message;
    if (/nested/i.test(msg)) throw new FormatError('depth-limit', `elements nested deeper than ${limits.maxDepth ?? DEFAULT_MAX_DEPTH} levels`);
    throw new FormatError('xml-syntax', `not well-formed XML: ${msg}`);
  }
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const roots: XmlElement[] = [];
  for (const node of raw) {
    const conv = convert(
      node as RawNode,
      new Map([
        ['xml', XML_NS],
        ['', ''],
      ]),
      '',
      1,
      maxDepth,
    );
    if (conv === null) continue;
    if (typeof conv === 'string') {
      if (conv.trim() !== '') throw new FormatError('xml-syntax', 'text outside the root element', { location: '/' });
      continue;
    }
    roots.push(conv);
  }
  if (roots.length !== 1) {
    throw new FormatError('xml-syntax', roots.length === 0 ? 'no root element' : 'more than one root element', { location: '/' });
  }
  return roots[0];
}

type RawNode = Record<string, unknown>;

function convert(node: RawNode, scope: Map<string, string>, parentPath: string, depth: number, maxDepth: number): XmlNode | null {
  if ('#text' in node) return decodeEntities(String(node['#text']), parentPath || '/');
  const qname = Object.keys(node).find((k) => k !== ':@');
  if (!qname || qname === '?xml' || qname.startsWith('?') || qname === '#comment') return null;
  if (depth > maxDepth) throw new FormatError('depth-limit', `elements nested deeper than ${maxDepth} levels`, { location: parentPath });
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  let local = scope;
  const attrs: Record<string, string> = {};
  const path = `${parentPath}/${qname}`;
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (local === scope) local = new Map(scope);
      local.set(k === 'xmlns' ? '' : k.slice(6), decodeEntities(v, path));
    } else {
      attrs[k] = decodeEntities(v, `${path}/@${k}`);
    }
  }
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? '' : qname.slice(0, colon);
  const name = colon === -1 ? qname : qname.slice(colon + 1);
  const ns = local.get(prefix);
  if (ns === undefined) throw new FormatError('namespace', `undeclared namespace prefix "${prefix}"`, { location: path });
  const children: XmlNode[] = [];
  for (const child of (node[qname] ?? []) as RawNode[]) {
    const c = convert(child, local, path, depth + 1, maxDepth);
    if (c !== null) children.push(c);
  }
  return { name, ns, attrs, children, path };
}

// Small helpers the format readers share.

export function elements(el: XmlElement, name?: string, ns: string = el.ns): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && (name === undefined || (c.name === name && c.ns === ns))) out.push(c);
  return out;
}

export function element(el: XmlElement | undefined, name: string, ns?: string): XmlElement | undefined {
  if (!el) return undefined;
  return elements(el, name, ns ?? el.ns)[0];
}

/** All text below an element, in document order. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  let s = '';
  for (const c of el.children) s += typeof c === 'string' ? c : textOf(c);
  return s;
}

/** Text with XML whitespace runs collapsed (pretty-printed documents indent their text). */
export function collapsedText(el: XmlElement | undefined): string {
  return collapse(textOf(el));
}

export function collapse(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ').trim();
}
