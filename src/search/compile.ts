// Query compilation: a parsed query tree → an FTS5 MATCH string built only from analyzed terms in
// double quotes and our own column names, plus the terms and stems to highlight.
import { analyze, type Token } from '../text/index.ts';
import { QuerySyntaxError, type QueryNode, type SearchField } from './query.ts';
import { FIELD_COLUMNS } from './schema.ts';
import type { MatchSet } from './snippet.ts';
import type { ArchiveVocabulary } from './vocabulary.ts';

export interface Compiled {
  match: string | null;
  /** True when the root is pure exclusion (`-sport`): rows NOT matching `match`. */
  negated: boolean;
  highlight: MatchSet;
  /** The plain words typed (unfielded, not excluded), one match set each, for field-aware ranking. */
  words: MatchSet[];
}

/** What the compiler reads of a vocabulary: the PostgreSQL store keeps its own (src/store/postgres/search.ts). */
export type QueryVocabulary = Pick<ArchiveVocabulary, 'synonyms' | 'analyzeOptions'>;

/** Terms the compiler may put in a MATCH string: letters and digits only, by construction. */
const SAFE_TERM = /^[\p{L}\p{Nd}]+$/u;

/** Tree → FTS5 MATCH text. `boost` ORs in phrase matches of adjacent words (ranking only). */
export function compileQuery(root: QueryNode | null, lang: string, boost: boolean, vocabulary: QueryVocabulary): Compiled {
  const synonyms = vocabulary.synonyms;
  const highlight: MatchSet = { terms: new Set(), stems: new Set() };
  const words: MatchSet[] = [];
  if (!root) return { match: null, negated: false, highlight, words };
  const analyzeQ = (text: string) => analyze(text, lang, vocabulary.analyzeOptions()).filter((t) => SAFE_TERM.test(t.term) && SAFE_TERM.test(t.stem));
  const collect = (toks: Token[]) => {
    for (const t of toks) {
      highlight.terms.add(t.term);
      highlight.stems.add(t.stem);
    }
  };

  const leaf = (node: { text: string; field?: SearchField }, phrase: boolean, negative: boolean): string | null => {
    const toks = analyzeQ(node.text);
    if (toks.length === 0) return null;
    if (!negative) collect(toks);
    const [surf, stem] = FIELD_COLUMNS[node.field ?? 'any'];
    const terms = toks.map((t) => t.term);
    const stems = toks.map((t) => t.stem);
    const alts = [columns(surf) + quote(terms), columns(stem) + quote(stems)];
    if (alts[0] === alts[1]) alts.pop();
    for (const v of synonyms.variants(stems)) {
      alts.push(columns(stem) + quote(v));
      if (!negative) v.forEach((s) => highlight.stems.add(s));
    }
    void phrase; // a multi-word "term" (e.g. al-Qaeda) is a phrase either way
    return `(${alts.join(' OR ')})`;
  };

  const walk = (node: QueryNode, negative: boolean): string | null => {
    switch (node.kind) {
      case 'term':
        return leaf(node, false, negative);
      case 'phrase':
        return leaf(node, true, negative);
      case 'or': {
        const parts = node.children.map((c) => walk(c, negative)).filter((p): p is string => p !== null);
        return parts.length ? `(${parts.join(' OR ')})` : null;
      }
      case 'not':
        return walk(node.child, !negative);
      case 'and': {
        const pos: string[] = [];
        const neg: string[] = [];
        const kids = node.children;
        for (let i = 0; i < kids.length; i++) {
          const c = kids[i];
          // Words typed side by side that spell a multi-word synonym (تنظيم الدولة) also find the
          // other form (داعش), and vice versa through the leaf rule.
          const joined = synonymRun(kids, i, analyzeQ, vocabulary);
          if (joined) {
            if (!negative) collect(joined.tokens);
            const alts = [quote(joined.tokens.map((t) => t.term)), quote(joined.tokens.map((t) => t.stem))];
            for (const v of joined.variants) {
              alts.push(quote(v));
              if (!negative) v.forEach((x) => highlight.stems.add(x));
            }
            pos.push(`(${alts.join(' OR ')})`);
            i += joined.length - 1;
            continue;
          }
          if (c.kind === 'not') {
            const n = walk(c.child, !negative);
            if (n) neg.push(n);
          } else {
            const p = walk(c, negative);
            if (p) pos.push(p);
          }
        }
        if (pos.length === 0) {
          if (neg.length === 0) return null;
          throw new QuerySyntaxError('Excluded terms (NOT or -) inside parentheses need a term to search for next to them.');
        }
        let expr = pos.length === 1 ? pos[0] : `(${pos.join(' AND ')})`;
        const phrase = boost ? phraseBoost(node.children, analyzeQ) : null;
        if (phrase) expr = `(${expr} OR ${phrase})`;
        return neg.length ? `(${expr} NOT (${neg.join(' OR ')}))` : expr;
      }
    }
  };

  // A root of only exclusions (`-sport`) is answered as "everything except", in SQL.
  const rootNegs = root.kind === 'not' ? [root] : root.kind === 'and' && root.children.every((c) => c.kind === 'not') ? root.children : null;
  if (rootNegs) {
    const parts = rootNegs.map((c) => walk((c as { child: QueryNode }).child, true)).filter((p): p is string => p !== null);
    if (!parts.length) throw new QuerySyntaxError('The query has nothing to search for: use letters or digits.');
    return { match: parts.join(' OR '), negated: true, highlight, words };
  }
  const match = walk(root, false);
  if (!match) throw new QuerySyntaxError('The query has nothing to search for: use letters or digits.');
  // Ranking looks at the words of a plain query (words and phrases, ANDed); OR-trees rank by BM25 alone.
  const plain = root.kind === 'and' ? root.children : [root];
  for (const c of plain) {
    if ((c.kind !== 'term' && c.kind !== 'phrase') || c.field) continue;
    for (const t of analyzeQ(c.text)) {
      const stems = new Set([t.stem]);
      for (const v of synonyms.variants([t.stem])) if (v.length === 1) stems.add(v[0]);
      words.push({ terms: new Set([t.term]), stems });
    }
  }
  return { match, negated: false, highlight, words };
}

/** The longest run of plain words starting at `i` whose stems form a multi-word synonym entry. */
function synonymRun(
  kids: QueryNode[],
  i: number,
  analyzeQ: (s: string) => Token[],
  vocabulary: QueryVocabulary,
): { length: number; tokens: Token[]; variants: string[][] } | null {
  const synonyms = vocabulary.synonyms;
  for (let n = Math.min(synonyms.maxWords, kids.length - i); n >= 2; n--) {
    const run = kids.slice(i, i + n);
    if (!run.every((k) => k.kind === 'term' && !k.field)) continue;
    const tokens = run.map((k) => analyzeQ((k as { text: string }).text));
    if (!tokens.every((t) => t.length === 1)) continue;
    const flat = tokens.map((t) => t[0]);
    const variants = synonyms.variants(flat.map((t) => t.stem));
    if (variants.length) return { length: n, tokens: flat, variants };
  }
  return null;
}

/**
 * Unquoted words typed next to each other rank higher where they also stand next to each other:
 * the phrase is OR-ed in, which cannot widen the match (it implies every word) but adds its BM25.
 */
function phraseBoost(children: QueryNode[], analyzeQ: (s: string) => Token[]): string | null {
  const words = children.filter((c): c is { kind: 'term'; text: string } => c.kind === 'term' && !c.field);
  if (words.length < 2) return null;
  const toks = words.flatMap((w) => analyzeQ(w.text));
  if (toks.length < 2) return null;
  const terms = quote(toks.map((t) => t.term));
  const stems = quote(toks.map((t) => t.stem));
  return terms === stems ? terms : `(${terms} OR ${stems})`;
}

function columns(cols: string[]): string {
  return cols.length ? `{${cols.join(' ')}} : ` : '';
}

function quote(terms: string[]): string {
  return '"' + terms.join(' ') + '"';
}
