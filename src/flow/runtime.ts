// The composition root: opens the store named by the environment and builds the services on it.
// The server and the CLI both start here, so they always see the same store the same way.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { SqliteStore } from '../store/sqlite/index.ts';
import type { Store } from '../store/store.ts';
import { Hub } from './hub.ts';
import { KeyRing } from './keys.ts';
import { Newsroom } from './newsroom.ts';
import { siteRoutes } from '../web/site.ts';
import { feedRoutes } from '../http/routes/feed.ts';
import { streamRoutes } from '../http/routes/stream.ts';
import { subscriberRoutes } from '../http/routes/subscribers.ts';
import { webhookRoutes } from '../http/routes/webhooks.ts';
import { demoSubscriber } from './subscriber-demo.ts';

export interface Runtime {
  /** The public address of this server, used in links and IPTC URIs (NEWSFLOW_BASE_URL). */
  baseUrl: string;
  store: Store;
  hub: Hub;
  keys: KeyRing;
  newsroom: Newsroom;
  /** Route plugins of other modules, registered after the core routes. */
  extraRoutes?: FastifyPluginAsync<Runtime>[];
  /** The public site's 404 page for unknown paths (set by the site when it is mounted). */
  htmlNotFound?: (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => Promise<unknown>;
  /** Demo set-up steps of other modules (a demo subscriber and its key); they return keys to print. */
  demoExtras?: ((rt: Runtime) => Promise<{ role: import('../store/store.ts').Role; secret: string; note?: string }[]>)[];
  close(): Promise<void>;
}

/** The SQLite file named by NEWSFLOW_DATA (a file, or a folder holding newsflow.db); ./data by default. */
export function dataFile(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.NEWSFLOW_DATA?.trim();
  if (!named) return resolve('data', 'newsflow.db');
  const path = resolve(named);
  if (/\.(db|sqlite3?)$/i.test(path) || (existsSync(path) && statSync(path).isFile())) return path;
  return join(path, 'newsflow.db');
}

/** Opens the store and the services on it. */
export async function openRuntime(file = dataFile()): Promise<Runtime> {
  const store = new SqliteStore(file);
  const hub = new Hub(store);
  const keys = new KeyRing(store);
  const newsroom = new Newsroom(store, hub);
  const baseUrl = (process.env.NEWSFLOW_BASE_URL ?? `http://localhost:${process.env.PORT ?? 8080}`).replace(/\/+$/, '');
  return {
    baseUrl, store, hub, keys, newsroom,
    // The subscriber flow (issue #3): admin of subscribers, pull feed, live stream, webhooks.
    extraRoutes: [subscriberRoutes, feedRoutes, streamRoutes, webhookRoutes,
      // The public website (issue #6, src/web): pages, feeds, sitemaps, the public stream, leads.
      siteRoutes],
    demoExtras: [demoSubscriber],
    async close() {
      hub.stop();
      await store.close();
    },
  };
}
