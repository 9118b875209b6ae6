// Product languages are BCP 47 tags registered with IANA: a typo (`klingon`) is refused with the rule
// by the products API and by `newsflow product add`, and nothing is stored; real tags are kept in
// their canonical case.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, storeEnv, tempDbFile } from '../helpers.ts';
import { startServer, type TestServer } from './server.ts';

const run = promisify(execFile);

describe('product languages', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    await s.close();
  });

  it('the API refuses a tag that is not BCP 47 and names the rule', async () => {
    const r = await s.call('/v1/products', { method: 'POST', key: s.admin, json: { name: 'Klingon wire', languages: ['ar', 'klingon'] } });
    assert.equal(r.status, 400);
    const body = (await r.json()) as { message: string; details: { field: string }[] };
    assert.match(body.message, /"klingon" must be a BCP 47 language tag/);
    assert.equal(body.details[0].field, '/languages/1');
    const list = (await (await s.call('/v1/products', { key: s.admin })).json()) as { products: unknown[] };
    assert.equal(list.products.length, 0, 'nothing stored');
  });

  it('the API keeps real tags, canonically cased', async () => {
    const r = await s.call('/v1/products', { method: 'POST', key: s.admin, json: { name: 'Gulf', languages: ['ar', 'en-gb', 'zh-Hant'] } });
    assert.equal(r.status, 201);
    assert.deepEqual(((await r.json()) as { languages: string[] }).languages, ['ar', 'en-GB', 'zh-Hant']);
  });

  it('`newsflow product add --lang klingon` is refused with the rule', async () => {
    const env = { ...process.env, ...storeEnv(tempDbFile()) };
    const cli = (...args: string[]) => run(process.execPath, [join(REPO, 'bin/newsflow.mjs'), ...args], { env, cwd: REPO });
    await assert.rejects(cli('product', 'add', 'Klingon wire', '--lang', 'klingon'), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /--lang: "klingon" must be a BCP 47 language tag registered with IANA/);
      return true;
    });
    assert.equal((await cli('product', 'list')).stdout, '', 'nothing stored');
    const ok = JSON.parse((await cli('product', 'add', 'Turkish', '--lang', 'TR', '--json')).stdout);
    assert.deepEqual(ok.languages, ['tr']);
  });
});
