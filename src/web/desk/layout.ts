// The desk's page frame: <html lang dir> from the user's interface language (the whole desk right to
// left in Arabic), navigation by role, the user's name, account and sign-out.
import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.ts';
import type { AreaPage } from '../account/pages.ts';
import { csrfField } from '../account/forms.ts';
import { DESK_STRINGS, dirOf } from './strings.ts';

export const DESK = '/desk';

/** The navigation: links to pages other parts of the desk add (wire monitor, stories, search, audit, admin). */
const NAV = [
  ['wire', `${DESK}`],
  ['stories', `${DESK}/stories`],
  ['search', `${DESK}/search`],
  ['audit', `${DESK}/audit`],
  ['admin', `${DESK}/admin/users`],
] as const;

export function deskLayout(cssUrl: string) {
  return function layout(req: FastifyRequest, p: AreaPage): SafeHtml {
    const t = DESK_STRINGS[p.lang];
    const path = req.url.split('?')[0].replace(/\/+$/, '') || DESK;
    const nav = p.user
      ? NAV.filter(([key]) => key !== 'admin' || p.user!.role === 'admin').map(([key, href]) => {
          const current = href === DESK ? path === DESK : path.startsWith(href);
          return html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${t.nav[key]}</a></li>`;
        })
      : [];
    return html`<html lang="${p.lang}" dir="${dirOf(p.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${p.csrf}">
<title>${p.title} · ${t.deskName}</title>
<link rel="stylesheet" href="${cssUrl}">
</head>
<body>
<a class="skip" href="#main">${t.skip}</a>
<header class="top">
  <a class="brand" href="${DESK}">${t.deskName}</a>
  ${
    p.user
      ? html`<nav aria-label="${t.navLabel}"><ul>${nav}</ul></nav>
  <div class="who">
    <span>${t.signedInAs} <bdi>${p.user.name}</bdi></span>
    <a href="${DESK}/account">${t.account}</a>
    <form method="post" action="${DESK}/sign-out">${csrfField(p.csrf)}<button type="submit" class="link">${t.signOut}</button></form>
  </div>`
      : ''
  }
</header>
<main id="main">
${p.body}
</main>
</body>
</html>`;
  };
}
