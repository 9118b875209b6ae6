// Language tags that products filter on. A product's languages decide what a paying subscriber
// receives, so a typo must be refused, not stored as a filter that silently matches nothing. A
// well-formed tag is not enough (`klingon` is well-formed BCP 47: five to eight letters are reserved
// for future registration), so tags are checked against the IANA language subtag registry that
// BCP 47 defines, through `language-tags` (which ships that registry).
import { createRequire } from 'node:module';
import type LanguageTags from 'language-tags';
import { ValidationError, type FieldError } from './validate.ts';

// The registry costs ~8 MB once loaded, and only product changes ask it: loaded on the first check,
// not when the server starts (an idle server stays within its memory budget).
let registry: typeof LanguageTags | undefined;
function languageTags(tag: string): ReturnType<typeof LanguageTags> {
  registry ??= createRequire(import.meta.url)('language-tags') as typeof LanguageTags;
  return registry(tag);
}

const RULE = 'must be a BCP 47 language tag registered with IANA (e.g. ar, tr, en, en-GB, zh-Hant)';

/** Why `tag` is not a valid BCP 47 tag, or null when it is. */
export function languageTagProblem(tag: string): string | null {
  const t = languageTags(tag.trim());
  if (t.valid()) return null;
  const reason = t.errors()[0]?.message;
  return `"${tag}" ${RULE}${reason ? ` (${reason.replace(/\.$/, '')})` : ''}`;
}

/** The tags in their canonical case (`en-gb` → `en-GB`), or a ValidationError naming each bad one under `field`. */
export function validLanguageTags(tags: readonly string[], field: string): string[] {
  const errors: FieldError[] = [];
  const out = tags.map((tag, i) => {
    const problem = languageTagProblem(tag);
    if (problem) errors.push({ field: `${field}/${i}`, message: problem });
    return languageTags(tag.trim()).format();
  });
  if (errors.length) throw new ValidationError(errors);
  return out;
}
