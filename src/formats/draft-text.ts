// A draft in plain text, for editors working from a shell: the headline on the first line, a blank
// line, then paragraphs separated by blank lines (lines inside a paragraph are joined, so hard-wrapped
// text reads as one paragraph). Anything richer (deck, dateline, categories) is the JSON draft body
// that POST /v1/stories takes.
import { FormatError } from './format-error.ts';

export const DRAFT_TEXT_RULE = 'the text format is the headline on the first line, a blank line, then paragraphs separated by blank lines';

export interface DraftText {
  headline: string;
  body: { type: 'paragraph'; text: string }[];
}

/** Reads the plain-text layout, or throws FormatError naming the rule and the line. */
export function parseDraftText(text: string): DraftText {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headline = lines[0]?.trim() ?? '';
  if (!headline) throw new FormatError('missing-element', `no headline: ${DRAFT_TEXT_RULE}`, { location: 'line 1' });
  if (lines.length > 1 && lines[1].trim() !== '') {
    throw new FormatError('schema', `line 2 must be blank: ${DRAFT_TEXT_RULE}`, { location: 'line 2' });
  }
  const body: DraftText['body'] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) body.push({ type: 'paragraph', text: current.join(' ') });
    current = [];
  };
  for (const line of lines.slice(2)) {
    if (line.trim() === '') flush();
    else current.push(line.trim());
  }
  flush();
  return { headline, body };
}
