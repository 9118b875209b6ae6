// Content negotiation: `?format=` wins over `Accept`; anything unsupported is a NegotiationError that
// lists what is supported, so the HTTP layer answers 406 with that list.
import { FormatError } from './format-error.ts';

/** `json` is newsflow's own story model (what the newsroom API edits); the others are standards. */
export type OutputFormat = 'json' | 'ninjs' | 'ninjs2' | 'newsml' | 'atom' | 'html' | 'text';

export interface FormatInfo {
  format: OutputFormat;
  /** The Content-Type to answer with. */
  contentType: string;
}

export const OUTPUT_FORMATS: Record<OutputFormat, FormatInfo> = {
  json: { format: 'json', contentType: 'application/json; charset=utf-8' },
  ninjs: { format: 'ninjs', contentType: 'application/ninjs+json; charset=utf-8' },
  ninjs2: { format: 'ninjs2', contentType: 'application/ninjs+json; version=2.3; charset=utf-8' },
  newsml: { format: 'newsml', contentType: 'application/vnd.iptc.g2.newsitem+xml; charset=utf-8' },
  atom: { format: 'atom', contentType: 'application/atom+xml; charset=utf-8' },
  html: { format: 'html', contentType: 'text/html; charset=utf-8' },
  text: { format: 'text', contentType: 'text/plain; charset=utf-8' },
};

/** Story endpoints serve one item; feed endpoints serve lists (Atom only makes sense there). */
export const STORY_FORMATS: OutputFormat[] = ['ninjs', 'ninjs2', 'newsml', 'html', 'text'];
export const FEED_FORMATS: OutputFormat[] = ['ninjs', 'ninjs2', 'newsml', 'atom', 'html', 'text'];

export class NegotiationError extends FormatError {
  readonly status = 406;
  readonly supported: OutputFormat[];
  constructor(message: string, supported: OutputFormat[]) {
    super('not-acceptable', `${message}; supported formats: ${supported.map((f) => `${f} (${OUTPUT_FORMATS[f].contentType.split(';')[0]})`).join(', ')}`);
    this.supported = supported;
  }
}

export interface NegotiateInput {
  /** The `?format=` query value, if any. */
  format?: string | null;
  /** The `Accept` header, if any. */
  accept?: string | null;
  /** Formats this endpoint can produce, in order of preference (default: story formats). */
  allowed?: OutputFormat[];
  /** What to serve for a missing Accept or `*\/*` (a subscriber's configured format); default: first allowed. */
  defaultFormat?: OutputFormat;
}

// Media ranges → formats. `version` parameters pick ninjs 2.x.
function formatsForRange(type: string, params: Record<string, string>, allowed: OutputFormat[]): OutputFormat[] {
  switch (type) {
    case 'application/ninjs+json':
    case 'application/vnd.iptc.ninjs+json':
      return params.version?.startsWith('2') ? ['ninjs2'] : params.version && !params.version.startsWith('3') ? [] : ['ninjs'];
    case 'application/json':
      return ['json', 'ninjs'];
    case 'application/vnd.iptc.g2.newsitem+xml':
      return ['newsml'];
    case 'application/atom+xml':
      return ['atom'];
    case 'application/xml':
    case 'text/xml':
      return ['newsml', 'atom'];
    case 'text/html':
    case 'application/xhtml+xml':
      return ['html'];
    case 'text/plain':
      return ['text'];
    case 'application/*':
      return allowed.filter((f) => f !== 'html' && f !== 'text');
    case 'text/*':
      return ['html', 'text'];
    case '*/*':
      return allowed;
    default:
      return [];
  }
}

interface Range {
  type: string;
  params: Record<string, string>;
  q: number;
  order: number;
}

function parseAccept(accept: string): Range[] {
  const out: Range[] = [];
  accept.split(',').forEach((part, order) => {
    const [type, ...rest] = part.trim().split(';');
    if (!type) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const [k, v = ''] = p.split('=').map((s) => s.trim());
      if (k.toLowerCase() === 'q') q = Number(v);
      else params[k.toLowerCase()] = v.replace(/^"|"$/g, '');
    }
    if (Number.isFinite(q) && q > 0) out.push({ type: type.trim().toLowerCase(), params, q, order });
  });
  // Highest q first; among equals, the more specific range and then the earlier one.
  return out.sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
}

const specificity = (r: Range) => (r.type === '*/*' ? 0 : r.type.endsWith('/*') ? 1 : 2 + Object.keys(r.params).length);

/** Picks the output format for a request, or throws NegotiationError (→ 406). */
export function negotiate(input: NegotiateInput): FormatInfo {
  const allowed = input.allowed ?? STORY_FORMATS;
  const fallback = input.defaultFormat && allowed.includes(input.defaultFormat) ? input.defaultFormat : allowed[0];
  if (input.format) {
    const f = input.format.trim().toLowerCase() as OutputFormat;
    if (!allowed.includes(f)) throw new NegotiationError(`format "${input.format}" is not available here`, allowed);
    return OUTPUT_FORMATS[f];
  }
  if (!input.accept?.trim()) return OUTPUT_FORMATS[fallback];
  for (const range of parseAccept(input.accept)) {
    const candidates = range.type === '*/*' ? [fallback] : formatsForRange(range.type, range.params, allowed);
    const hit = candidates.find((f) => allowed.includes(f));
    if (hit) return OUTPUT_FORMATS[hit];
  }
  throw new NegotiationError(`nothing acceptable for Accept: ${input.accept}`, allowed);
}
