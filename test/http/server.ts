// A real newsflow server on a loopback port, on a fresh SQLite file, with one key per staff role.
import type { FastifyInstance } from 'fastify';
import { buildWebApp } from '../../src/server/app.ts';
import { issueKey } from '../../src/flow/keys.ts';
import { productFrom } from '../../src/model/subscribers.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { tempDbFile } from '../helpers.ts';

export interface TestServer {
  url: string;
  rt: Runtime;
  app: FastifyInstance;
  admin: string;
  editor: string;
  close(): Promise<void>;
  /** fetch against the server with a key. */
  call(path: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<Response>;
}

export async function startServer(file = tempDbFile()): Promise<TestServer> {
  const rt = await openRuntime(file);
  await rt.hub.start(50);
  const { app } = await buildWebApp(rt);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const admin = (await issueKey(rt.store, 'admin')).secret;
  const editor = (await issueKey(rt.store, 'editor')).secret;
  return {
    url,
    rt,
    app,
    admin,
    editor,
    async close() {
      await app.close();
      await rt.close();
    },
    call(path, init = {}) {
      const headers = new Headers(init.headers);
      const key = init.key === undefined ? editor : init.key;
      if (key) headers.set('authorization', `Bearer ${key}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(url + path, { ...init, headers, body });
    },
  };
}

/** A subscriber ("Reader") entitled to everything but embargoes, and its key. */
export async function addReader(s: TestServer): Promise<{ subscriberId: string; key: string }> {
  await s.rt.store.subscribers.createProduct(productFrom({ name: 'All' }));
  const sub = await s.rt.store.subscribers.createSubscriber({ name: 'Reader', products: ['All'] });
  return { subscriberId: sub.id, key: (await issueKey(s.rt.store, 'subscriber', { subscriberId: sub.id })).secret };
}
