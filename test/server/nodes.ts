// Several real nodes for the tests of issue 15: `bin/newsflow.mjs serve` processes on one store, Debian's
// nginx in front of them with the very config docs/deploy.md gives (docs/deploy/nginx.conf), subscribers
// and keys made through the store, and real SSE clients that reconnect with Last-Event-ID.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { REPO } from '../helpers.ts';
import { freePort, waitFor, type ServerProcess } from './process.ts';

export const NGINX = '/usr/sbin/nginx';

/** `bin/newsflow.mjs serve` as an operator runs it, output collected; stopped when the test file ends. */
export function startNode(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'serve'], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...env },
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
  const port = Number(env.PORT);
  return { child, port, file: env.NEWSFLOW_DATA ?? '', url: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited };
}

/** Starts a node on a free port and resolves once it listens. */
export async function startListeningNode(env: Record<string, string>): Promise<ServerProcess> {
  const node = startNode({ PORT: String(await freePort()), ...env });
  await waitFor(() => /listening on/.test(node.stdout()), 60_000, node);
  return node;
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
  const until = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > until || child.exitCode !== null) throw new Error(`nginx did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
 * A product taking everything, `count` subscribers with a key each, and an editor key, made through the
 * store and the key ring (as `newsflow subscribers`/`keys` do) before the nodes start: no demo data.
 */
export async function subscribersAndKeys(target: string, count: number): Promise<{ editor: string; subscribers: string[] }> {
  const { openRuntime } = await import('../../src/server/runtime.ts');
  const { issueKey } = await import('../../src/flow/keys.ts');
  const { productFrom } = await import('../../src/model/subscribers.ts');
  const rt = await openRuntime(target);
  try {
    await rt.store.subscribers.createProduct(productFrom({ name: 'All', embargoRights: true }));
    const subscribers: string[] = [];
    for (let i = 0; i < count; i++) {
      const sub = await rt.store.subscribers.createSubscriber({ name: `client-${i}`, products: ['All'] });
      subscribers.push((await issueKey(rt.store, 'subscriber', { subscriberId: sub.id, label: `client-${i}` })).secret);
    }
    return { editor: (await issueKey(rt.store, 'editor')).secret, subscribers };
  } finally {
    await rt.close();
  }
}

/** Writes a draft and publishes it through the HTTP API of `base`; resolves with the story id and when the publish was sent. */
export async function publishStory(base: string, editor: string, headline: string): Promise<{ id: string; sentAt: number }> {
  const auth = { authorization: `Bearer ${editor}` };
  const draft = await fetch(`${base}/v1/stories`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'en', headline, body: [{ type: 'paragraph', text: 'More later.' }] }),
  });
  assert.equal(draft.status, 201, await draft.clone().text());
  const { id } = (await draft.json()) as { id: string };
  const sentAt = performance.now();
  const published = await fetch(`${base}/v1/stories/${id}/publish`, { method: 'POST', headers: auth });
  assert.equal(published.status, 201, await published.clone().text());
  return { id, sentAt };
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
 * fails (a node killed, nginx answering 502), it connects again after `retryMs` with the Last-Event-ID
 * of the last event it got, so it resumes where it was on whichever node answers.
 */
export function sseClient(base: string, key: string, opts: { retryMs?: number } = {}) {
  const received: Received[] = [];
  const upstreams: string[] = [];
  const openedAt: number[] = [];
  const errors: string[] = [];
  const faults: string[] = [];
  let lastId: string | null = null;
  let connections = 0;
  let stopped = false;
  let abort: AbortController | null = null;
  let onConnected: (() => void) | null = null;
  const connected = new Promise<void>((r) => (onConnected = r));

  const dispatch = (block: string, connection: number) => {
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
    if (id !== null) lastId = id;
    if (data.length === 0) return;
    const body = JSON.parse(data.join('\n')) as { cursor: string; event: { seq: number; kind: string; storyId: string } };
    if (body.cursor !== id) faults.push(`event ${body.event.seq}: SSE id ${id} is not its cursor ${body.cursor}`);
    received.push({ id: body.cursor, kind, seq: body.event.seq, storyId: body.event.storyId, at: performance.now(), connection });
  };

  const run = async () => {
    while (!stopped) {
      const connection = connections++;
      abort = new AbortController();
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        openedAt.push(performance.now());
        const res = await fetch(`${base}/v1/stream`, { headers, signal: abort.signal });
        upstreams.push(res.headers.get('x-test-upstream') ?? '');
        if (res.status !== 200) {
          errors.push(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
        } else {
          const reader = res.body!.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) break;
            buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (block.split('\n').includes(': connected')) onConnected?.();
              dispatch(block, connection);
              end = buffer.indexOf('\n\n');
            }
          }
          errors.push('the stream ended');
        }
      } catch (e) {
        if (!stopped) errors.push(String((e as Error).cause ?? e));
      }
      if (!stopped) await new Promise((r) => setTimeout(r, opts.retryMs ?? 200));
    }
  };
  const running = run();

  return {
    received,
    /** The upstream nginx named for each connection (empty without nginx). */
    upstreams,
    /** performance.now() when each connection was asked for. */
    openedAt,
    /** Why each connection ended, for the failure messages. */
    errors,
    /** What the client found wrong in what it got (a test asserts none). */
    faults,
    /** Resolves once the first stream said it is connected. */
    connected,
    get connections() {
      return connections;
    },
    async stop() {
      stopped = true;
      abort?.abort();
      await running;
    },
  };
}

/** Waits until `ok()` holds, polling every 20 ms; fails with `what()` after `ms`. */
export async function until(ok: () => boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
