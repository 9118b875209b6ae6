// Several real nodes for the tests of issue 15: `bin/newsflow.mjs serve` processes on one store, Debian's
// nginx in front of them with the very config docs/deploy.md gives (docs/deploy/nginx.conf), subscribers
// and keys made through the store, publishes that may be refused (a node or the database gone), and real
// SSE clients that reconnect with Last-Event-ID.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { until } from '../http/subscriber-helpers.ts';
import { REPO, tempDir } from '../helpers.ts';
import { freePort, spawnServer, waitFor, type ServerProcess } from './process.ts';

export { sleep, until } from '../http/subscriber-helpers.ts';

export const NGINX = '/usr/sbin/nginx';

export interface Node extends ServerProcess {
  /** NEWSFLOW_NODE_NAME: /healthz names it, failure messages too. */
  name: string;
}

/**
 * `bin/newsflow.mjs serve` as an operator runs it, named `name`, on a free port unless `env` gives PORT;
 * `env` names the store and anything else. Resolves once it listens; stopped when the test file ends.
 */
export async function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const server = spawnServer([join(REPO, 'bin/newsflow.mjs'), 'serve'], {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    NEWSFLOW_NODE_NAME: name,
    ...env,
  });
  const { child, exited } = server;
  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  await waitFor(() => /listening on/.test(server.stdout()), 60_000, server);
  return { ...server, name };
}

/**
 * The environment of a node on the PostgreSQL database `url` with a SQLite file and media folder of its
 * own, no demo data and a short SSE heartbeat; `extra` on top.
 */
export function databaseNodeEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  const dir = tempDir('newsflow-node-');
  return {
    NEWSFLOW_DATABASE_URL: url,
    NEWSFLOW_DATA: join(dir, 'newsflow.db'),
    NEWSFLOW_MEDIA_DIR: join(dir, 'media'),
    NEWSFLOW_DEMO: '0',
    NEWSFLOW_SSE_HEARTBEAT_MS: '500',
    ...extra,
  };
}

/** nginx with docs/deploy/nginx.conf inside a main config of its own; resolves with its port. */
export async function startNginx(dir: string, nodes: number[]): Promise<{ port: number; child: ChildProcess; url: string }> {
  assert.ok(existsSync(NGINX), `nginx is not installed at ${NGINX}: run bash scripts/test-tools.sh (or sudo apt-get install -y nginx)`);
  const port = await freePort();
  let site = readFileSync(join(REPO, 'docs/deploy/nginx.conf'), 'utf8');
  const upstream = /(upstream newsflow \{\n)((?:\s*(?:#.*|server .*;)\n)+)/;
  assert.match(site, upstream, 'the upstream block of docs/deploy/nginx.conf');
  site = site.replace(upstream, (_all, head: string) => `${head}${nodes.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;\n`).join('')}`);
  assert.match(site, /listen 80;/);
  site = site.replace('listen 80;', `listen 127.0.0.1:${port};`);
  for (const d of ['temp/body', 'temp/proxy', 'temp/fastcgi', 'temp/uwsgi', 'temp/scgi', 'logs']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'newsflow.conf'), site);
  const root = process.getuid?.() === 0;
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      // As root nginx's workers would drop to `nobody`, who cannot write the test's temporary folder.
      root ? 'user root;' : '',
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'logs/error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${join(dir, 'logs/access.log')};`,
      `  client_body_temp_path ${join(dir, 'temp/body')};`,
      `  proxy_temp_path ${join(dir, 'temp/proxy')};`,
      `  fastcgi_temp_path ${join(dir, 'temp/fastcgi')};`,
      `  uwsgi_temp_path ${join(dir, 'temp/uwsgi')};`,
      `  scgi_temp_path ${join(dir, 'temp/scgi')};`,
      // Which node answered: only the test adds it, to publish on the other one.
      '  add_header X-Test-Upstream $upstream_addr always;',
      `  include ${join(dir, 'newsflow.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
  assert.equal(check.status, 0, `nginx -t: ${check.stderr}`);
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGQUIT');
      await new Promise((r) => child.once('exit', r));
    }
  });
  await until(
    () => `nginx to answer /healthz: ${err}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx did not start: ${err}`);
      return fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => true,
        () => false,
      );
    },
    10_000,
  );
  return { port, child, url: `http://127.0.0.1:${port}` };
}

/** Reads an SSE body until `pattern` appears; fails after `ms`. */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp, ms: number, seen = { text: '' }): Promise<string> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  while (!pattern.test(seen.text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no ${pattern} within ${ms} ms; got:\n${seen.text}`);
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
    if (chunk === null) continue;
    if (chunk.done) throw new Error(`the stream ended before ${pattern}; got:\n${seen.text}`);
    seen.text += decoder.decode(chunk.value, { stream: true });
  }
  return seen.text;
}

/**
 * A product taking everything, `count` subscribers on it with a key each, and an editor key, made through
 * the store and the key ring (as `newsflow subscribers`/`keys` do) before the nodes start: no demo data.
 * `defaultFormat` is the subscribers' delivery format (the store's default, ninjs, unless given).
 */
export async function subscribersAndKeys(
  target: string,
  count: number,
  opts: { defaultFormat?: string } = {},
): Promise<{ editor: string; subscribers: string[] }> {
  const { openRuntime } = await import('../../src/server/runtime.ts');
  const { issueKey } = await import('../../src/flow/keys.ts');
  const { productFrom } = await import('../../src/model/subscribers.ts');
  const rt = await openRuntime(target);
  try {
    await rt.store.subscribers.createProduct(productFrom({ name: 'All', embargoRights: true }));
    const subscribers: string[] = [];
    for (let i = 0; i < count; i++) {
      const sub = await rt.store.subscribers.createSubscriber({ name: `client-${i}`, products: ['All'], defaultFormat: opts.defaultFormat });
      subscribers.push((await issueKey(rt.store, 'subscriber', { subscriberId: sub.id, label: `client-${i}` })).secret);
    }
    return { editor: (await issueKey(rt.store, 'editor')).secret, subscribers };
  } finally {
    await rt.close();
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

/** Why publishes were refused, oldest first (for failure messages). */
export const refusals: string[] = [];

/** A story published: its id, the seq of its publish, and performance.now() when the publish was sent. */
export interface Published {
  id: string;
  seq: number;
  sentAt: number;
}

/**
 * Drafts a story and publishes it through the HTTP API of `base`. Null when either step was refused or its
 * connection failed (the story may or may not be in the log then); why is added to `refusals`.
 */
export async function tryPublish(base: string, editor: string, headline: string): Promise<Published | null> {
  const d = await call(base, editor, 'POST', '/v1/stories', { language: 'en', headline, body: [{ type: 'paragraph', text: 'More later.' }] });
  if (d.status !== 201) {
    refusals.push(`draft ${d.status} ${JSON.stringify(d.body).slice(0, 200)}`);
    return null;
  }
  const sentAt = performance.now();
  const p = await call(base, editor, 'POST', `/v1/stories/${d.body.id}/publish`);
  if (p.status === 201) return { id: d.body.id, seq: p.body.event.seq as number, sentAt };
  refusals.push(`publish ${p.status} ${JSON.stringify(p.body).slice(0, 200)}`);
  return null;
}

/** tryPublish where a refusal fails the test. */
export async function publishStory(base: string, editor: string, headline: string): Promise<Published> {
  const published = await tryPublish(base, editor, headline);
  assert.ok(published, `publishing "${headline}" on ${base}: ${refusals.at(-1)}`);
  return published;
}

/** One event as an SSE client got it. */
export interface Received {
  id: string;
  kind: string;
  seq: number;
  storyId: string;
  /** performance.now() when it was parsed. */
  at: number;
  /** Which connection (0, 1, …) brought it. */
  connection: number;
}

/**
 * A real SSE client as a subscriber writes one: GET /v1/stream with its key; when the stream ends or
 * fails (a node killed, the database restarted, nginx answering 502), it connects again after `retryMs`
 * with the Last-Event-ID of the last event it got, so it resumes where it was on whichever node answers.
 * Until its first event it asks with `since` far back: it starts at the beginning of the log, and a
 * reconnect before the first event leaves no gap.
 */
export class StreamClient {
  readonly received: Received[] = [];
  /** The upstream nginx named for each connection (empty without nginx). */
  readonly upstreams: string[] = [];
  /** performance.now() when each connection was asked for. */
  readonly openedAt: number[] = [];
  /** Why each connection ended, for the failure messages. */
  readonly errors: string[] = [];
  /** What the client found wrong in what it got (a test asserts none). */
  readonly faults: string[] = [];
  /** Connections asked for so far. */
  connections = 0;
  /** Whether a stream has said it is connected. */
  ready = false;
  private lastId: string | null = null;
  private stopped = false;
  private abort: AbortController | null = null;
  private readonly running: Promise<void>;

  constructor(
    readonly base: string,
    private readonly key: string,
    private readonly opts: { retryMs?: number; name?: string } = {},
  ) {
    this.running = this.run();
  }

  /** Who the client is in failure messages: `name`, else the address it connects to. */
  get name(): string {
    return this.opts.name ?? this.base;
  }

  /** The positions received, in order. */
  get seqs(): number[] {
    return this.received.map((r) => r.seq);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const connection = this.connections++;
      this.abort = new AbortController();
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'text/event-stream' };
        if (this.lastId) headers['last-event-id'] = this.lastId;
        const q = this.lastId ? '' : '?since=2000-01-01T00:00:00Z';
        this.openedAt.push(performance.now());
        const res = await fetch(`${this.base}/v1/stream${q}`, { headers, signal: this.abort.signal });
        this.upstreams.push(res.headers.get('x-test-upstream') ?? '');
        if (res.status !== 200) {
          this.errors.push(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
        } else {
          const reader = res.body!.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) break;
            buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (block.split('\n').includes(': connected')) this.ready = true;
              this.dispatch(block, connection);
            }
          }
          this.errors.push('the stream ended');
        }
      } catch (e) {
        if (!this.stopped) this.errors.push(String((e as Error).cause ?? e));
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, this.opts.retryMs ?? 200));
    }
  }

  private dispatch(block: string, connection: number): void {
    let id: string | null = null;
    let kind = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') kind = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== null) this.lastId = id;
    if (data.length === 0) return;
    const body = JSON.parse(data.join('\n')) as { cursor: string; event: { seq: number; kind: string; storyId: string } };
    if (body.cursor !== id) this.faults.push(`event ${body.event.seq}: SSE id ${id} is not its cursor ${body.cursor}`);
    this.received.push({ id: body.cursor, kind, seq: body.event.seq, storyId: body.event.storyId, at: performance.now(), connection });
  }
}
