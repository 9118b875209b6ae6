// The newsroom query language: words, "phrases" (or «phrases»), OR, NOT / -, (grouping), field
// prefixes and whole-query filters (lang:, date:, urgency:).
//
// Precedence follows web search engines, which is what editors type by habit: OR binds tighter than
// the implicit AND, so `غزة الأسرى OR المعتقلين` means غزة AND (الأسرى OR المعتقلين).
// User text never reaches FTS5: this module produces a tree; the index compiles it from analyzed terms.

export type { SearchField, QueryNode, QueryFilters, ParsedQuery } from '../model/search.ts';
import type { SearchField, QueryNode, QueryFilters, ParsedQuery } from '../model/search.ts';

/** What went wrong, in words a subscriber can act on. `position` is a 0-based character index. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

export const MAX_QUERY_LENGTH = 1000;
export const MAX_QUERY_TERMS = 64;
const MAX_DEPTH = 16;

const FIELDS: Record<string, SearchField> = {
  headline: 'headline',
  title: 'headline',
  body: 'body',
  text: 'body',
  byline: 'byline',
  author: 'byline',
  dateline: 'dateline',
  place: 'dateline',
  category: 'category',
  cat: 'category',
  keyword: 'keyword',
  tag: 'keyword',
  hashtag: 'keyword',
};
type FilterName = 'lang' | 'date' | 'urgency';
const FILTERS: Record<string, FilterName> = { lang: 'lang', language: 'lang', date: 'date', urgency: 'urgency' };

const URGENCY_WORDS: Record<string, number> = { flash: 1, urgent: 2, important: 3, routine: 4, special: 5, archive: 6 };

type Lexeme =
  | { t: 'lparen'; at: number }
  | { t: 'rparen'; at: number }
  | { t: 'or' | 'and' | 'not'; at: number }
  | { t: 'minus'; at: number }
  | { t: 'word'; text: string; at: number }
  | { t: 'phrase'; text: string; at: number }
  | { t: 'field'; field: SearchField; at: number; name: string }
  | { t: 'filter'; filter: FilterName; value: string; at: number; name: string };

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '”': '”', '«': '»', '„': '“' };
const BREAK = /[\s()"“”«»„]/u;

/** C0/C1 controls and NUL: never meaningful in a query; dropped rather than rejected. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

function lex(q: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ t: 'lparen', at: i++ });
      continue;
    }
    if (c === ')') {
      out.push({ t: 'rparen', at: i++ });
      continue;
    }
    if (QUOTES[c]) {
      const close = QUOTES[c];
      let j = i + 1;
      while (j < q.length && q[j] !== close && !(close !== '"' && q[j] === '"') && !(c === '"' && (q[j] === '”' || q[j] === '“'))) j++;
      if (j >= q.length) throw new QuerySyntaxError(`The quote at position ${i + 1} is never closed; add a closing ${close}.`, i);
      out.push({ t: 'phrase', text: q.slice(i + 1, j), at: i });
      i = j + 1;
      continue;
    }
    if (c === '-' && i + 1 < q.length && !/[\s-]/u.test(q[i + 1]) && (i === 0 || /[\s(]/u.test(q[i - 1]))) {
      out.push({ t: 'minus', at: i++ });
      continue;
    }
    let j = i;
    while (j < q.length && !BREAK.test(q[j])) j++;
    const run = q.slice(i, j);
    if (run === 'OR' || run === '|' || run === '||') out.push({ t: 'or', at: i });
    else if (run === 'AND' || run === '&&') out.push({ t: 'and', at: i });
    else if (run === 'NOT') out.push({ t: 'not', at: i });
    else {
      const m = /^([A-Za-z]+):(.*)$/su.exec(run);
      const name = m?.[1].toLowerCase();
      if (m && name && FIELDS[name]) {
        out.push({ t: 'field', field: FIELDS[name], at: i, name });
        if (m[2]) out.push({ t: 'word', text: m[2], at: i + name.length + 1 });
        else if (j >= q.length || /\s/u.test(q[j])) throw new QuerySyntaxError(`${name}: needs a word, a "phrase" or (words) right after the colon.`, i);
      } else if (m && name && FILTERS[name]) {
        if (!m[2]) throw new QuerySyntaxError(`${name}: needs a value right after the colon (e.g. ${example(FILTERS[name])}).`, i);
        out.push({ t: 'filter', filter: FILTERS[name], value: m[2], at: i, name });
      } else out.push({ t: 'word', text: run, at: i });
    }
    i = j;
  }
  return out;
}

function example(f: FilterName): string {
  return f === 'lang' ? 'lang:ar' : f === 'date' ? 'date:2026-01-01..2026-01-31' : 'urgency:1..3';
}

type Node = QueryNode | { kind: 'filter'; filter: FilterName; value: string; at: number; name: string };

class Parser {
  private i = 0;
  private terms = 0;
  constructor(private readonly lx: Lexeme[]) {}

  parseAll(): Node | null {
    const node = this.andExpr(0, undefined);
    const rest = this.lx[this.i];
    if (rest) {
      if (rest.t === 'rparen') throw new QuerySyntaxError(`The ")" at position ${rest.at + 1} has no matching "(".`, rest.at);
      throw new QuerySyntaxError(`Unexpected text at position ${rest.at + 1}.`, rest.at);
    }
    return node;
  }

  private peek(): Lexeme | undefined {
    return this.lx[this.i];
  }

  /** Implicit (or explicit AND) conjunction, up to a closing paren or the end. */
  private andExpr(depth: number, field: SearchField | undefined): Node | null {
    const children: Node[] = [];
    for (;;) {
      const next = this.peek();
      if (!next || next.t === 'rparen') break;
      if (next.t === 'and') {
        if (children.length === 0) throw new QuerySyntaxError(`AND at position ${next.at + 1} needs a search term before it.`, next.at);
        this.i++;
        const after = this.peek();
        if (!after || after.t === 'rparen' || after.t === 'or' || after.t === 'and')
          throw new QuerySyntaxError(`AND at position ${next.at + 1} needs a search term after it.`, next.at);
        continue;
      }
      if (next.t === 'or') throw new QuerySyntaxError(`OR at position ${next.at + 1} needs a search term before it.`, next.at);
      children.push(this.orExpr(depth, field));
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0] : { kind: 'and', children: children as QueryNode[] };
  }

  private orExpr(depth: number, field: SearchField | undefined): Node {
    const first = this.unary(depth, field);
    const children: Node[] = [first];
    while (this.peek()?.t === 'or') {
      const op = this.peek()!;
      this.i++;
      const next = this.peek();
      if (!next || next.t === 'rparen' || next.t === 'or' || next.t === 'and')
        throw new QuerySyntaxError(`OR at position ${op.at + 1} needs a search term after it.`, op.at);
      children.push(this.unary(depth, field));
    }
    if (children.length === 1) return first;
    for (const c of children) {
      if (c.kind === 'not') throw new QuerySyntaxError('An excluded term (NOT or -) cannot be one side of an OR; use parentheses: a (b -c).');
      if (c.kind === 'filter')
        throw new QuerySyntaxError(
          `${c.name}: applies to the whole query and cannot be one side of an OR; list values with commas instead (lang:ar,tr).`,
          c.at,
        );
    }
    return { kind: 'or', children: children as QueryNode[] };
  }

  private unary(depth: number, field: SearchField | undefined): Node {
    const lx = this.peek()!;
    if (lx.t === 'not' || lx.t === 'minus') {
      this.i++;
      const next = this.peek();
      if (!next || next.t === 'rparen' || next.t === 'or' || next.t === 'and')
        throw new QuerySyntaxError(`${lx.t === 'not' ? 'NOT' : '-'} at position ${lx.at + 1} needs a search term after it.`, lx.at);
      const child = this.unary(depth, field);
      if (child.kind === 'not') return child.child; // NOT NOT x is x
      if (child.kind === 'filter') throw new QuerySyntaxError(`${child.name}: cannot be excluded; give the values you want instead.`, child.at);
      return { kind: 'not', child };
    }
    return this.primary(depth, field);
  }

  private primary(depth: number, field: SearchField | undefined): Node {
    const lx = this.lx[this.i++];
    switch (lx.t) {
      case 'lparen': {
        if (depth >= MAX_DEPTH) throw new QuerySyntaxError(`Parentheses are nested too deeply (more than ${MAX_DEPTH} levels).`, lx.at);
        const inner = this.andExpr(depth + 1, field);
        const close = this.lx[this.i++];
        if (close?.t !== 'rparen') throw new QuerySyntaxError(`The "(" at position ${lx.at + 1} is never closed; add a ")".`, lx.at);
        if (!inner) throw new QuerySyntaxError(`The parentheses at position ${lx.at + 1} are empty.`, lx.at);
        if (depth > 0 || field) assertNoFilters(inner);
        return inner;
      }
      case 'word':
        return this.leaf({ kind: 'term', text: lx.text, ...(field ? { field } : {}) });
      case 'phrase':
        return this.leaf({ kind: 'phrase', text: lx.text, ...(field ? { field } : {}) });
      case 'field': {
        if (field && field !== lx.field) throw new QuerySyntaxError(`${lx.name}: cannot be used inside another field's parentheses.`, lx.at);
        const next = this.peek();
        if (!next || (next.t !== 'word' && next.t !== 'phrase' && next.t !== 'lparen'))
          throw new QuerySyntaxError(`${lx.name}: needs a word, a "phrase" or (words) right after the colon.`, lx.at);
        return this.primary(depth, lx.field);
      }
      case 'filter':
        if (depth > 0 || field) throw new QuerySyntaxError(`${lx.name}: applies to the whole query and cannot go inside parentheses.`, lx.at);
        return { kind: 'filter', filter: lx.filter, value: lx.value, at: lx.at, name: lx.name };
      case 'rparen':
        throw new QuerySyntaxError(`The ")" at position ${lx.at + 1} has no matching "(".`, lx.at);
      default:
        throw new QuerySyntaxError(`Unexpected ${lx.t.toUpperCase()} at position ${lx.at + 1}.`, lx.at);
    }
  }

  private leaf(node: QueryNode): QueryNode {
    if (++this.terms > MAX_QUERY_TERMS) throw new QuerySyntaxError(`The query has more than ${MAX_QUERY_TERMS} search terms; shorten it.`);
    return node;
  }
}

function assertNoFilters(node: Node): void {
  if (node.kind === 'filter') throw new QuerySyntaxError(`${node.name}: applies to the whole query and cannot go inside parentheses.`, node.at);
  if (node.kind === 'and' || node.kind === 'or') node.children.forEach(assertNoFilters);
  if (node.kind === 'not') assertNoFilters(node.child);
}

/** Parse a query typed by an editor or a subscriber. Throws QuerySyntaxError with a readable message. */
export function parseQuery(input: string): ParsedQuery {
  if (typeof input !== 'string') throw new QuerySyntaxError('The query must be text.');
  if (input.length > MAX_QUERY_LENGTH) throw new QuerySyntaxError(`The query is ${input.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`);
  const text = input.replace(CONTROL, ' ');
  const tree = new Parser(lex(text)).parseAll();
  const filters: QueryFilters = {};
  let root: QueryNode | null = null;
  const rest: QueryNode[] = [];
  const top = tree === null ? [] : tree.kind === 'and' ? (tree.children as Node[]) : [tree];
  for (const node of top) {
    if (node.kind === 'filter') applyFilter(filters, node);
    else rest.push(node);
  }
  for (const node of rest) assertNoFilters(node);
  if (rest.length === 1) root = rest[0];
  else if (rest.length > 1) root = { kind: 'and', children: rest };
  return { text, root, filters };
}

function applyFilter(filters: QueryFilters, f: { filter: FilterName; value: string; at: number; name: string }): void {
  if (f.filter === 'lang') {
    const langs = f.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const l of langs)
      if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(l)) throw new QuerySyntaxError(`"${l}" is not a language tag; use e.g. lang:ar or lang:ar,tr.`, f.at);
    filters.languages = [...new Set([...(filters.languages ?? []), ...langs.map((l) => l.toLowerCase())])];
  } else if (f.filter === 'date') {
    const { from, to } = parseDateRange(f.value, f.at);
    if (from && (!filters.from || from > filters.from)) filters.from = from;
    if (to && (!filters.to || to < filters.to)) filters.to = to;
  } else {
    const { min, max } = parseUrgency(f.value, f.at);
    if (min !== undefined) filters.urgencyMin = Math.max(filters.urgencyMin ?? 1, min);
    if (max !== undefined) filters.urgencyMax = Math.min(filters.urgencyMax ?? 9, max);
  }
}

/** `2026`, `2026-01`, `2026-01-31`, `A..B`, `A..`, `..B`, `>=A`, `<B`. Returns [from, to) as ISO instants. */
export function parseDateRange(value: string, at = 0): { from?: string; to?: string } {
  const bad = () =>
    new QuerySyntaxError(`date:${value} is not a date or range; use date:2026-01-31, date:2026-01, date:2026 or date:2026-01-01..2026-01-31.`, at);
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(value);
  if (cmp) {
    const p = period(cmp[2]);
    if (!p) throw bad();
    if (cmp[1] === '>=') return { from: p.start };
    if (cmp[1] === '>') return { from: p.end };
    if (cmp[1] === '<') return { to: p.start };
    return { to: p.end };
  }
  const range = value.split('..');
  if (range.length === 1) {
    const p = period(value);
    if (!p) throw bad();
    return { from: p.start, to: p.end };
  }
  if (range.length !== 2 || (!range[0] && !range[1])) throw bad();
  const a = range[0] ? period(range[0]) : null;
  const b = range[1] ? period(range[1]) : null;
  if ((range[0] && !a) || (range[1] && !b)) throw bad();
  if (a && b && a.start >= b.end) throw new QuerySyntaxError(`date:${value} ends before it starts.`, at);
  return { ...(a ? { from: a.start } : {}), ...(b ? { to: b.end } : {}) };
}

/** A calendar day, month or year as [start, end) ISO instants in UTC. */
function period(s: string): { start: string; end: string } | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s.trim());
  if (!m) return null;
  const y = +m[1];
  const mo = m[2] ? +m[2] : undefined;
  const d = m[3] ? +m[3] : undefined;
  if (mo !== undefined && (mo < 1 || mo > 12)) return null;
  const start = new Date(Date.UTC(y, (mo ?? 1) - 1, d ?? 1));
  if (d !== undefined && start.getUTCDate() !== d) return null;
  const end = d !== undefined ? Date.UTC(y, mo! - 1, d + 1) : mo !== undefined ? Date.UTC(y, mo, 1) : Date.UTC(y + 1, 0, 1);
  return { start: start.toISOString(), end: new Date(end).toISOString() };
}

function parseUrgency(value: string, at: number): { min?: number; max?: number } {
  const one = (s: string): number | null => {
    const n = URGENCY_WORDS[s.toLowerCase()] ?? (/^[1-9]$/.test(s) ? +s : NaN);
    return Number.isNaN(n) ? null : n;
  };
  const bad = () => new QuerySyntaxError(`urgency:${value} is not an urgency; use 1 (flash) to 9, e.g. urgency:1, urgency:<=3 or urgency:1..3.`, at);
  const cmp = /^(<=|>=|<|>)(.+)$/.exec(value);
  if (cmp) {
    const n = one(cmp[2]);
    if (n === null) throw bad();
    if (cmp[1] === '<=') return { max: n };
    if (cmp[1] === '<') return { max: n - 1 };
    if (cmp[1] === '>=') return { min: n };
    return { min: n + 1 };
  }
  const parts = value.split('..');
  if (parts.length === 2) {
    const a = parts[0] ? one(parts[0]) : 1;
    const b = parts[1] ? one(parts[1]) : 9;
    if (a === null || b === null || a > b) throw bad();
    return { min: a, max: b };
  }
  const n = one(value);
  if (n === null) throw bad();
  return { min: n, max: n };
}
