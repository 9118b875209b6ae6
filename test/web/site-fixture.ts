// A running site for the web tests: a fresh store with the demo newsroom and the seed story, the whole
// app (API and site) on a loopback port, and a headless Chromium to look at it.
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { loadDemoNewsroom } from '../../src/flow/demo.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { buildWebApp } from '../../src/server/app.ts';
import { configWith } from '../../src/server/config.ts';
import { parsePublicPage, type PublicPageStory } from '../../src/formats/seed-page.ts';
import { SEED_FILE, tempDbFile } from '../helpers.ts';

export const PUBLIC_BASE = 'http://news.test';

export interface SiteFixture {
  rt: Runtime;
  app: FastifyInstance;
  url: string;
  seed: PublicPageStory;
  seedId: string;
  adminKey: string;
  close(): Promise<void>;
}

/** The site on a fresh store; `env` adds settings (NEWSFLOW_SITE_BUDGET …) to the public address. */
export async function startSite(env: Record<string, string> = {}): Promise<SiteFixture> {
  const rt = await openRuntime(tempDbFile());
  const demo = await loadDemoNewsroom(rt);
  const seed = parsePublicPage(readFileSync(SEED_FILE, 'utf8'));
  const [event] = await rt.store.importPublished([{ content: seed.content, publishedAt: seed.publishedAt, updatedAt: seed.updatedAt }]);
  rt.hub.advance(event.seq);
  const { app } = await buildWebApp(rt, configWith({ NEWSFLOW_PUBLIC_URL: PUBLIC_BASE, ...env }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    rt,
    app,
    url,
    seed,
    seedId: event.storyId,
    adminKey: demo.keys.find((k) => k.role === 'admin')!.secret,
    async close() {
      await app.close();
      await rt.close();
    },
  };
}

/** Debian's Chromium, or the one NEWSFLOW_CHROMIUM names (scripts/test-tools.sh reads the same variable). */
export const CHROMIUM = process.env.NEWSFLOW_CHROMIUM || '/usr/bin/chromium';

/** Stops a browser test that has no Chromium, with the command that brings it (never a skip). */
export function needChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}, and it is not there: run \`sudo apt-get install -y chromium\` (npm test does it itself when run as root)`,
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
