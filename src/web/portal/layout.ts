// The portal's page frame: <html lang dir> from the seat's interface language (the whole portal right
// to left in Arabic; each story keeps its own direction), navigation, the seat's name and subscriber,
// account and sign-out.
import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.ts';
import type { AreaPage } from '../account/pages.ts';
import { csrfField } from '../account/forms.ts';
import { dirOf, PORTAL_STRINGS } from './strings.ts';

export const PORTAL = '/portal';

/** The navigation; seats is for seat admins only. */
const NAV = [
  ['wire', `${PORTAL}`],
  ['search', `${PORTAL}/search`],
  ['topics', `${PORTAL}/topics`],
  ['developers', `${PORTAL}/developers`],
  ['usage', `${PORTAL}/usage`],
  ['seats', `${PORTAL}/seats`],
  ['account', `${PORTAL}/account`],
] as const;

export function portalLayout(cssUrl: string) {
  return function layout(req: FastifyRequest, p: AreaPage): SafeHtml {
    const t = PORTAL_STRINGS[p.lang];
    const path = req.url.split('?')[0].replace(/\/+$/, '') || PORTAL;
    const nav = p.user
      ? NAV.filter(([key]) => key !== 'seats' || p.user!.role === 'seat-admin').map(([key, href]) => {
          const current = href === PORTAL ? path === PORTAL || path.startsWith(`${PORTAL}/stories`) : path.startsWith(href);
          return html`<li><a href="${href}"${current ? html` aria-current="page"` : ''}>${t.nav[key]}</a></li>`;
        })
      : [];
    return html`<html lang="${p.lang}" dir="${dirOf(p.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${p.csrf}">
<title>${p.title} · ${t.portalName}</title>
<link rel="stylesheet" href="${cssUrl}">
</head>
<body>
<a class="skip" href="#main">${t.skip}</a>
<header class="top">
  <a class="brand" href="${PORTAL}">${t.portalName}</a>
  ${
    p.user
      ? html`<nav aria-label="${t.navLabel}"><ul>${nav}</ul></nav>
  <div class="who">
    <span>${t.signedInAs} <bdi>${p.user.name}</bdi></span>
    <form method="post" action="${PORTAL}/sign-out">${csrfField(p.csrf)}<button type="submit" class="link">${t.signOut}</button></form>
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
