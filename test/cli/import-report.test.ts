// `newsflow import` says which stories it brought (each id for documents and pages; the count and the
// first ids for archives), and items their source marks canceled or withheld (ninjs pubStatus /
// pubstatus, NewsML-G2 stat:canceled / stat:withheld) are skipped with a message, never published
// as live stories: by the CLI and by POST /v1/import. Documents are made by the server's own renderers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, sampleContent, storeEnv, tempDbFile, tempDir } from '../helpers.ts';
import { startServer, type TestServer } from '../http/server.ts';

const run = promisify(execFile);
const BIN = join(REPO, 'bin/newsflow.mjs');
const dir = tempDir();
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

let s: TestServer;
const docs: Record<'ninjs' | 'ninjs2' | 'newsml', string> = { ninjs: '', ninjs2: '', newsml: '' };
before(async () => {
  s = await startServer();
  const { id } = (await (await s.call('/v1/stories', { method: 'POST', json: sampleContent() })).json()) as { id: string };
  await s.call(`/v1/stories/${id}/publish`, { method: 'POST' });
  for (const f of ['ninjs', 'ninjs2', 'newsml'] as const) docs[f] = await (await s.call(`/v1/stories/${id}/versions/1?format=${f}`)).text();
});
after(async () => {
  await s.close();
});

/** The same document under another uri (so it is a different item), with the given status. */
function ninjs(uri: string, status: string, version: 2 | 3 = 3): string {
  const d = JSON.parse(version === 3 ? docs.ninjs : docs.ninjs2) as Record<string, unknown>;
  d.uri = uri;
  delete d.altids;
  delete d.altIds;
  if (version === 3) d.pubStatus = status;
  else d.pubstatus = status;
  return JSON.stringify(d);
}
function newsml(guid: string, status: string): string {
  return docs.newsml.replace(/guid="[^"]*"/, `guid="${guid}"`).replace(/qcode="stat:usable"/, `qcode="stat:${status}"`);
}

describe('newsflow import: ids and withdrawn items', () => {
  const env = { ...process.env, ...storeEnv(tempDbFile()) };
  const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, cwd: REPO });

  it('prints the id of each story a document brought', async () => {
    const jsonl = file('two.jsonl', [ninjs('urn:test:one', 'usable'), ninjs('urn:test:two', 'usable')].join('\n') + '\n');
    const out = await cli('import', '--quiet', jsonl);
    const ids = out.stdout.trim().split('\n');
    assert.equal(ids.length, 2);
    for (const id of ids) {
      assert.match(id, /^[0-9a-hjkmnp-tv-z]{26}$/);
      assert.equal(JSON.parse((await cli('story', 'show', id, '--json')).stdout).story.status, 'published');
    }
  });

  it('skips canceled and withheld items with a message, in ninjs 3, ninjs 2 and NewsML-G2', async () => {
    const before = (await cli('story', 'list')).stdout;
    const files = [
      file('canceled.json', ninjs('urn:test:canceled', 'canceled')),
      file('withheld2.json', ninjs('urn:test:withheld2', 'withheld', 2)),
      file('canceled2.json', ninjs('urn:test:canceled2', 'canceled', 2)),
      file('canceled.xml', newsml('urn:test:canceled-g2', 'canceled')),
      file('withheld.xml', newsml('urn:test:withheld-g2', 'withheld')),
    ];
    const out = await cli('import', '--quiet', ...files);
    assert.equal(out.stdout, '', 'no story ids: nothing imported');
    for (const uri of ['urn:test:canceled', 'urn:test:canceled2', 'urn:test:canceled-g2']) {
      assert.match(
        out.stderr,
        new RegExp(`skipped the document: ${uri}: canceled at the source \\(pubStatus canceled\\): a withdrawn item is not published as a live story`),
      );
    }
    for (const uri of ['urn:test:withheld2', 'urn:test:withheld-g2']) {
      assert.match(out.stderr, new RegExp(`skipped the document: ${uri}: withheld at the source`));
    }
    assert.match(out.stderr, /canceled\.xml: 0 imported, 0 already present, 0 failed, 1 not for use/);
    assert.equal((await cli('story', 'list')).stdout, before, 'no live story was added');
  });

  it('in a JSON Lines document the usable items import and the canceled one is named', async () => {
    const mixed = file('mixed.jsonl', [ninjs('urn:test:m1', 'usable'), ninjs('urn:test:m2', 'canceled')].join('\n') + '\n');
    const out = await cli('import', '--quiet', mixed);
    assert.equal(out.stdout.trim().split('\n').length, 1);
    assert.match(out.stderr, /1 imported, 0 already present, 0 failed, 1 not for use/);
    assert.match(out.stderr, /skipped line 2: urn:test:m2: canceled at the source/);
  });

  it('an archive prints its count and first ids', async () => {
    const lines = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({
        id: `test-${i}`,
        source: 'newsflow-test',
        category: 'sport',
        title: `مباراة رقم ${i + 1} في الدوري`,
        body: `انتهت المباراة رقم ${i + 1} بالتعادل في ملعب المدينة.`,
        date: '2026-01-30',
      }),
    );
    const out = await cli('import', '--quiet', file('archive.jsonl', lines.join('\n') + '\n'));
    const m = /^8 stories imported from archive\.jsonl; the first: ((?:[0-9a-hjkmnp-tv-z]{26} ?){5}) \(and 3 more: newsflow story list\)\n$/.exec(out.stdout);
    assert.ok(m, out.stdout);
    for (const id of m[1].trim().split(' ')) assert.equal(JSON.parse((await cli('story', 'show', id, '--json')).stdout).story.status, 'published');
  });
});

describe('newsflow import: an archive of one line', () => {
  it('is read as an archive, not refused as a ninjs document', async () => {
    const env = { ...process.env, ...storeEnv(tempDbFile()) };
    const one = file(
      'one.jsonl',
      JSON.stringify({
        id: 'test-one',
        source: 'newsflow-test',
        category: 'culture',
        title: 'معرض للكتاب في المدينة',
        body: 'افتتح معرض للكتاب في المدينة اليوم.',
        date: '2026-01-30',
      }) + '\n',
    );
    const out = await run(process.execPath, [BIN, 'import', '--quiet', one], { env, cwd: REPO });
    assert.match(out.stderr, /one\.jsonl: 1 imported, 0 already present, 0 failed \(archive-jsonl\)/);
    assert.match(out.stdout, /^1 story imported from one\.jsonl; the first: [0-9a-hjkmnp-tv-z]{26}\n$/);
  });
});

describe('POST /v1/import: withdrawn items', () => {
  it('a canceled ninjs item is not imported: 200 with the reason under withdrawn', async () => {
    const r = await s.call('/v1/import', {
      method: 'POST',
      headers: { 'content-type': 'application/ninjs+json' },
      body: ninjs('urn:test:api-canceled', 'canceled'),
    });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { imported: unknown[]; failed: unknown[]; withdrawn: { item: string; message: string }[] };
    assert.deepEqual(body.imported, []);
    assert.deepEqual(body.failed, []);
    assert.match(body.withdrawn[0].message, /urn:test:api-canceled: canceled at the source/);
  });

  it('a withheld NewsML-G2 item is not imported either', async () => {
    const before = (await (await s.call('/v1/stories')).json()) as { stories: unknown[] };
    const r = await s.call('/v1/import', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.iptc.g2.newsitem+xml' },
      body: newsml('urn:test:api-withheld', 'withheld'),
    });
    assert.equal(r.status, 200);
    assert.match(((await r.json()) as { withdrawn: { message: string }[] }).withdrawn[0].message, /withheld at the source/);
    const afterList = (await (await s.call('/v1/stories')).json()) as { stories: unknown[] };
    assert.equal(afterList.stories.length, before.stories.length);
  });
});
