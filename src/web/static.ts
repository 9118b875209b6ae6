// The site's static files, read into memory once: stylesheet and script (served under a content-hash
// query so they can be cached forever), the font subsets from node_modules, the logo and demo photos.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_IMAGES_DIR } from '../demo/stories.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Only these subsets ship: Arabic for Arabic text, Latin and Latin Extended (Turkish) for the rest, two weights each. */
export const FONT_FILES = [
  ['@fontsource/noto-naskh-arabic', 'noto-naskh-arabic-arabic-400-normal.woff2'],
  ['@fontsource/noto-naskh-arabic', 'noto-naskh-arabic-arabic-700-normal.woff2'],
  ['@fontsource/noto-sans', 'noto-sans-latin-400-normal.woff2'],
  ['@fontsource/noto-sans', 'noto-sans-latin-700-normal.woff2'],
  ['@fontsource/noto-sans', 'noto-sans-latin-ext-400-normal.woff2'],
  ['@fontsource/noto-sans', 'noto-sans-latin-ext-700-normal.woff2'],
] as const;

export interface StaticFile {
  type: string;
  body: Buffer;
  etag: string;
  cacheControl: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const DAY = 'public, max-age=86400';

function file(type: string, body: Buffer, cacheControl: string): StaticFile {
  return { type, body, cacheControl, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"` };
}

function packageDir(pkg: string): string {
  return dirname(require.resolve(`${pkg}/package.json`));
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"><rect width="512" height="512" fill="#0b2545"/><path d="M96 384V128h56l152 168V128h56v256h-56L152 216v168z" fill="#fff"/><rect x="96" y="408" width="320" height="20" fill="#b3001b"/></svg>`;

/** Static files by their path under /static/, and the versioned URLs pages link to. */
export function loadStatic(): { files: Map<string, StaticFile>; assets: { css: string; live: string; logo: string } } {
  const files = new Map<string, StaticFile>();
  const css = file('text/css; charset=utf-8', readFileSync(join(HERE, 'assets/site.css')), IMMUTABLE);
  const live = file('text/javascript; charset=utf-8', readFileSync(join(HERE, 'assets/live.js')), IMMUTABLE);
  files.set('site.css', css);
  files.set('live.js', live);
  files.set('logo.svg', file('image/svg+xml', Buffer.from(LOGO), DAY));
  for (const [pkg, name] of FONT_FILES) files.set(`fonts/${name}`, file('font/woff2', readFileSync(join(packageDir(pkg), 'files', name)), IMMUTABLE));
  if (existsSync(DEMO_IMAGES_DIR)) {
    for (const name of readdirSync(DEMO_IMAGES_DIR)) {
      if (/^[\w.-]+\.svg$/.test(name)) files.set(`demo/${name}`, file('image/svg+xml', readFileSync(join(DEMO_IMAGES_DIR, name)), DAY));
    }
  }
  const v = (f: StaticFile) => f.etag.slice(1, 11);
  return { files, assets: { css: `/static/site.css?v=${v(css)}`, live: `/static/live.js?v=${v(live)}`, logo: '/static/logo.svg' } };
}
