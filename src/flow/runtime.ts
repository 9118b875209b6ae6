// The composition root: opens the store named by the environment and builds the services on it.
// The server and the CLI both start here, so they always see the same store the same way.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { SqliteStore } from '../store/sqlite/index.ts';
import type { Store } from '../model/store.ts';
import { Hub } from './hub.ts';
import { KeyRing } from './keys.ts';
import { Newsroom } from './newsroom.ts';
import { baseUrl } from './render.ts';

export interface Runtime {
  /** The public address of this server, used in links and IPTC URIs (NEWSFLOW_BASE_URL). */
  baseUrl: string;
  store: Store;
  hub: Hub;
  keys: KeyRing;
  newsroom: Newsroom;
  /** Extra route plugins (benchmarks and tests add their own), registered after the app's routes. */
  extraRoutes?: FastifyPluginAsync<Runtime>[];
  /** The public site's 404 page for unknown paths (set by the site when it is mounted). */
  htmlNotFound?: (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => Promise<unknown>;
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
  return {
    baseUrl: baseUrl(), store, hub, keys, newsroom,
    async close() {
      hub.stop();
      await store.close();
    },
  };
}
