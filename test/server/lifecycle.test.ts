// Starting and stopping the real server process (`newsflow serve`, what `npm start` runs): a graceful
// stop on SIGTERM that tells open streams and lets a webhook post finish, a second signal that stops at
// once, a closed stdout pipe that does not keep the server alive, and starts that cannot succeed ending
// in one line that names the cause.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { REPO, tempDir } from '../helpers.ts';
import { demoKey, freePort, serverEnv, spawnNewsflow, startServerProcess, waitFor } from './process.ts';

/** Reads an SSE body until `pattern` is in it (or the stream ends); returns what was read. */
async function readUntil(body: ReadableStream<Uint8Array>, pattern: RegExp, ms: number): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const until = Date.now() + ms;
  while (!pattern.test(text) && Date.now() < until) {
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
    if (!next || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

/** The store is a sound SQLite file with the demo stories in it. */
function assertStoreIntact(file: string): void {
  const db = new Database(file, { readonly: true });
  try {
    assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
    assert.equal((db.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n, 7);
  } finally {
    db.close();
  }
}

const oneLine = (text: string) => text.trim().split('\n');

/** Registers a webhook to `port` with the demo subscriber's key. */
async function addWebhook(p: { url: string; stdout(): string }, port: number): Promise<string> {
  const r = await fetch(`${p.url}/v1/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demoKey(p.stdout(), 'subscriber')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook` }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  return ((await r.json()) as { id: string }).id;
}

/** Drafts and publishes a story with the demo editor's key. */
async function publishStory(p: { url: string; stdout(): string }, headline: string): Promise<void> {
  const auth = { authorization: `Bearer ${demoKey(p.stdout(), 'editor')}` };
  const draft = await fetch(`${p.url}/v1/stories`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'en', headline, body: [{ type: 'paragraph', text: 'More later.' }] }),
  });
  const { id } = (await draft.json()) as { id: string };
  assert.equal((await fetch(`${p.url}/v1/stories/${id}/publish`, { method: 'POST', headers: auth })).status, 201);
}

describe('graceful stop', () => {
  it('on SIGTERM sends open streams a final comment, answers long-polls, exits 0 and leaves the store intact', async () => {
    const p = await startServerProcess();
    const key = demoKey(p.stdout(), 'subscriber');
    const res = await fetch(`${p.url}/v1/stream`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200);
    const body = res.body!;
    assert.match(await readUntil(body, /: connected/, 5000), /: connected/);
    // The public site's live bar and a subscriber's long-poll are open too.
    const site = await fetch(`${p.url}/public/stream?lang=en`);
    assert.equal(site.status, 200);
    const siteBody = site.body!;
    await readUntil(siteBody, /retry:/, 5000);
    const longPoll = fetch(`${p.url}/v1/feed?wait=60`, { headers: { authorization: `Bearer ${key}` } });
    await new Promise((r) => setTimeout(r, 300));
    const sent = Date.now();
    p.child.kill('SIGTERM');
    const rest = await readUntil(body, /: closed: server shutting down/, 10_000);
    assert.match(rest, /: closed: server shutting down/);
    assert.match(await readUntil(siteBody, /: closed: server shutting down/, 10_000), /: closed: server shutting down/);
    // The long-poll is answered at once (an empty page and its cursor), not after its minute.
    const polled = await longPoll;
    assert.equal(polled.status, 200);
    const page = (await polled.json()) as { items: unknown[]; next_cursor: string };
    assert.deepEqual(page.items, []);
    assert.ok(page.next_cursor);
    assert.ok(Date.now() - sent < 5000, `long-poll answered ${Date.now() - sent} ms after SIGTERM`);
    const { code, at } = await p.exited;
    assert.equal(code, 0, p.stderr());
    assert.ok(at - sent < 5000, `exited ${at - sent} ms after SIGTERM`);
    assertStoreIntact(p.file);
  });

  it('lets a webhook post in flight finish and records it before exiting', async () => {
    let answer: (() => void) | null = null;
    const posts: string[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      let b = '';
      req.on('data', (d) => {
        b += d;
      });
      req.on('end', () => {
        posts.push(b);
        // Answers only a second after the server was told to stop.
        answer = () => setTimeout(() => res.end('ok'), 1000);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const p = await startServerProcess({ NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '1' });
      const hookId = await addWebhook(p, (receiver.address() as { port: number }).port);
      await publishStory(p, 'Ferry timetable changes for the winter');
      await waitFor(() => posts.length === 1 && answer !== null, 10_000, p);
      p.child.kill('SIGTERM');
      answer!();
      const { code } = await p.exited;
      assert.equal(code, 0, p.stderr());
      assert.match(posts[0], /Ferry timetable/);
      // The post finished during the stop and was recorded as delivered: the cursor moved past it.
      const db = new Database(p.file, { readonly: true });
      try {
        const row = db.prepare('SELECT cursor, attempt FROM webhooks WHERE id = ?').get(hookId) as { cursor: number; attempt: number };
        const head = (db.prepare('SELECT max(seq) AS n FROM events').get() as { n: number }).n;
        assert.equal(row.cursor, head, 'the delivered event is recorded');
        assert.equal(row.attempt, 0);
      } finally {
        db.close();
      }
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  it('a second signal stops at once, while the first stop still waits', async () => {
    // A receiver that never answers keeps the first stop waiting for its post (up to the grace period).
    let received = false;
    const receiver = createServer((req) => {
      req.resume();
      received = true;
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const p = await startServerProcess({ NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS: '1' });
      await addWebhook(p, (receiver.address() as { port: number }).port);
      await publishStory(p, 'Library opens on Sundays');
      await waitFor(() => received, 10_000, p);
      p.child.kill('SIGTERM');
      await waitFor(() => /stopping/.test(p.stderr()), 5000, p);
      await new Promise((r) => setTimeout(r, 300));
      const second = Date.now();
      p.child.kill('SIGTERM');
      const { code, at } = await p.exited;
      assert.ok(at - second < 1500, `exited ${at - second} ms after the second signal`);
      assert.notEqual(code, null, 'exited by itself, not killed by the signal');
      assert.match(p.stderr(), /again: stopping at once/);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  it('exits within 10 s of SIGTERM when its stdout pipe was closed (npm start | head)', async () => {
    const p = await startServerProcess();
    p.child.stdout!.destroy();
    // Requests make the server write its log to the closed pipe.
    for (let i = 0; i < 20; i++) await fetch(`${p.url}/healthz`).then((r) => r.text());
    const sent = Date.now();
    p.child.kill('SIGTERM');
    const t = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
    const { code, signal, at } = await p.exited;
    clearTimeout(t);
    assert.equal(signal, null, 'not killed');
    assert.equal(code, 0, p.stderr());
    assert.ok(at - sent < 10_000, `exited ${at - sent} ms after SIGTERM`);
  });
});

describe('npm start', () => {
  it('stops within 10 s when npm is sent SIGTERM, even with its stdout pipe closed (npm start | head)', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: serverEnv({ HOST: '127.0.0.1', PORT: String(port), NEWSFLOW_DATA: join(tempDir(), 'newsflow.db') }),
    });
    let out = '';
    npm.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    npm.stderr!.resume();
    const npmExited = new Promise((r) => npm.on('exit', r));
    await waitFor(() => /listening on/.test(out) && /"pid":\d+/.test(out), 60_000);
    // The server's own pid, from its JSON log: npm runs it through a shell, two processes down.
    const pid = Number(/"pid":(\d+)/.exec(out)![1]);
    assert.notEqual(pid, npm.pid);
    npm.stdout!.destroy();
    for (let i = 0; i < 10; i++) await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.text());
    const sent = Date.now();
    npm.kill('SIGTERM');
    await npmExited;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() - sent < 12_000) await new Promise((r) => setTimeout(r, 100));
    const gone = !alive();
    if (!gone) process.kill(pid, 'SIGKILL');
    assert.ok(gone, `the server (pid ${pid}) was still running 12 s after npm got SIGTERM`);
    assert.ok(Date.now() - sent < 10_000, `stopped ${Date.now() - sent} ms after SIGTERM`);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'nothing listens any more');
  });
});

describe('a start that cannot succeed says why in one line', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['an invalid PORT', { PORT: 'eighty' }, /^newsflow: cannot start: PORT: "eighty" is not accepted; use a port number from 0 to 65535$/],
    ['a PORT out of range', { PORT: '70000' }, /^newsflow: cannot start: PORT: .*0 to 65535$/],
    [
      'an unknown LOG_LEVEL',
      { LOG_LEVEL: 'loud' },
      /^newsflow: cannot start: LOG_LEVEL: "loud" is not a log level; use one of fatal, error, warn, info, debug, trace, silent$/,
    ],
    ['a bad NEWSFLOW_METRICS_ADDR', { NEWSFLOW_METRICS_ADDR: 'here:and:there' }, /^newsflow: cannot start: NEWSFLOW_METRICS_ADDR: .*host:port/],
  ];
  for (const [what, env, expected] of cases) {
    it(`${what}`, async () => {
      const p = spawnNewsflow({ NEWSFLOW_DATA: join(tempDir(), 'newsflow.db'), ...env });
      const { code } = await p.exited;
      assert.equal(code, 1);
      assert.deepEqual(oneLine(p.stderr()).length, 1, p.stderr());
      assert.match(p.stderr().trim(), expected);
    });
  }

  it('a store path that cannot be created', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain-file'), 'not a folder');
    const p = spawnNewsflow({ PORT: String(await freePort()), NEWSFLOW_DATA: join(dir, 'plain-file', 'sub', 'newsflow.db') });
    const { code } = await p.exited;
    assert.equal(code, 1);
    assert.equal(oneLine(p.stderr()).length, 1, p.stderr());
    assert.match(p.stderr(), /^newsflow: cannot start: NEWSFLOW_DATA: cannot create or open the store .*plain-file.*ENOTDIR/);
    assert.doesNotMatch(p.stderr(), /\n\s+at /);
  });

  it('a busy port', async () => {
    const busy = createNetServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const p = spawnNewsflow({ HOST: '127.0.0.1', PORT: String(port), NEWSFLOW_DATA: join(tempDir(), 'newsflow.db'), NEWSFLOW_QUIET: '1' });
      const { code } = await p.exited;
      assert.equal(code, 1);
      assert.equal(oneLine(p.stderr()).length, 1, p.stderr());
      assert.match(p.stderr(), new RegExp(`^newsflow: cannot start: PORT: port ${port} on 127.0.0.1 is already in use`));
    } finally {
      busy.close();
    }
  });
});
