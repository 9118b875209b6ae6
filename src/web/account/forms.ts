// Form pieces shared by the signed-in pages: a labelled field with its error next to it (tied to the
// input for screen readers), the hidden CSRF field, and reading a urlencoded body safely.
import { html, type SafeHtml } from '../html.ts';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  error?: string | null;
  help?: string;
  autocomplete?: string;
  required?: boolean;
  /** Text direction of the value (e-mail addresses are left to right even in Arabic). */
  dir?: 'ltr' | 'rtl' | 'auto';
}

/** A labelled input; the error, when there is one, sits right under it and is announced with it. */
export function field(f: FieldSpec): SafeHtml {
  const id = `f-${f.name}`;
  const described = [f.help ? `${id}-help` : '', f.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${f.error ? ' has-error' : ''}">
  <label for="${id}">${f.label}</label>
  <input id="${id}" name="${f.name}" type="${f.type ?? 'text'}" value="${f.type === 'password' ? '' : (f.value ?? '')}"${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.required ? html` required` : ''}${f.dir ? html` dir="${f.dir}"` : ''}${described ? html` aria-describedby="${described}"` : ''}${f.error ? html` aria-invalid="true"` : ''}>
  ${f.help ? html`<p class="help" id="${id}-help">${f.help}</p>` : ''}
  ${f.error ? html`<p class="error" id="${id}-error" role="alert">${f.error}</p>` : ''}
</div>`;
}

/** A labelled select. */
export function select(name: string, label: string, options: [string, string][], value: string, error?: string | null): SafeHtml {
  const id = `f-${name}`;
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${label}</label>
  <select id="${id}" name="${name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${options.map(
    ([v, text]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${text}</option>`,
  )}</select>
  ${error ? html`<p class="error" id="${id}-error" role="alert">${error}</p>` : ''}
</div>`;
}

/** The hidden field every form that changes something carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A form field's text from a parsed body: one string, trimmed of nothing, '' when absent or repeated oddly. */
export function text(body: unknown, name: string, max = 1000): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.slice(0, max) : '';
}
