// What the full service includes, and the contact form that leaves a lead for the sales team.
import type { PageChrome, SiteContext } from '../context.ts';
import { html } from '../html.ts';
import { LANGUAGES, STRINGS } from '../i18n.ts';
import { page } from '../layout.ts';
import { urls } from '../urls.ts';

export interface LeadForm {
  name?: string;
  email?: string;
  organisation?: string;
  message?: string;
}

/** The longest text each field keeps (UTF-16 units, as a browser's maxlength counts); longer is refused, not cut. */
export const LEAD_LIMITS: Record<keyof LeadForm, number> = { name: 200, email: 320, organisation: 200, message: 4000 };

export interface SubscribeState {
  thanks?: boolean;
  invalid?: boolean;
  /** Fields longer than their limit: each gets a message beside it. */
  tooLong?: (keyof LeadForm)[];
  /** Sent too often from one address: a page asking to come back in this many minutes, and no form. */
  retryInMinutes?: number;
  form?: LeadForm;
}

export function subscribePage(ctx: SiteContext, chrome: PageChrome, state: SubscribeState = {}): string {
  const s = STRINGS[chrome.lang];
  const f = state.form ?? {};
  // The message sits under its field and is tied to it, so a screen reader reads it with the field.
  const tooLong = (field: keyof LeadForm, id: string) =>
    state.tooLong?.includes(field)
      ? {
          attrs: html` aria-invalid="true" aria-describedby="${id}-error"`,
          note: html`<p class="field-error" id="${id}-error" role="alert">${s.formTooLong(LEAD_LIMITS[field])}</p>`,
        }
      : { attrs: '', note: '' };
  const [name, email, org, msg] = [tooLong('name', 'f-name'), tooLong('email', 'f-email'), tooLong('organisation', 'f-org'), tooLong('message', 'f-msg')];
  const main = html`<h1 class="page-title">${s.subscribeTitle}</h1>
<p>${s.subscribeIntro}</p>
<ul>${s.subscribeIncludes.map((x) => html`<li>${x}</li>`)}</ul>
${
  state.retryInMinutes !== undefined
    ? html`<p class="notice" role="alert">${s.formTooOften(state.retryInMinutes)}</p>`
    : state.thanks
      ? html`<p class="notice" role="status">${s.formThanks}</p>`
      : html`
${state.invalid ? html`<p class="notice" role="alert">${s.formInvalid}</p>` : ''}
<form class="lead-form" method="post" action="/subscribe">
<input type="hidden" name="lang" value="${chrome.lang}">
<div><label for="f-name">${s.formName}</label><input id="f-name" name="name" required maxlength="${LEAD_LIMITS.name}" autocomplete="name" value="${f.name ?? ''}" dir="auto"${name.attrs}>${name.note}</div>
<div><label for="f-email">${s.formEmail}</label><input id="f-email" name="email" type="email" required maxlength="${LEAD_LIMITS.email}" autocomplete="email" value="${f.email ?? ''}" dir="ltr"${email.attrs}>${email.note}</div>
<div><label for="f-org">${s.formOrganisation}</label><input id="f-org" name="organisation" maxlength="${LEAD_LIMITS.organisation}" autocomplete="organization" value="${f.organisation ?? ''}" dir="auto"${org.attrs}>${org.note}</div>
<div><label for="f-msg">${s.formMessage}</label><textarea id="f-msg" name="message" rows="4" maxlength="${LEAD_LIMITS.message}" dir="auto"${msg.attrs}>${f.message ?? ''}</textarea>${msg.note}</div>
<div class="hp" aria-hidden="true"><label for="f-web">Website</label><input id="f-web" name="website" tabindex="-1" autocomplete="off"></div>
<div><button class="primary" type="submit">${s.formSend}</button></div>
</form>`
}`;
  return page(
    ctx,
    chrome,
    {
      title: s.subscribeTitle,
      description: s.subscribeIntro,
      canonical: urls.subscribe(chrome.lang),
      alternates: LANGUAGES.map((l) => ({ lang: l, path: urls.subscribe(l) })),
    },
    main,
  );
}
