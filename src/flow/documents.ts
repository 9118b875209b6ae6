// Reads standard news documents (ninjs 2.x/3.x, a JSON array or JSON Lines of ninjs, NewsML-G2
// newsItems) into stories ready to import, item by item: one bad item is reported, the rest load.
import { detectFormat, type DetectedFormat } from '../formats/detect.ts';
import { FormatError } from '../formats/format-error.ts';
import { fromNewsML } from '../formats/newsml.ts';
import { fromNinjs, parseJsonSafe, type Imported, type ImportMeta } from '../formats/ninjs.ts';
import { validateContent } from '../model/validate.ts';
import type { ImportedStory } from '../model/store.ts';

export interface DocumentProblem {
  /** Which item: `line 3`, `item 2`, or the whole document. */
  item: string;
  message: string;
}

export interface ReadDocuments {
  format: DetectedFormat;
  items: ImportedStory[];
  failed: DocumentProblem[];
  /** Items their source marks as not for use (canceled or withheld): read, but not imported. */
  withdrawn: DocumentProblem[];
}

/** Formats this reader handles (archive JSONL and page text are read by the Importer itself). */
export const DOCUMENT_FORMATS: DetectedFormat[] = ['ninjs3', 'ninjs2', 'ninjs-array', 'ninjs-jsonl', 'newsml', 'newsml-other'];

/** Turns one imported document into a story to store, keeping its ids as provenance. */
function toImported(doc: Imported, now: string): ImportedStory {
  const m = doc.meta;
  const originalIds: Record<string, string> = { ...doc.content.provenance?.originalIds };
  if (m.uri) originalIds.uri = m.uri;
  // Some valid items carry no headline (a picture, a bare text item); a story needs one, so it falls
  // back to the item's slugline or identifier rather than refusing an item the standard allows.
  const headline = doc.content.headline.trim() || doc.content.slugline?.trim() || m.uri || m.id || 'untitled item';
  const content = validateContent({
    ...doc.content,
    headline: headline.slice(0, 500),
    provenance: { ...doc.content.provenance, originalIds },
  });
  return { content, publishedAt: m.firstCreated ?? m.versionCreated ?? now, updatedAt: m.versionCreated };
}

/**
 * Why an item is not for use, from its source's status, or null when it is usable. Such an item is
 * skipped, not stored killed: storing it would put a story on the wire only to withdraw it, and a
 * withheld item may become usable later, when its usable version imports as usual (see docs/decisions.md).
 */
function notForUse(m: ImportMeta): string | null {
  if (m.pubStatus === 'canceled') return 'canceled at the source (pubStatus canceled): a withdrawn item is not published as a live story';
  if (m.pubStatus === 'withheld') return 'withheld at the source (pubStatus withheld): not published until the source sends it as usable';
  return null;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads a document of any supported standard format into stories; throws FormatError when the whole document is unusable. */
export function readDocuments(text: string, contentType?: string): ReadDocuments {
  const format = detectFormat(text, contentType);
  const now = new Date().toISOString();
  const out: ReadDocuments = { format, items: [], failed: [], withdrawn: [] };
  const add = (item: string, doc: Imported) => {
    const why = notForUse(doc.meta);
    if (why) out.withdrawn.push({ item, message: `${doc.meta.uri ? `${doc.meta.uri}: ` : ''}${why}` });
    else out.items.push(toImported(doc, now));
  };
  const take = (item: string, parse: () => Imported) => {
    try {
      add(item, parse());
    } catch (e) {
      out.failed.push({ item, message: describe(e) });
    }
  };
  switch (format) {
    case 'ninjs3':
    case 'ninjs2':
    case 'newsml':
    case 'newsml-other': {
      // A single document: its failure is the request's failure.
      const doc = format === 'newsml' || format === 'newsml-other' ? fromNewsML(text) : fromNinjs(text);
      add('the document', doc);
      return out;
    }
    case 'ninjs-array': {
      const docs = parseJsonSafe(text);
      if (!Array.isArray(docs)) throw new FormatError('json-syntax', 'expected a JSON array of ninjs objects');
      docs.forEach((d, i) => take(`item ${i + 1}`, () => fromNinjs(d)));
      return out;
    }
    case 'ninjs-jsonl': {
      text.split(/\r?\n/).forEach((line, i) => {
        if (line.trim()) take(`line ${i + 1}`, () => fromNinjs(line));
      });
      return out;
    }
    case 'archive-jsonl':
      throw new FormatError('unknown-format', 'archive JSONL is imported by `newsflow import <file.jsonl>`, not by this reader');
    default:
      // JSON that could not be read: let the JSON reader say where it breaks.
      if (/^\uFEFF?\s*[[{]/.test(text)) parseJsonSafe(text);
      throw new FormatError(
        'unknown-format',
        'not a supported news document: expected ninjs 2.x/3.x JSON (an object, an array or JSON Lines) or a NewsML-G2 newsItem',
      );
  }
}
