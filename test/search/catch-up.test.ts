// kill -9 of a real `newsflow import` at three points (while storing, as indexing starts, late in the
// indexing pass), then a start as the server does: the search index catches up in the background,
// /healthz says so until it is complete, and every stored published story is found by search. A
// re-run of the import after a kill completes the index too ("already present" is not the end of it).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openRuntime } from '../../src/server/runtime.ts';
import { startMaintenance } from '../../src/flow/maintenance.ts';
import { buildWebApp } from '../../src/server/app.ts';
import { tempDir } from '../helpers.ts';

const STORIES = 3000;
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'newsflow.mjs');

/** A word found in exactly one story: `nfm` and the story's number in letters (no digits, no stemmable ending). */
const marker = (i: number) =>
  `nfm${i
    .toString(26)
    .split('')
    .map((c) => 'bcdfghjklmnpqrstvwxzbcdfgh'[parseInt(c, 26)])
    .join('')}x`;

/** An archive (the layout of ../shared/corpus) of the project's own generated stories, each with its marker. */
function writeCorpus(dir: string): string {
  const file = join(dir, 'generated.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < STORIES; i++) {
    lines.push(
      JSON.stringify({
        id: `gen-${i}`,
        source: 'newsflow-test',
        category: ['sport', 'economy', 'culture'][i % 3],
        title: `خبر تجريبي رقم ${i} عن المدينة والمكتبة`,
        body: [
          `افتتحت البلدية اليوم مكتبة جديدة في الحي ${i}، وحضر الافتتاح عدد من السكان.`,
          `وقال المسؤول إن المشروع ${marker(i)} سيخدم الطلاب والباحثين في المنطقة.`,
          'ويضم المبنى قاعات للقراءة ومختبراً للحاسوب وحديقة صغيرة.',
        ].join('\n'),
        date: `2024-0${1 + (i % 9)}-1${i % 10}`,
      }),
    );
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

interface Counts {
  stories: number;
  indexed: number;
}

/** Runs `newsflow import` on a fresh store and kills it with SIGKILL as soon as `when` holds for what the file shows. */
async function importAndKill(corpus: string, dbFile: string, when: (c: Counts) => boolean): Promise<Counts> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'import', corpus, '--quiet', '--batch', '100'], {
    env: { ...process.env, NEWSFLOW_DATA: dbFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  let db: Database.Database | null = null;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the import finished before the kill point (stderr: ${stderr})`);
      try {
        db ??= new Database(dbFile, { readonly: true, fileMustExist: true });
        const c = {
          stories: (db.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n,
          indexed: (db.prepare('SELECT count(*) AS n FROM search_doc').get() as { n: number }).n,
        };
        if (when(c)) {
          child.kill('SIGKILL');
          assert.equal(await exited, 'SIGKILL', 'killed, not finished');
          return c;
        }
      } catch (e) {
        if (!/no such table|unable to open|SQLITE_CANTOPEN|SQLITE_BUSY/.test(String(e))) throw e;
        db?.close();
        db = null; // the importer is still creating the file
      }
      await new Promise((r) => setTimeout(r, 3));
    }
  } finally {
    db?.close();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Every published story in the store is found by its marker. */
async function assertAllFound(dbFile: string): Promise<number> {
  const rt = await openRuntime(dbFile);
  try {
    const db = (rt.store as unknown as { db: Database.Database }).db;
    const rows = db
      .prepare(`SELECT s.id, v.content FROM stories s JOIN versions v ON v.story_id = s.id AND v.version = s.latest_version WHERE s.status = 'published'`)
      .all() as { id: string; content: string }[];
    assert.ok(rows.length > 0);
    const lost: string[] = [];
    for (const r of rows) {
      const m = /nfm[a-z]+x/.exec(r.content)![0];
      if (!(await rt.store.search.query(m, { limit: 5 })).hits.some((h) => h.storyId === r.id)) lost.push(m);
    }
    assert.deepEqual(lost.slice(0, 10), [], `${lost.length} of ${rows.length} stored stories are not found by search`);
    return rows.length;
  } finally {
    await rt.close();
  }
}

/** Opens the store as the server does, checks /healthz says the index is short, and waits for the catch-up. */
async function startAndCatchUp(dbFile: string): Promise<void> {
  const rt = await openRuntime(dbFile);
  const { app } = await buildWebApp(rt);
  try {
    const before = (await app.inject({ method: 'GET', url: '/healthz' })).json() as { ok: boolean; search: { complete: boolean; missing: number } };
    assert.equal(before.ok, true);
    assert.equal(before.search.complete, false, '/healthz says the index is not complete');
    assert.ok(before.search.missing > 0);
    const stop = startMaintenance(rt, {
      onError: (e) => {
        throw e;
      },
    });
    const during = (await app.inject({ method: 'GET', url: '/healthz' })).json() as { search: { catchingUp: boolean } };
    assert.equal(during.search.catchingUp, true, 'the catch-up runs in the background while the server answers');
    await rt.store.search.catchUp();
    stop();
    const afterwards = (await app.inject({ method: 'GET', url: '/healthz' })).json() as { search: { complete: boolean; missing: number; catchingUp: boolean } };
    assert.deepEqual([afterwards.search.complete, afterwards.search.missing, afterwards.search.catchingUp], [true, 0, false]);
  } finally {
    await app.close();
    await rt.close();
  }
}

describe('an import killed with SIGKILL leaves no story unsearchable', () => {
  const dir = tempDir('newsflow-catchup-');
  const corpus = writeCorpus(dir);

  it('killed while storing: a start indexes what was stored', async () => {
    const db = join(dir, 'storing.db');
    const at = await importAndKill(corpus, db, (c) => c.stories >= STORIES * 0.3 && c.stories < STORIES * 0.8);
    assert.equal(at.indexed, 0);
    await startAndCatchUp(db);
    const found = await assertAllFound(db);
    assert.ok(found >= at.stories, `${found} stories found`);
  });

  it('killed as indexing starts (everything stored, nothing indexed): a re-run of the import completes the index', async () => {
    const db = join(dir, 'indexing.db');
    await importAndKill(corpus, db, (c) => c.stories === STORIES && c.indexed === 0);
    // The re-run imports nothing ("already present") and must still leave every story searchable.
    const rerun = spawn(process.execPath, [BIN, 'import', corpus, '--quiet'], {
      env: { ...process.env, NEWSFLOW_DATA: db },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    rerun.stderr!.on('data', (d) => {
      stderr += d;
    });
    assert.equal(await new Promise((r) => rerun.on('exit', r)), 0, stderr);
    assert.match(stderr, /0 stories imported/);
    assert.match(stderr, new RegExp(`${STORIES} stories an earlier import left unindexed are now indexed`));
    assert.equal(await assertAllFound(db), STORIES);
  });

  it('killed late in the indexing pass: a start indexes the rest', async () => {
    const db = join(dir, 'late.db');
    const at = await importAndKill(corpus, db, (c) => c.stories === STORIES && c.indexed >= STORIES / 2);
    assert.ok(at.indexed < STORIES, `killed with ${at.indexed} of ${STORIES} indexed`);
    await startAndCatchUp(db);
    assert.equal(await assertAllFound(db), STORIES);
  });

  it('an index built by an older analyzer is rebuilt at start', async () => {
    const db = join(dir, 'late.db');
    const raw = new Database(db);
    raw.prepare("UPDATE search_meta SET value = '0' WHERE key = 'analyzer_version'").run();
    raw.close();
    const rt = await openRuntime(db);
    try {
      assert.equal((await rt.store.search.status()).analyzerOutdated, true);
      assert.equal((await rt.store.search.status()).complete, false);
      const r = await rt.store.search.catchUp();
      assert.equal(r.rebuilt, true);
      assert.equal((await rt.store.search.status()).complete, true);
    } finally {
      await rt.close();
    }
    assert.equal(await assertAllFound(db), STORIES);
  });
});
