// What the index stores of one version, independent of the storage: the filter/facet values, the
// texts for snippets, and the analyzed columns in COLUMNS order. The one definition both stores write:
// SQLite's SearchWriter (writer.ts) into FTS5, PostgreSQL's search into tsvectors.
import type { StoryVersion } from '../model/story.ts';
import { bodyText } from '../model/story.ts';
import { analyze, type FullAnalyzeOptions, stemTokens, type Token } from '../text/index.ts';

export interface IndexedDocument {
  language: string;
  urgency: number;
  mediaType: string;
  publishedAt: string;
  categories: string[];
  headline: string;
  /** The deck before the body: what snippets are cut from. */
  body: string;
  /** Space-separated analyzed terms, one string per column of schema.ts COLUMNS (h hs b bs byline dateline category keyword). */
  columns: string[];
}

/** The texts of a version's headline (with its deck) and body columns, as indexedDocument analyzes them. */
export function headAndBody(v: StoryVersion): { head: string; main: string } {
  const c = v.content;
  // The deck is indexed with the headline (its weights, its `headline:` field), as writer.ts does.
  return { head: c.deck ? `${c.headline}\n${c.deck}` : c.headline, main: bodyText(c.body) };
}

/**
 * `tokens`: headAndBody's texts already tokenized without stems (`analyze(…, { stems: false })` in the
 * document's language), when the caller counted its words from them first: only stemmed here.
 */
export function indexedDocument(v: StoryVersion, opts: FullAnalyzeOptions, tokens?: { head: Token[]; main: Token[] }): IndexedDocument {
  const c = v.content;
  const lang = c.language || 'und';
  const body = [c.deck ?? '', bodyText(c.body)].filter(Boolean).join('\n\n');
  const texts = headAndBody(v);
  const head = tokens ? stemTokens(tokens.head, lang, opts) : analyze(texts.head, lang, opts);
  const main = tokens ? stemTokens(tokens.main, lang, opts) : analyze(texts.main, lang, opts);
  // Small fields mix scripts: each text keeps its own language; surface forms then differing stems.
  const small = (texts: [string, string][]) => {
    const toks = texts.flatMap(([t, l]) => analyze(t, l, opts));
    return [...toks.map((t) => t.term), ...toks.filter((t) => t.stem !== t.term).map((t) => t.stem)].join(' ');
  };
  const own = (t: string | undefined): [string, string][] => (t ? [[t, lang]] : []);
  const other = (m: Record<string, string> | undefined): [string, string][] => Object.entries(m ?? {}).map(([l, t]) => [t, l]);
  const byline = c.byline.flatMap((p) => [...own(p.name), ...other(p.names)]);
  const dl = c.dateline;
  const dateline = dl ? [...own(dl.place), ...other(dl.placeNames), ...own(dl.reporter), ...own(dl.agency)] : [];
  const cats = [...new Set(c.categories)];
  return {
    language: lang.toLowerCase(),
    urgency: c.urgency,
    mediaType: c.mediaType ?? 'text',
    publishedAt: v.firstPublishedAt || v.versionCreatedAt,
    categories: cats,
    headline: c.headline,
    body,
    columns: [
      head.map((t) => t.term).join(' '),
      head.map((t) => t.stem).join(' '),
      main.map((t) => t.term).join(' '),
      main.map((t) => t.stem).join(' '),
      small(byline),
      small(dateline),
      small(cats.map((t) => [t, lang])),
      small([...c.keywords, ...c.hashtags].map((t) => [t, lang])),
    ],
  };
}
