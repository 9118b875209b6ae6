// `newsflow migrate` as an operator runs it (bin/newsflow.mjs, a real process): on a fresh PostgreSQL
// database and a fresh SQLite file it lists the migrations it applied, then says the schema is up to
// date; an unreachable database is a clear message and a non-zero exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import pg from 'pg';
import { migrationFiles as pgMigrationFiles } from '../../src/store/postgres/database.ts';
import { migrationFiles as sqliteMigrationFiles } from '../../src/store/sqlite/database.ts';
import { REPO, tempDir } from '../helpers.ts';
import { freshDatabase } from '../postgres.ts';

function newsflow(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const { NEWSFLOW_DATABASE_URL: _u, NEWSFLOW_DATA: _d, ...rest } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/newsflow.mjs'), ...args], { env: { ...rest, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

it('newsflow migrate applies the PostgreSQL migrations once and then says the schema is up to date', async () => {
  const url = await freshDatabase();
  const first = await newsflow({ NEWSFLOW_DATABASE_URL: url }, 'migrate');
  assert.equal(first.code, 0, first.err);
  const files = pgMigrationFiles().map((m) => m.file);
  assert.match(first.out, new RegExp(`applied ${files.length} migrations?\\n`));
  for (const f of files) assert.match(first.out, new RegExp(`^  ${f}$`, 'm'));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const rows = (await c.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version')).rows;
  await c.end();
  assert.deepEqual(
    rows.map((r) => r.name),
    files,
  );
  const again = await newsflow({ NEWSFLOW_DATABASE_URL: url }, 'migrate');
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /the schema is up to date/);
});

it('newsflow migrate names an unreachable PostgreSQL database and exits non-zero, the password hidden', async () => {
  const r = await newsflow({ NEWSFLOW_DATABASE_URL: 'postgres://newsflow:hunter2@127.0.0.1:1/newsflow' }, 'migrate');
  assert.equal(r.code, 1);
  assert.match(r.err, /^newsflow: cannot migrate PostgreSQL postgres:\/\/newsflow:…@127\.0\.0\.1:1\/newsflow: .*ECONNREFUSED/);
  assert.doesNotMatch(r.err, /hunter2/);
  assert.equal(r.out, '');
});

it('newsflow migrate applies the SQLite migrations of a new store file, then says it is up to date', async () => {
  const file = join(tempDir(), 'store.db');
  const first = await newsflow({ NEWSFLOW_DATA: file }, 'migrate');
  assert.equal(first.code, 0, first.err);
  const files = sqliteMigrationFiles();
  assert.match(first.out, new RegExp(`SQLite ${file}: applied ${files.length} migrations\\n`));
  for (const f of files) assert.match(first.out, new RegExp(`^  ${f}$`, 'm'));
  const again = await newsflow({ NEWSFLOW_DATA: file }, 'migrate');
  assert.equal(again.code, 0, again.err);
  assert.equal(again.out, `SQLite ${file}: the schema is up to date\n`);
  const bad = await newsflow({ NEWSFLOW_DATA: '/etc/passwd/store.db' }, 'migrate');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^newsflow: cannot migrate SQLite \/etc\/passwd\/store\.db: /);
});
