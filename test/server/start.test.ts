// What a first user sees when the server starts: the demo newsroom even when a CLI command made the
// store first, its keys in a frame that stands out from the log, a JSON request log when the output is
// not a terminal, and /metrics on a listen address of its own when NEWSFLOW_METRICS_ADDR is set.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO, tempDir } from '../helpers.ts';
import { demoKey, freePort, MAIN, runCli, serverEnv, spawnNewsflow, startServerProcess, waitFor } from './process.ts';

describe('first start', () => {
  it('loads the demo on a store a CLI command created first, and frames its keys', async () => {
    const file = join(tempDir(), 'newsflow.db');
    const made = runCli({ NEWSFLOW_DATA: file }, ['key', 'create', '--role', 'editor']);
    assert.equal(made.status, 0, made.stderr);
    const p = await startServerProcess({ NEWSFLOW_DATA: file, NEWSFLOW_QUIET: '1' });
    try {
      const out = p.stdout();
      assert.match(out, /loaded the demo newsroom \(7 stories\)/);
      // The block is framed: a top rule, every line between bars, a bottom rule, before the listening line.
      const lines = out.split('\n');
      const top = lines.findIndex((l) => l.startsWith('┌'));
      const bottom = lines.findIndex((l) => l.startsWith('└'));
      assert.ok(top >= 0 && bottom > top + 3, out);
      for (const l of lines.slice(top + 1, bottom)) assert.match(l, /^│ .* │$/);
      assert.equal(new Set(lines.slice(top, bottom + 1).map((l) => [...l].length)).size, 1, 'every line of the frame is as wide');
      for (const role of ['admin', 'editor', 'subscriber']) assert.match(demoKey(out, role), /^nf_/);
      assert.ok(lines.findIndex((l) => /listening on/.test(l)) > bottom);
      const r = await fetch(`${p.url}/v1/stories?limit=1`, { headers: { authorization: `Bearer ${demoKey(out, 'editor')}` } });
      assert.equal(r.status, 200);
    } finally {
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).code, 0);
    }
  });

  it('a store a CLI import filled first (no demo, no key) is told how to create a key', async () => {
    const dir = tempDir();
    const file = join(dir, 'newsflow.db');
    const story = join(dir, 'ferry.json');
    writeFileSync(
      story,
      JSON.stringify({
        uri: 'urn:test:ferry-1',
        type: 'text',
        language: 'en',
        headlines: [{ value: 'Ferry timetable changes for the winter' }],
        bodies: [{ contenttype: 'text/plain', value: 'Fewer crossings from December.' }],
        versioncreated: '2026-01-30T10:00:00Z',
        pubstatus: 'usable',
      }),
    );
    const imported = runCli({ NEWSFLOW_DATA: file }, ['import', story]);
    assert.equal(imported.status, 0, imported.stderr);
    const p = await startServerProcess({ NEWSFLOW_DATA: file, NEWSFLOW_QUIET: '1' });
    p.child.kill('SIGTERM');
    await p.exited;
    assert.doesNotMatch(p.stdout(), /loaded the demo/);
    assert.match(p.stdout(), /no admin or editor key yet/);
    assert.match(p.stdout(), /│\s+admin\s+npx newsflow key create --role admin/);
  });
});

describe('request log', () => {
  it('is one JSON object a line when the output is not a terminal, with keys in URLs masked', async () => {
    const p = await startServerProcess();
    try {
      await fetch(`${p.url}/healthz?access_token=nf_sub_secretsecret`).then((r) => r.text());
      await waitFor(() => /request completed/.test(p.stdout()), 5000, p);
      const json = p
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      const entries = json.map((l) => JSON.parse(l) as { level: number; msg: string; req?: { url: string }; res?: { statusCode: number } });
      const incoming = entries.find((e) => e.req?.url.startsWith('/healthz'));
      assert.ok(incoming, p.stdout());
      assert.equal(incoming.req!.url, '/healthz?access_token=***');
      assert.ok(entries.some((e) => e.msg === 'request completed' && e.res?.statusCode === 200));
      assert.doesNotMatch(p.stdout(), /nf_sub_secretsecret/);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });
});

describe('request log in a terminal', () => {
  it('is one readable line a request when stdout is a terminal (run under script(1), which gives it one)', async () => {
    // util-linux's script is part of every Debian system (bsdutils is essential); without it this fails, never skips.
    assert.ok(existsSync('/usr/bin/script'), 'needs /usr/bin/script (Debian package bsdutils): apt-get install bsdutils');
    const port = await freePort();
    const dir = tempDir();
    const transcript = join(dir, 'tty.out');
    const command = `env HOST=127.0.0.1 PORT=${port} NEWSFLOW_DATA=${join(dir, 'newsflow.db')} ${process.execPath} --import tsx ${MAIN} serve`;
    const child = spawn('/usr/bin/script', ['-qfc', command, transcript], { cwd: REPO, env: serverEnv({}), stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const read = () => (existsSync(transcript) ? readFileSync(transcript, 'utf8') : '');
    try {
      await waitFor(() => /listening on/.test(read()), 30_000);
      await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.text());
      await waitFor(() => /→ 200/.test(read()), 5000);
      const plain = read()
        .replace(/\x1b\[[0-9;]*m/g, '')
        .replace(/\r/g, '');
      assert.match(plain, /^\[\d\d:\d\d:\d\d\] INFO: req-\d+ GET \/healthz$/m);
      assert.match(plain, /^\[\d\d:\d\d:\d\d\] INFO: req-\d+ → 200 in \d+ ms$/m);
      assert.doesNotMatch(plain, /^\{"level"/m, 'no JSON lines in a terminal');
      assert.match(plain, /^┌─+┐$/m, 'the demo keys are framed');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('metrics on their own address (NEWSFLOW_METRICS_ADDR)', () => {
  it('serves /metrics on the metrics port, and nothing else there', async () => {
    const metricsPort = await freePort();
    const p = await startServerProcess({ NEWSFLOW_METRICS_ADDR: `127.0.0.1:${metricsPort}`, NEWSFLOW_QUIET: '1' });
    try {
      assert.match(p.stdout(), new RegExp(`metrics on 127.0.0.1:${metricsPort}/metrics`));
      const m = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      assert.equal(m.status, 200);
      assert.match(m.headers.get('content-type') ?? '', /text\/plain/);
      const text = await m.text();
      assert.match(text, /^newsflow_log_head\{node="[^"]+"\} 7$/m);
      assert.match(text, /^newsflow_open_streams\{node="[^"]+"\} 0$/m);
      assert.match(text, /process_resident_memory_bytes/);
      // Only /metrics: the API is not reachable through the metrics port.
      assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/v1/stories`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status, 404);
    } finally {
      p.child.kill('SIGTERM');
      assert.equal((await p.exited).code, 0);
    }
  });

  it('a metrics address already in use stops the start with one line', async () => {
    const first = await startServerProcess({ NEWSFLOW_QUIET: '1' });
    try {
      const p = spawnNewsflow({
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        NEWSFLOW_DATA: join(tempDir(), 'newsflow.db'),
        NEWSFLOW_QUIET: '1',
        NEWSFLOW_METRICS_ADDR: `127.0.0.1:${first.port}`,
      });
      const { code } = await p.exited;
      assert.equal(code, 1);
      assert.equal(p.stderr().trim().split('\n').length, 1, p.stderr());
      assert.match(p.stderr(), /^newsflow: cannot start: NEWSFLOW_METRICS_ADDR: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  });
});
