// Helpers for the subscriber-flow tests: a real server on a loopback port over a temporary SQLite
// file, with admin/editor keys, products, subscribers, and stories published through the API.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildWebApp } from '../../src/server/app.ts';
import { configWith } from '../../src/server/config.ts';
import type { StreamFanout } from '../../src/flow/streams.ts';
import { issueKey } from '../../src/flow/keys.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { startWebhookWorker, type WebhookWorkerOptions } from '../../src/flow/webhooks.ts';
import type { StoryContent } from '../../src/model/story.ts';
import type { NewProduct, Subscriber } from '../../src/model/subscribers.ts';
import { sampleContent, tempDbFile } from '../helpers.ts';

// The tests' receivers listen on loopback, and short heartbeats keep stream tests quick.
const TEST_ENV = { NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '1', NEWSFLOW_SSE_HEARTBEAT_MS: '300' };

export interface FlowServer {
  rt: Runtime;
  app: FastifyInstance;
  fanout: StreamFanout;
  file: string;
  port: number;
  url: string;
  adminKey: string;
  editorKey: string;
  /** Stops the server (and the worker), keeping the file. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  file?: string;
  port?: number;
  webhooks?: WebhookWorkerOptions | false;
  adminKey?: string;
  editorKey?: string;
  /** Settings as environment variables, over the tests' own (private webhooks allowed, 300 ms heartbeats). */
  env?: Record<string, string>;
}

/** Starts the real app on 127.0.0.1 (port 0 unless given) with a hub polling every 100 ms. */
export async function startServer(opts: ServerOptions = {}): Promise<FlowServer> {
  const file = opts.file ?? tempDbFile();
  const rt = await openRuntime(file);
  await rt.hub.start(100);
  const adminKey = opts.adminKey ?? (await issueKey(rt.store, 'admin')).secret;
  const editorKey = opts.editorKey ?? (await issueKey(rt.store, 'editor')).secret;
  const config = configWith({ ...TEST_ENV, ...opts.env });
  const { app, fanout } = await buildWebApp(rt, config);
  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const stopWorker =
    opts.webhooks === false
      ? null
      : startWebhookWorker(rt, { allowPrivate: config.allowPrivateWebhooks, baseDelayMs: 50, maxDelayMs: 400, timeoutMs: 2000, tickMs: 50, ...opts.webhooks });
  const port = (app.server.address() as AddressInfo).port;
  return {
    rt,
    app,
    fanout,
    file,
    port,
    url: `http://127.0.0.1:${port}`,
    adminKey,
    editorKey,
    async stop() {
      await stopWorker?.();
      await app.close();
      await rt.close();
    },
  };
}

/** A JSON request; returns status and parsed body. */
export async function call(
  s: { url: string },
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(s.url + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Creates a product through the admin API. */
export async function addProduct(s: FlowServer, p: Partial<NewProduct> & { name: string }): Promise<void> {
  const r = await call(s, s.adminKey, 'POST', '/v1/products', p);
  if (r.status !== 201) throw new Error(`creating product ${p.name}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Creates a subscriber on products and a key for it. */
export async function addSubscriber(
  s: FlowServer,
  name: string,
  products: string[],
  defaultFormat = 'json',
): Promise<{ subscriber: Subscriber; key: string; keyId: string }> {
  // These tests read the story in newsflow's own model; the default for real subscribers is ninjs.
  const r = await call(s, s.adminKey, 'POST', '/v1/subscribers', { name, products, defaultFormat });
  if (r.status !== 201) throw new Error(`creating subscriber ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  const k = await call(s, s.adminKey, 'POST', `/v1/subscribers/${r.body.id}/keys`, {});
  if (k.status !== 201) throw new Error(`creating a key for ${name}: ${k.status} ${JSON.stringify(k.body)}`);
  return { subscriber: r.body, key: k.body.secret, keyId: k.body.key.id };
}

/** Drafts and publishes a story through the editor API; returns the story id and the event seq. */
export async function publish(s: FlowServer, over: Partial<StoryContent> = {}): Promise<{ id: string; seq: number }> {
  const d = await call(s, s.editorKey, 'POST', '/v1/stories', draftInput(over));
  if (d.status !== 201) throw new Error(`drafting: ${d.status} ${JSON.stringify(d.body)}`);
  const p = await call(s, s.editorKey, 'POST', `/v1/stories/${d.body.id}/publish`);
  if (p.status !== 201) throw new Error(`publishing: ${p.status} ${JSON.stringify(p.body)}`);
  return { id: d.body.id, seq: p.body.event.seq };
}

/** Edits and republishes (an `updated` version). */
export async function update(s: FlowServer, id: string, changes: Partial<StoryContent>): Promise<number> {
  const story = await call(s, s.editorKey, 'GET', `/v1/stories/${id}`);
  const e = await call(s, s.editorKey, 'PATCH', `/v1/stories/${id}`, { ...changes, revision: story.body.revision });
  if (e.status !== 200) throw new Error(`editing: ${e.status} ${JSON.stringify(e.body)}`);
  const p = await call(s, s.editorKey, 'POST', `/v1/stories/${id}/publish`);
  if (p.status !== 201) throw new Error(`republishing: ${p.status} ${JSON.stringify(p.body)}`);
  return p.body.event.seq;
}

export async function kill(s: FlowServer, id: string): Promise<number> {
  const p = await call(s, s.editorKey, 'POST', `/v1/stories/${id}/kill`, { reason: 'legal' });
  if (p.status !== 201) throw new Error(`killing: ${p.status} ${JSON.stringify(p.body)}`);
  return p.body.event.seq;
}

/** A draft body the API accepts (sampleContent without fields the API derives). */
export function draftInput(over: Partial<StoryContent> = {}): Record<string, unknown> {
  const { hashtags: _h, ...c } = sampleContent(over);
  return c;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns true, or fails after `ms` naming `what` (a function: worked out only then, with what was seen). */
export async function until(what: string | (() => string), fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(25);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`);
}
