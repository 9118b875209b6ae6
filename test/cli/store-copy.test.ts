// `newsflow store copy` (issue 15, point 6) with real files and a real PostgreSQL: a SQLite store built
// through the store and flow APIs is copied to PostgreSQL and compared table by table, row by row (raw
// SQL on both sides), then copied back into a new SQLite file and compared again; a non-empty target is
// refused before anything is written, naming the table.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { cliActor } from '../../src/cli/subscribers.ts';
import type { SearchResult } from '../../src/model/search.ts';
import { loadDemoNewsroom } from '../../src/flow/demo.ts';
import { demoSubscriber } from '../../src/flow/subscriber-demo.ts';
import { openRuntime } from '../../src/server/runtime.ts';
import { copyStore, mirroredTables, TargetNotEmptyError } from '../../src/store/copy.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { freshDatabase } from '../postgres.ts';
import { tempDbFile } from '../helpers.ts';

const REPO = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

type Rows = Map<string, string[]>;

/** Queries over the demo newsroom: words, a phrase, a column filter, a negation, a browse. */
const SEARCHES = ['river', 'data OR berths', '"deep-water berths"', 'headline:port', 'ministers -expansion', 'الأنهار', 'مخطوطة', ''];

/** What a reader sees of a result: hits in order (ids, scores, highlighted text), the total and the facets. */
function summary(r: SearchResult) {
  return {
    total: r.total,
    facets: r.facets,
    hits: r.hits.map((h) => ({ id: h.storyId, version: h.version, score: Number(h.score.toFixed(9)), headline: h.headlineHtml, snippet: h.snippetHtml })),
  };
}

/** Every mirrored table's rows as sorted JSON lines, over the columns both engines have. */
async function sqliteRows(file: string, columnsOf: (t: string) => string[]): Promise<Rows> {
  const db = new Database(file, { readonly: true });
  const out: Rows = new Map();
  for (const t of mirroredTables()) {
    const cols = columnsOf(t);
    const rows = db
      .prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${t}"`)
      .raw(true)
      .all() as unknown[][];
    out.set(t, rows.map((r) => JSON.stringify(r)).sort());
  }
  db.close();
  return out;
}

async function pgRows(url: string, columnsOf: (t: string) => string[]): Promise<Rows> {
  await import('../../src/store/postgres/database.ts'); // BIGINT as numbers, as the store reads them
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const out: Rows = new Map();
  for (const t of mirroredTables()) {
    const cols = columnsOf(t);
    const { rows } = await c.query({ text: `SELECT ${cols.map((x) => `"${x}"`).join(', ')} FROM "${t}"`, rowMode: 'array' });
    out.set(t, (rows as unknown[][]).map((r) => JSON.stringify(r)).sort());
  }
  await c.end();
  return out;
}

function sqliteColumns(file: string): (t: string) => string[] {
  const db = new Database(file, { readonly: true });
  const cols = new Map(mirroredTables().map((t) => [t, (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name)]));
  db.close();
  return (t) => cols.get(t)!;
}

/** A SQLite store with something in every part: demo stories (versions, log), keys, subscribers, webhooks and their outbox, saved searches, usage. */
async function builtStore(): Promise<string> {
  const file = tempDbFile();
  const rt = await openRuntime(file);
  try {
    await loadDemoNewsroom(rt);
    const [{ subscriberId }] = await demoSubscriber(rt);
    const hook = await rt.store.subscribers.createWebhook({ subscriberId, url: 'https://hooks.example.org/in', secret: 'whsec_x', events: null, cursor: 0 });
    for (const attempt of [1, 2]) {
      await rt.store.subscribers.addAttempt({
        webhookId: hook.id,
        seq: 1,
        messageId: `msg_${attempt}`,
        attempt,
        at: new Date().toISOString(),
        statusCode: attempt === 1 ? 500 : 200,
        latencyMs: 12,
        ok: attempt === 2,
        error: attempt === 1 ? 'server error' : null,
      });
    }
    await rt.admin.createKey(cliActor(), 'editor', { label: 'desk' }); // an audited act
    await rt.store.savedSearches.create({ subscriberId, name: 'Elections', query: 'election' });
    await rt.store.subscribers.addUsage([
      { subscriberId, channel: 'feed', day: '2026-11-29', count: 17 },
      { subscriberId, channel: 'stream', day: '2026-11-30', count: 3 },
    ]);
  } finally {
    await rt.close();
  }
  return file;
}

it('copies SQLite to PostgreSQL and back, every mirrored table row for row, log positions and counters kept', async () => {
  const source = await builtStore();
  const cols = sqliteColumns(source);
  const original = await sqliteRows(source, cols);
  for (const t of [
    'stories',
    'versions',
    'events',
    'api_keys',
    'products',
    'subscribers',
    'webhooks',
    'webhook_attempts',
    'saved_searches',
    'usage_counters',
    'audit',
  ]) {
    assert.ok(original.get(t)!.length > 0, `the source has rows in ${t}`);
  }

  // Through the command, as an operator runs it.
  const url = await freshDatabase();
  const { stdout } = await run(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'store', 'copy', '--from', source, '--to', url, '--quiet'], {
    cwd: REPO,
    env: { ...process.env, NEWSFLOW_DEMO: '0' },
  });
  assert.match(stdout, /^copied \d+ rows in \d+ tables from .* to postgres:\/\/postgres@/m);
  const inPg = await pgRows(url, cols);
  for (const t of mirroredTables()) assert.deepEqual(inPg.get(t), original.get(t), `table ${t} on PostgreSQL`);

  // Identity counters go on above the copied ids.
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const t of ['webhook_attempts', 'audit']) {
      const { rows } = await c.query(`SELECT nextval(pg_get_serial_sequence('${t}', 'id'))::bigint AS next, (SELECT max(id) FROM ${t}) AS max`);
      assert.ok(Number(rows[0].next) > Number(rows[0].max), `${t}: next id ${rows[0].next} above ${rows[0].max}`);
    }
  } finally {
    await c.end();
  }

  // The target's search was rebuilt by the copy: complete, and answering as the source does.
  const source_ = new SqliteStore(source);
  const target_ = await PostgresStore.open(url);
  try {
    assert.deepEqual(await target_.search.status(), { complete: true, catchingUp: false, missing: 0, analyzerOutdated: false });
    assert.equal(await target_.search.count(), await source_.search.count());
    for (const q of SEARCHES) {
      const expected = summary(await source_.search.query(q, {}));
      assert.ok(expected.hits.length > 0, `search ${q} finds something in the source`);
      assert.deepEqual(summary(await target_.search.query(q, {})), expected, `search ${q} on PostgreSQL`);
    }
  } finally {
    await target_.close();
    await source_.close();
  }

  // And back into a new SQLite file: the same rows as the original, and the search index rebuilt.
  const back = tempDbFile();
  const report = await copyStore(url, back);
  assert.equal(report.reindexError, null);
  const again = await sqliteRows(back, cols);
  for (const t of mirroredTables()) assert.deepEqual(again.get(t), original.get(t), `table ${t} back on SQLite`);
  const store = new SqliteStore(back);
  try {
    assert.equal((await store.search.status()).missing, 0);
    assert.equal(await store.headSeq(), Math.max(...original.get('events')!.map((r) => JSON.parse(r)[0] as number)));
  } finally {
    await store.close();
  }
  const db = new Database(back, { readonly: true });
  const seq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`).get() as { seq: number } | undefined;
  db.close();
  assert.ok(seq && seq.seq >= (await new SqliteStore(source).headSeq()), 'the log counter carried');
});

it('refuses a non-empty target, naming the table, and writes nothing', async () => {
  const source = await builtStore();
  const target = await builtStore();
  await assert.rejects(copyStore(source, target), (e) => e instanceof TargetNotEmptyError && e.table === 'stories');

  const url = await freshDatabase();
  assert.equal((await copyStore(source, url)).reindexError, null);
  const before = await pgRows(url, sqliteColumns(source));
  const refused = await run(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'store', 'copy', '--from', target, '--to', url], { cwd: REPO }).then(
    () => assert.fail('the copy into a non-empty database succeeded'),
    (e) => e as { code: number; stderr: string },
  );
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /the target is not empty: table stories holds \d+ rows/);
  assert.deepEqual(await pgRows(url, sqliteColumns(source)), before, 'nothing written');
});
