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

export function subscribePage(ctx: SiteContext, chrome: PageChrome, state: { thanks?: boolean; invalid?: boolean; form?: LeadForm } = {}): string {
  const s = STRINGS[chrome.lang];
  const f = state.form ?? {};
  const main = html`<h1 class="page-title">${s.subscribeTitle}</h1>
<p>${s.subscribeIntro}</p>
<ul>${s.subscribeIncludes.map((x) => html`<li>${x}</li>`)}</ul>
${state.thanks ? html`<p class="notice" role="status">${s.formThanks}</p>` : html`
${state.invalid ? html`<p class="notice" role="alert">${s.formInvalid}</p>` : ''}
<form class="lead-form" method="post" action="/subscribe">
<input type="hidden" name="lang" value="${chrome.lang}">
<div><label for="f-name">${s.formName}</label><input id="f-name" name="name" required maxlength="200" autocomplete="name" value="${f.name ?? ''}" dir="auto"></div>
<div><label for="f-email">${s.formEmail}</label><input id="f-email" name="email" type="email" required maxlength="320" autocomplete="email" value="${f.email ?? ''}" dir="ltr"></div>
<div><label for="f-org">${s.formOrganisation}</label><input id="f-org" name="organisation" maxlength="200" autocomplete="organization" value="${f.organisation ?? ''}" dir="auto"></div>
<div><label for="f-msg">${s.formMessage}</label><textarea id="f-msg" name="message" rows="4" maxlength="4000" dir="auto">${f.message ?? ''}</textarea></div>
<div class="hp" aria-hidden="true"><label for="f-web">Website</label><input id="f-web" name="website" tabindex="-1" autocomplete="off"></div>
<div><button class="primary" type="submit">${s.formSend}</button></div>
</form>`}`;
  return page(ctx, chrome, {
    title: s.subscribeTitle, description: s.subscribeIntro, canonical: urls.subscribe(chrome.lang),
    alternates: LANGUAGES.map((l) => ({ lang: l, path: urls.subscribe(l) })),
  }, main);
}
