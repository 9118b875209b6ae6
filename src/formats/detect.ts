// Sniffs what an incoming document is, so `POST /v1/import` and `newsflow import` can pick a reader
// without trusting file extensions. Cheap: looks at the first bytes and, for JSON, the top-level keys.
import { ninjsMajor } from './ninjs.ts';

export type DetectedFormat =
  /** One ninjs 3.x object. */
  | 'ninjs3'
  /** One ninjs 2.x object. */
  | 'ninjs2'
  /** A JSON array of ninjs objects (a batch). */
  | 'ninjs-array'
  /** JSON Lines whose first line is a ninjs object (`uri` present). */
  | 'ninjs-jsonl'
  /** JSON Lines of archive records (`title`/`body`, see archive-jsonl.ts). */
  | 'archive-jsonl'
  /** An XML document rooted in a NewsML-G2 newsItem. */
  | 'newsml'
  /** NewsML-G2, but a packageItem/conceptItem/… (import rejects it with a clear error). */
  | 'newsml-other'
  /** Some other XML. */
  | 'xml'
  | 'unknown';

const NAR_NS = 'http://iptc.org/std/nar/2006-10-01/';

/**
 * Guesses the format of a document. A `contentType` wins when it is specific
 * (`application/vnd.iptc.g2.newsitem+xml`, `application/ninjs+json`, `application/x-ndjson`).
 */
export function detectFormat(input: string | Uint8Array, contentType?: string): DetectedFormat {
  const text = typeof input === 'string' ? input.slice(0, 65536) : Buffer.from(input.subarray(0, 65536)).toString('utf8');
  const s = text.replace(/^\uFEFF/, '').trimStart();
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('ndjson') || ct.includes('jsonl') || ct.includes('json-seq')) return jsonlKind(s);
  if (s.startsWith('<')) {
    const root = /<(?!\?|!)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)\b([^>]*)>/.exec(s);
    if (!root) return 'xml';
    const [, prefix, local, attrs] = root;
    const nsDecl = prefix ? new RegExp(`xmlns:${prefix.slice(0, -1)}\\s*=\\s*["']([^"']*)`) : /xmlns\s*=\s*["']([^"']*)/;
    const ns = nsDecl.exec(attrs)?.[1];
    // A newsItem in another namespace (or with a G2 content type) goes to the NewsML reader anyway,
    // so its refusal names the namespace rule and where it failed instead of "unknown format".
    if (local === 'newsItem' || ct.includes('g2.newsitem')) return 'newsml';
    if (ns !== NAR_NS) return 'xml';
    return 'newsml-other';
  }
  if (s.startsWith('[')) return 'ninjs-array';
  if (s.startsWith('{')) {
    // A whole JSON object, or the first of several lines?
    const full = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    try {
      const doc = JSON.parse(full.replace(/^\uFEFF/, '')) as Record<string, unknown>;
      // An archive of one line is one whole object too: its record shape (title and body text, no uri) tells.
      if (isArchiveRecord(doc)) return 'archive-jsonl';
      return ninjsMajor(doc) === 2 ? 'ninjs2' : 'ninjs3';
    } catch {
      return jsonlKind(s);
    }
  }
  return 'unknown';
}

function isArchiveRecord(doc: unknown): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  return !('uri' in d) && typeof d.title === 'string' && typeof d.body === 'string';
}

function jsonlKind(s: string): DetectedFormat {
  const first = s.split('\n', 1)[0];
  try {
    const doc = JSON.parse(first) as Record<string, unknown>;
    if (doc && typeof doc === 'object' && 'uri' in doc) return 'ninjs-jsonl';
    return 'archive-jsonl';
  } catch {
    return 'unknown';
  }
}
