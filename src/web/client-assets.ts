// The browser's scripts, as scripts/build.mjs bundled them into dist/client: which file a page script
// is (the manifest, entry → content-hashed name) and a Fastify plugin that serves them at /assets/ with
// a year-long immutable cache (a new build is a new name), gzipped when the browser takes it. The same
// path works when the server runs from src/ through tsx and from dist/: both are two folders below the
// checkout, beside dist/client.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const CLIENT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'client');
export const ASSETS_PREFIX = '/assets/';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const FILE_NAME = /^(?:chunks\/)?[\w.-]+\.js$/;

export class ClientAssets {
  private readonly manifest: Record<string, string>;
  private readonly cache = new Map<string, { body: Buffer; gzip: Buffer | null }>();

  /** Reads the manifest; a checkout whose bundles were never built is told how to build them. */
  constructor(readonly dir: string = CLIENT_DIR) {
    const path = join(dir, 'manifest.json');
    if (!existsSync(path)) throw new Error(`the browser scripts are not built (${path} is missing): run \`npm run build\``);
    this.manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  }

  /** The URL of a page script by its entry name (`editor` for src/web/client/editor.ts). */
  url(entry: string): string {
    const file = this.manifest[entry];
    if (!file) throw new Error(`no browser script "${entry}" in ${join(this.dir, 'manifest.json')}: run \`npm run build\``);
    return ASSETS_PREFIX + file;
  }

  /** A built file and its gzip copy, read on first request and kept (tens of KB each, only once asked for). */
  file(name: string): { body: Buffer; gzip: Buffer | null } | null {
    if (!FILE_NAME.test(name) || name.includes('..')) return null;
    // Only files that exist are kept: requests for made-up names cost a stat each, never memory.
    let f = this.cache.get(name);
    if (!f) {
      const path = join(this.dir, name);
      if (!existsSync(path)) return null;
      f = { body: readFileSync(path), gzip: existsSync(`${path}.gz`) ? readFileSync(`${path}.gz`) : null };
      this.cache.set(name, f);
    }
    return f;
  }
}

let shared: ClientAssets | undefined;

/** The bundles of this checkout (read once). Throws, naming `npm run build`, when they were never built. */
export function clientAssets(): ClientAssets {
  shared ??= new ClientAssets();
  return shared;
}

/** `<script type=module src=…>` source of a page script, e.g. `clientScriptUrl('editor')`. */
export function clientScriptUrl(entry: string): string {
  return clientAssets().url(entry);
}

/**
 * Serves the bundles at /assets/. The desk and the portal may both register it: the second
 * registration finds the route there and adds nothing. It must be registered without a prefix (the
 * URLs of clientScriptUrl start at /assets/).
 */
export async function clientAssetsPlugin(app: FastifyInstance, opts: { assets?: ClientAssets } = {}): Promise<void> {
  if (app.prefix) throw new Error(`clientAssetsPlugin serves ${ASSETS_PREFIX}: register it without a prefix (not under ${app.prefix})`);
  if (app.hasRoute({ method: 'GET', url: `${ASSETS_PREFIX}*` })) return;
  const assets = opts.assets ?? clientAssets();
  app.get(`${ASSETS_PREFIX}*`, { schema: { hide: true } }, async (req, reply) => {
    const f = assets.file(req.url.split('?')[0].slice(ASSETS_PREFIX.length));
    if (!f) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    void reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', IMMUTABLE)
      .header('x-content-type-options', 'nosniff')
      .header('vary', 'accept-encoding');
    if (f.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(f.gzip);
    return reply.send(f.body);
  });
}
