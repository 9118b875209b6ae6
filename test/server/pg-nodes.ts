// Real server processes on one PostgreSQL database for the fault tests of issue 15: `bin/newsflow.mjs
// serve` as an operator runs it (no demo), keys issued straight into the database by the test, and a
// real SSE client that resumes with Last-Event-ID whenever its stream ends, recording every event once.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after } from 'node:test';
import { issueKey } from '../../src/flow/keys.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { REPO, tempDir } from '../helpers.ts';
import { draftInput } from '../http/subscriber-helpers.ts';
import { freePort, waitFor, type ServerProcess } from './process.ts';

export interface Node extends ServerProcess {
  name: string;
}

/** Starts `bin/newsflow.mjs serve` on `url` (waits until it listens); stopped when the test file ends. */
export async function startNode(url: string, name: string, extra: Record<string, string> = {}): Promise<Node> {
  const port = await freePort();
  const dir = tempDir('newsflow-node-');
  const child = spawn(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'serve'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      NEWSFLOW_DATABASE_URL: url,
      NEWSFLOW_DATA: join(dir, 'newsflow.db'),
      NEWSFLOW_MEDIA_DIR: join(dir, 'media'),
      NEWSFLOW_DEMO: '0',
      NEWSFLOW_NODE_NAME: name,
      NEWSFLOW_SSE_HEARTBEAT_MS: '500',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  const node: Node = { name, child, port, file: '', url: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited };
  await waitFor(() => /listening on/.test(out), 60_000, node);
  return node;
}

/** Admin and editor keys issued into the database (the schema is brought up by opening the store). */
export async function issueKeys(url: string): Promise<{ admin: string; editor: string }> {
  const store = await PostgresStore.open(url);
  try {
    return { admin: (await issueKey(store, 'admin')).secret, editor: (await issueKey(store, 'editor')).secret };
  } finally {
    await store.close();
  }
}

/** A JSON request that never throws: a refused connection is status 0. */
export async function call(base: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  } catch (e) {
    return { status: 0, body: String(e) };
  }
}

/** A product on every language and a subscriber on it (JSON deliveries, so events carry their seq), with its key. */
export async function subscriberKey(base: string, admin: string): Promise<{ id: string; key: string }> {
  const p = await call(base, admin, 'POST', '/v1/products', { name: 'Everything', languages: [] });
  if (p.status !== 201) throw new Error(`product: ${p.status} ${JSON.stringify(p.body)}`);
  const s = await call(base, admin, 'POST', '/v1/subscribers', { name: 'Fault desk', products: ['Everything'], defaultFormat: 'json' });
  if (s.status !== 201) throw new Error(`subscriber: ${s.status} ${JSON.stringify(s.body)}`);
  const k = await call(base, admin, 'POST', `/v1/subscribers/${s.body.id}/keys`, {});
  if (k.status !== 201) throw new Error(`key: ${k.status} ${JSON.stringify(k.body)}`);
  return { id: s.body.id, key: k.body.secret };
}

/**
 * Drafts and publishes a story; the publish's seq when it was acknowledged (201), else null (refused or
 * the connection failed: the story may or may not be in the log).
 */
export async function tryPublish(base: string, editor: string, headline: string): Promise<number | null> {
  const d = await call(base, editor, 'POST', '/v1/stories', draftInput({ language: 'en', headline, categories: [], keywords: [], photos: [] }));
  if (d.status !== 201) {
    refusals.push(`draft ${d.status} ${JSON.stringify(d.body).slice(0, 200)}`);
    return null;
  }
  const p = await call(base, editor, 'POST', `/v1/stories/${d.body.id}/publish`);
  if (p.status === 201) return p.body.event.seq as number;
  refusals.push(`publish ${p.status} ${JSON.stringify(p.body).slice(0, 200)}`);
  return null;
}

/** Why publishes were refused, oldest first (for failure messages). */
export const refusals: string[] = [];

/**
 * A Server-Sent Events client of GET /v1/stream: records every event's seq, and whenever its stream
 * ends or fails it connects again with Last-Event-ID (the first time with `since` far back, so it
 * starts at the beginning of the log and a reconnect before the first event leaves no gap).
 */
export class StreamClient {
  readonly seqs: number[] = [];
  connections = 0;
  private lastId: string | null = null;
  private stopped = false;
  private abort: AbortController | null = null;
  private readonly done: Promise<void>;

  constructor(
    readonly node: { url: string; name: string },
    private readonly key: string,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.once().catch(() => {});
      if (!this.stopped) await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async once(): Promise<void> {
    this.abort = new AbortController();
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'text/event-stream' };
    if (this.lastId) headers['last-event-id'] = this.lastId;
    const q = this.lastId ? '' : '?since=2000-01-01T00:00:00Z';
    const res = await fetch(`${this.node.url}/v1/stream${q}`, { headers, signal: this.abort.signal });
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      return;
    }
    this.connections++;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let id: string | null = null;
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) id = line.slice(4);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (!data) continue;
        const parsed = JSON.parse(data) as { event?: { seq: number } };
        if (parsed.event) this.seqs.push(parsed.event.seq);
        if (id) this.lastId = id;
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.done;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ok` until it holds; fails naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}
