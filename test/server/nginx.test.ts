// Several nodes behind Debian's nginx (issue 15, point 7), with the very config docs/deploy.md gives
// (docs/deploy/nginx.conf): nginx runs as an unprivileged-style instance with its own prefix, pid and
// temp paths in a temporary folder, in front of two real `bin/newsflow.mjs serve` processes on one
// store. An SSE stream opened through nginx receives an event published on the other node, and
// /healthz answers through nginx.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { REPO, tempDir } from '../helpers.ts';
import { demoKey, freePort, waitFor, type ServerProcess } from './process.ts';

const NGINX = '/usr/sbin/nginx';
/**
 * Where the nodes keep their store. SQLite on one shared file for now (several processes on one file
 * are supported); 'postgres' runs the same test on one PostgreSQL database once that store is complete.
 */
const STORE_TARGET: 'sqlite' | 'postgres' = 'sqlite';

async function storeEnv(dir: string): Promise<Record<string, string>> {
  if (STORE_TARGET === 'postgres') {
    const { freshDatabase } = await import('../postgres.ts');
    return { NEWSFLOW_DATABASE_URL: await freshDatabase(), NEWSFLOW_MEDIA_DIR: join(dir, 'media') };
  }
  return { NEWSFLOW_DATA: join(dir, 'newsflow.db'), NEWSFLOW_MEDIA_DIR: join(dir, 'media') };
}

/** `bin/newsflow.mjs serve` as an operator runs it, output collected. */
function startNode(env: Record<string, string>): ServerProcess {
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

/** nginx with docs/deploy/nginx.conf inside a main config of its own; resolves with its port. */
async function startNginx(dir: string, nodes: number[]): Promise<{ port: number; child: ChildProcess }> {
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
  return { port, child };
}

/** Reads an SSE body until `pattern` appears; fails after `ms`. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp, ms: number, seen = { text: '' }): Promise<string> {
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

it('through nginx: an SSE stream gets an event published on the other node, and /healthz answers', async () => {
  const dir = tempDir('newsflow-nginx-');
  const store = await storeEnv(dir);
  const ports = [await freePort(), await freePort()];
  // The first node creates the store (and its demo keys); the second joins it.
  const a = startNode({ ...store, PORT: String(ports[0]), NEWSFLOW_NODE_NAME: 'node-a' });
  await waitFor(() => /listening on/.test(a.stdout()), 60_000, a);
  const b = startNode({ ...store, PORT: String(ports[1]), NEWSFLOW_NODE_NAME: 'node-b', NEWSFLOW_DEMO: '0' });
  await waitFor(() => /listening on/.test(b.stdout()), 60_000, b);
  const nodes = new Map([
    [`127.0.0.1:${ports[0]}`, a],
    [`127.0.0.1:${ports[1]}`, b],
  ]);
  const nginx = await startNginx(join(dir, 'nginx'), ports);
  const front = `http://127.0.0.1:${nginx.port}`;

  // Health through nginx: 200, and each node names itself.
  const named = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const h = await fetch(`${front}/healthz`);
    assert.equal(h.status, 200);
    const body = (await h.json()) as { ok: boolean; node: string; database: { reachable: boolean } };
    assert.equal(body.ok, true);
    assert.equal(body.database.reachable, true);
    named.add(body.node);
  }
  assert.deepEqual([...named].sort(), ['node-a', 'node-b'], 'nginx spreads requests over both nodes');

  const subscriber = demoKey(a.stdout(), 'subscriber');
  const editor = demoKey(a.stdout(), 'editor');
  const stream = await fetch(`${front}/v1/stream`, { headers: { authorization: `Bearer ${subscriber}` } });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
  const servedBy = stream.headers.get('x-test-upstream')!;
  const other = [...nodes.entries()].find(([addr]) => addr !== servedBy)![1];
  const reader = stream.body!.getReader();
  const seen = { text: '' };
  await readUntil(reader, /: connected/, 5000, seen);

  const headline = `Published on the other node ${Date.now()}`;
  const auth = { authorization: `Bearer ${editor}` };
  const draft = await fetch(`${other.url}/v1/stories`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'en', headline, body: [{ type: 'paragraph', text: 'More later.' }] }),
  });
  assert.equal(draft.status, 201, await draft.clone().text());
  const { id } = (await draft.json()) as { id: string };
  const t0 = Date.now();
  assert.equal((await fetch(`${other.url}/v1/stories/${id}/publish`, { method: 'POST', headers: auth })).status, 201);
  const text = await readUntil(reader, new RegExp(headline), 5000, seen);
  const ms = Date.now() - t0;
  assert.ok(ms < 1000, `reached the stream on the other node in ${ms} ms`);
  // The event carries its position as the SSE id, so a client reconnecting through nginx resumes.
  const lastId = /^id: (\S+)$/m.exec(text.slice(text.indexOf(': connected')))![1];
  await reader.cancel();

  // Last-Event-ID passes through nginx: while the client is away another story is published; the
  // resumed stream gets that one and not the one it had already seen.
  const missed = `Published while away ${Date.now()}`;
  const second = await fetch(`${other.url}/v1/stories`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'en', headline: missed, body: [{ type: 'paragraph', text: 'More later.' }] }),
  });
  const { id: secondId } = (await second.json()) as { id: string };
  assert.equal((await fetch(`${other.url}/v1/stories/${secondId}/publish`, { method: 'POST', headers: auth })).status, 201);
  const resumed = await fetch(`${front}/v1/stream`, { headers: { authorization: `Bearer ${subscriber}`, 'last-event-id': lastId } });
  assert.equal(resumed.status, 200);
  const again = resumed.body!.getReader();
  const resumedText = await readUntil(again, new RegExp(missed), 5000);
  assert.doesNotMatch(resumedText, new RegExp(headline), 'the event already seen is not sent again');
  await again.cancel();
});
