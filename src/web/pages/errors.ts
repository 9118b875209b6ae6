// Error pages in the reader's edition: not found, withdrawn (killed stories), bad or oversized requests.
import type { PageChrome, SiteContext } from '../context.ts';
import { html } from '../html.ts';
import { STRINGS } from '../i18n.ts';
import { page } from '../layout.ts';
import { urls } from '../urls.ts';

export type ErrorKind = 'not-found' | 'withdrawn' | 'bad-request';

export function errorPage(ctx: SiteContext, chrome: PageChrome, kind: ErrorKind, status: number): string {
  const s = STRINGS[chrome.lang];
  const [title, text] =
    kind === 'withdrawn'
      ? [s.withdrawnTitle, s.withdrawnText]
      : kind === 'not-found'
        ? [s.notFoundTitle, s.notFoundText]
        : [s.badRequestTitle, s.badRequestText];
  const main = html`<section class="error">
<p class="code" aria-hidden="true">${status}</p>
<h1>${title}</h1>
<p>${text}</p>
<p><a href="${urls.home(chrome.lang)}">${s.home}</a> · <a href="${urls.search(chrome.lang)}">${s.search}</a></p>
</section>`;
  return page(ctx, chrome, { title, noindex: true }, main);
}
