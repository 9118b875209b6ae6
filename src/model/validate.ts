// Validation of story content with one precise message per field. The JSON shape is checked with the
// shared schema (src/model/schema.ts); the rules a schema cannot say (a real BCP 47 tag, a parseable
// embargo time) are checked here, so the CLI, the importers and the HTTP API all refuse the same things.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { StoryChangesSchema, StoryContentSchema, StoryDraftInputSchema, type StoryChanges } from './schema.ts';
import { emptyContent, type StoryContent } from './story.ts';
import { mergeHashtags } from './hashtags.ts';

export interface FieldError {
  /** JSON path of the offending field, e.g. `/body/3/text`. */
  field: string;
  message: string;
}

/** Thrown when content breaks a rule; `errors` names every field at fault. */
export class ValidationError extends Error {
  constructor(public readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field || '(story)'}: ${e.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// unicode: false — length limits count UTF-16 units. Counting code points walks every character of
// every body and made validation the slowest step of a bulk import (7x), for limits that are generous anyway.
const ajv = addFormats(new Ajv({ allErrors: true, strict: false, unicode: false, logger: false }));
const checkContent = ajv.compile(StoryContentSchema);

const checkDraft = ajv.compile(StoryDraftInputSchema);
const checkChanges = ajv.compile(StoryChangesSchema);

/** Ajv's errors in the words an editor reads: the field, then what is wrong with it. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors ?? []) {
    // anyOf over body block types produces one error per alternative; the summary line says enough.
    if (e.keyword === 'const' || (e.keyword === 'type' && /\/body\/\d+$/.test(e.instancePath) === false && e.schemaPath.includes('anyOf'))) continue;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') message = `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (e.keyword === 'required') message = `missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    if (e.keyword === 'anyOf') message = 'does not match any allowed shape (see the API schema for allowed block types)';
    out.push({ field: e.instancePath, message });
  }
  return dedupe(out);
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = e.field + '\u0000' + e.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The canonical form of a BCP 47 tag, or null when it is not one (`xx-!!`). */
export function canonicalLanguage(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

function semanticErrors(c: Partial<StoryContent>): FieldError[] {
  const errors: FieldError[] = [];
  if (c.language !== undefined && canonicalLanguage(c.language) === null) {
    errors.push({ field: '/language', message: `"${c.language}" is not a valid BCP 47 language tag (e.g. ar, tr, en-GB)` });
  }
  if (c.headline !== undefined && c.headline.trim() === '') errors.push({ field: '/headline', message: 'must not be blank' });
  if (c.embargoUntil && Number.isNaN(Date.parse(c.embargoUntil))) {
    errors.push({ field: '/embargoUntil', message: 'must be an ISO 8601 date-time' });
  }
  return errors;
}

function normalise(c: StoryContent): StoryContent {
  const language = canonicalLanguage(c.language) ?? c.language;
  return {
    ...c,
    language,
    hashtags: mergeHashtags(c.hashtags, c.body),
    embargoUntil: c.embargoUntil ? new Date(c.embargoUntil).toISOString() : null,
  };
}

/** Validates a complete content and returns it normalised (canonical language tag, hashtags from the body). */
export function validateContent(input: unknown): StoryContent {
  if (!checkContent(input)) throw new ValidationError(describeSchemaErrors(checkContent.errors));
  const errors = semanticErrors(input as StoryContent);
  if (errors.length) throw new ValidationError(errors);
  return normalise(input as StoryContent);
}

/** Validates what a client sends to create a draft, filling the defaults. */
export function validateDraftInput(input: unknown): StoryContent {
  if (!checkDraft(input)) throw new ValidationError(describeSchemaErrors(checkDraft.errors));
  const c = { ...emptyContent((input as StoryContent).language), ...(input as Partial<StoryContent>) } as StoryContent;
  const errors = semanticErrors(c);
  if (errors.length) throw new ValidationError(errors);
  return normalise(c);
}

/** Validates a partial change and applies it to `base`. */
export function applyChanges(base: StoryContent, changes: unknown): StoryContent {
  if (!checkChanges(changes)) throw new ValidationError(describeSchemaErrors(checkChanges.errors));
  const merged = { ...base, ...(changes as StoryChanges) } as StoryContent;
  const errors = semanticErrors(merged);
  if (errors.length) throw new ValidationError(errors);
  return normalise(merged);
}
