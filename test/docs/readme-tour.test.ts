// The README's "five-minute tour with curl" works verbatim on the demo newsroom. The test starts the
// server as the README says (`npm start`, on a fresh NEWSFLOW_DATA and a free PORT), takes the sh blocks
// of the tour section from README.md and runs each command in bash, in order, against it. The only
// changes are the ones a reader makes by hand:
//   - `npm start` is not run again (the test started it exactly so);
//   - the placeholders are filled in: `nf_edi_…` / `nf_sub_…` with the keys the server printed,
//     `http://localhost:8080` with the server's address, `01…` with the id of the draft just created,
//     `<next_cursor>` with the previous feed answer's cursor and `<id>` with the previous command's output;
//   - the live stream (`curl -N`, which never ends by itself) gets `--max-time 3`.
// Every API answer must be free of errors (the webhook example's public host excepted on a machine
// that resolves no names: the server's refusal is then the right answer), and the answers the tour
// promises are checked.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, tempDir } from '../helpers.ts';

const run = promisify(execFile);

/** The shell commands of the tour: sh blocks between its heading and the next `## ` heading. */
export function tourCommands(readme: string): string[] {
  const start = readme.indexOf('## A five-minute tour with curl');
  assert.ok(start >= 0, 'the README has its tour section');
  const end = readme.indexOf('\n## ', start + 3);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const commands: string[] = [];
  for (const [, block] of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let current = '';
    for (const line of block.split('\n')) {
      if (!current && (!line.trim() || line.trimStart().startsWith('#'))) continue;
      current += (current ? '\n' : '') + line;
      // A command goes on while a line ends in a backslash or a single-quoted string is still open.
      const open = (current.replace(/"[^"]*"/g, '').match(/'/g)?.length ?? 0) % 2 === 1;
      if (!open && !/\\\s*$/.test(line)) {
        commands.push(current);
        current = '';
      }
    }
    assert.equal(current, '', 'every command in the block ends');
  }
  return commands;
}

/** A command without its trailing `# comment` (a # outside quotes, after a space). */
function code(command: string): string {
  let quote = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && /\s/.test(command[i - 1] ?? ' ')) return command.slice(0, i).trimEnd();
  }
  return command;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('README tour', () => {
  let server: ChildProcess;
  let output = '';
  let port = 0;
  const data = tempDir('newsflow-tour-');

  before(async () => {
    port = await freePort();
    // detached: npm runs the server in a child process; the whole group is stopped at the end.
    server = spawn('npm', ['start'], { cwd: REPO, detached: true, env: { ...process.env, NEWSFLOW_DATA: data, PORT: String(port), NEWSFLOW_QUIET: '1' } });
    server.stdout!.on('data', (b: Buffer) => {
      output += b.toString();
    });
    server.stderr!.on('data', (b: Buffer) => {
      output += b.toString();
    });
    // Ready when it answers HTTP and has printed the demo keys (whatever else it prints).
    const deadline = Date.now() + 180_000;
    for (;;) {
      assert.ok(server.exitCode === null, `npm start exited: ${output}`);
      assert.ok(Date.now() < deadline, `npm start did not start serving: ${output}`);
      const up = await fetch(`http://127.0.0.1:${port}/openapi.json`).then(
        (r) => r.ok,
        () => false,
      );
      if (up && /nf_sub_\S+/.test(output)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(() => {
    if (server.pid)
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
  });

  it('every command of the tour runs against the demo newsroom as written', { timeout: 300_000 }, async () => {
    const key = (prefix: string) => {
      const m = new RegExp(`\\b(${prefix}\\S+)`).exec(output);
      assert.ok(m, `npm start printed a ${prefix}… key: ${output}`);
      return m[1];
    };
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NEWSFLOW_DATA: data };
    const commands = tourCommands(readFileSync(join(REPO, 'README.md'), 'utf8'));
    assert.equal(commands[0], 'npm start', 'the tour starts the server with npm start');
    const answers: { command: string; stdout: string }[] = [];
    let last = '';
    let draftId = '';
    for (const written of commands.slice(1)) {
      const exported = /^export (\w+)=(\S+)/.exec(written);
      if (exported) {
        const [, name, value] = exported;
        const filled =
          value === 'nf_edi_…'
            ? key('nf_edi_')
            : value === 'nf_sub_…'
              ? key('nf_sub_')
              : value === '01…'
                ? draftId
                : value === 'http://localhost:8080'
                  ? `http://localhost:${port}`
                  : value;
        assert.ok(filled && !filled.includes('…'), `a placeholder in "${written}" that the test cannot fill`);
        env[name] = filled;
        continue;
      }
      // Placeholders are filled in the command, not in its trailing comment (which bash ignores).
      let command = code(written)
        .replace('<next_cursor>', () => (JSON.parse(last) as { next_cursor: string }).next_cursor)
        .replace('<id>', () => last.trim());
      if (/^curl -N /.test(command)) command = command.replace(/^curl -N /, 'curl -N --max-time 3 ');
      assert.doesNotMatch(command, /…|<\w+>/, `a placeholder left in: ${command}`);
      const r = await run('bash', ['-c', command], { cwd: REPO, env, timeout: 60_000 }).catch((e: { code: number; stdout: string; stderr: string }) => {
        // curl's exit 28 is the stream's --max-time, as intended; anything else is a failure.
        if (e.code === 28 && command.startsWith('curl -N')) return { stdout: e.stdout, stderr: e.stderr };
        assert.fail(`"${written}" failed (${e.code}): ${e.stderr}${e.stdout}`);
      });
      last = r.stdout;
      if (r.stdout.trimStart().startsWith('{')) {
        const answer = JSON.parse(r.stdout) as { error?: string; message?: string; id?: string; status?: string };
        // The webhook example names a public host; where this machine cannot resolve any name, the
        // server rightly refuses it, and that (only that) is accepted after checking the resolver.
        const offline =
          answer.error &&
          /\/v1\/webhooks/.test(written) &&
          /example\.org does not resolve/.test(answer.message ?? '') &&
          (await lookup('example.org').then(
            () => false,
            () => true,
          ));
        if (!offline) assert.equal(answer.error, undefined, `"${written}" answered an error: ${answer.message}`);
        if (answer.status === 'draft' && !draftId) draftId = answer.id!;
      }
      answers.push({ command: written, stdout: r.stdout });
    }

    const find = (pattern: RegExp) => {
      const a = answers.find((x) => pattern.test(x.command));
      assert.ok(a, `the tour has a command matching ${pattern}`);
      return a.stdout;
    };
    const listed = JSON.parse(find(/\/v1\/stories\?limit=3/)) as { stories: unknown[] };
    assert.equal(listed.stories.length, 3, 'the demo stories are listed');
    assert.match(draftId, /^[0-9a-hjkmnp-tv-z]{26}$/, 'the draft was created');
    assert.match(find(/\/kill"/), /"kind":"killed"/);
    const feed = JSON.parse(find(/\/v1\/feed\?since=2020-01-01T00:00:00Z&limit=2/)) as { items: unknown[] };
    assert.equal(feed.items.length, 2, 'the subscriber receives the demo flow');
    assert.match(find(/^curl -N/), /^: connected/m, 'the stream opens (new events only: no Last-Event-ID)');
    assert.match(find(/--data-binary @docs\/examples\/story\.json/), /"imported":\[\{"id":"[0-9a-hjkmnp-tv-z]{26}"/, 'the example item imports');
    const { hits } = JSON.parse(find(/\/v1\/search\?q=/)) as { hits: { headline: string }[] };
    assert.ok(hits.length >= 1, `the search example finds a demo story: ${find(/\/v1\/search\?q=/)}`);
    assert.match(hits[0].headline, /صفاقس/, 'the search example finds the Sfax manuscripts story');
    assert.match(find(/newsflow key create --role subscriber/), /^nf_sub_\S+\n$/, 'the CLI prints the new subscriber key');
    assert.match(find(/\/v1\/stories\/\$ID\?format=text/), /افتتاح معرض الكتاب/, 'the latest version as text');
  });
});
