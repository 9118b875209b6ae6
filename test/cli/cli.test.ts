// The `newsflow` command as a user runs it: a real process on a real store file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { REPO, SEED_FILE, needShared, tempDir } from '../helpers.ts';

const dir = tempDir();
const env = { ...process.env, NEWSFLOW_DATA: dir };

function newsflow(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/newsflow.mjs'), ...args], { env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('newsflow CLI', () => {
  it('--help lists the commands', () => {
    const r = newsflow('--help');
    assert.equal(r.code, 0);
    for (const c of ['serve', 'import', 'key', 'story']) assert.match(r.out, new RegExp(`\\b${c}\\b`));
  });

  it('key create prints only the new key on stdout', () => {
    const r = newsflow('key', 'create', '--role', 'editor');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^nf_edi_[A-Za-z0-9_-]{32}\n$/);
    const bad = newsflow('key', 'create', '--role', 'boss');
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--role must be one of admin, editor, subscriber/);
    assert.equal(bad.out, '');
  });

  it('imports the seed page and shows it', () => {
    const r = newsflow('import', '--quiet', needShared(SEED_FILE));
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /1 imported, 0 already present, 0 failed/);
    const again = newsflow('import', '--quiet', SEED_FILE);
    assert.match(again.err, /0 imported, 1 already present/);
    const list = JSON.parse(newsflow('story', 'list', '--json').out);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0].draft.categories, ['الدول العربية', 'التقارير']);
    const show = newsflow('story', 'show', list[0].id);
    assert.equal(show.code, 0);
    assert.match(show.out, /إسطنبول \/ ياقوت دندشي \/ الأناضول/);
    assert.match(show.out, /v1 published/);
    const json = JSON.parse(newsflow('story', 'show', list[0].id, '--json').out);
    assert.equal(json.versions.length, 1);
  });

  it('reports a broken page with its line and stores nothing; a bad JSONL line is skipped, the rest loads', () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'only one line\n');
    const before = JSON.parse(newsflow('story', 'list', '--json').out).length;
    const r = newsflow('import', '--quiet', bad);
    assert.equal(r.code, 1);
    assert.match(r.err, /line \d+/);
    const jsonl = join(dir, 'mixed.jsonl');
    const good = (i: number) =>
      JSON.stringify({ id: `x-${i}`, source: 'test', category: 'sport', title: `عنوان ${i}`, body: 'نص الخبر الأول\nنص ثان', date: '2018-05-01T10:00:00Z' });
    writeFileSync(
      jsonl,
      [good(1), '{not json', good(2), JSON.stringify({ id: 'x-3', source: 'test', category: null, title: '', body: 'x', date: '2018-05-01' })].join('\n') +
        '\n',
    );
    const j = newsflow('import', '--quiet', jsonl);
    assert.equal(j.code, 0, j.err);
    assert.match(j.err, /2 imported, 0 already present, 2 failed/);
    assert.match(j.err, /line 2: /);
    assert.match(j.err, /line 4: /);
    assert.equal(JSON.parse(newsflow('story', 'list', '--json').out).length, before + 2);
  });

  it('story show of an unknown id fails clearly', () => {
    const r = newsflow('story', 'show', 'nope');
    assert.equal(r.code, 1);
    assert.match(r.err, /no story nope/);
  });
});
