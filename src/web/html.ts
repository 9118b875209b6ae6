// The one HTML escaper of the site. Every interpolation in an `html` template is escaped unless it is
// already SafeHtml (the output of another `html` template or `raw`). Bidi embedding and override
// controls are dropped from interpolated text: in a story field they could reorder what readers see
// (a headline spoofing a different one); isolation is done with <bdi> and dir=auto instead.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

/** U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates) from untrusted text. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// C0 controls other than tab/newline are invalid in HTML and XML alike.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

/** Untrusted text made safe to show: controls and bidi overrides removed. */
export function cleanText(text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(CONTROL_CHARS, '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested templates and arrays of them pass through. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Markup the caller vouches for (fixed strings of the site itself, never story fields). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * A URL from a story field that is safe in href/src: site paths (`/static/…`) and http(s) URLs only.
 * `javascript:`, `data:` and protocol-relative `//host` give null, so the element is left out.
 */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const u = cleanText(url).trim();
  if (/^\/(?![/\\])/.test(u)) return u;
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** JSON for a <script type="application/ld+json"> block: `<`, `>`, `&` and line separators escaped so `</script>` cannot end it. */
export function scriptJson(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
