// One error type for everything the format layer rejects, so the HTTP layer can answer 400/406/413
// and the CLI can print a per-item report without knowing which parser failed.

/** The rule a document broke. Stable strings: callers and tests match on them. */
export type FormatRule =
  | 'size-limit'
  | 'json-syntax'
  | 'xml-syntax'
  | 'doctype-forbidden'
  | 'entity-forbidden'
  | 'depth-limit'
  | 'namespace'
  | 'schema'
  | 'unsupported-item-class'
  | 'unsupported-type'
  | 'missing-element'
  | 'unknown-format'
  | 'not-acceptable';

export interface SchemaProblem {
  /** JSON Pointer (`/headlines/0/value`) or element path (`/newsItem/itemMeta`). */
  path: string;
  /** The schema keyword or rule that failed (`required`, `format`, `unevaluatedProperties` …). */
  rule: string;
  message: string;
}

export class FormatError extends Error {
  readonly rule: FormatRule;
  /** `line 3, column 7` for syntax errors, a JSON/element path otherwise. */
  readonly location?: string;
  readonly problems: SchemaProblem[];

  constructor(rule: FormatRule, message: string, opts: { location?: string; problems?: SchemaProblem[] } = {}) {
    super(opts.location ? `${message} (at ${opts.location}; rule: ${rule})` : `${message} (rule: ${rule})`);
    this.name = 'FormatError';
    this.rule = rule;
    this.location = opts.location;
    this.problems = opts.problems ?? [];
  }
}

/** Bodies larger than this are refused before any parsing: one import must not exhaust memory. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export function checkSize(input: string, maxBytes = MAX_DOCUMENT_BYTES): void {
  // string.length is a cheap lower bound of the UTF-8 size; only measure exactly near the limit.
  if (input.length > maxBytes || (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes)) {
    throw new FormatError('size-limit', `document is larger than the ${maxBytes}-byte limit`);
  }
}
