// Standard formats over HTTP: content negotiation on story endpoints, POST /v1/import, and
// `newsflow import` detecting the format. Outputs are checked with the official validators.
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateNinjs } from '../../src/formats/ninjs.ts';
import { REPO, SHARED, sampleContent, tempDir } from '../helpers.ts';
import { validateAtom, xmllintSchema } from '../formats/validators.ts';
import { startServer, type TestServer } from './server.ts';

let s: TestServer;
let id: string;
before(async () => {
  s = await startServer();
  const d = (await (await s.call('/v1/stories', { method: 'POST', json: sampleContent() })).json()) as { id: string };
  id = d.id;
  await s.call(`/v1/stories/${id}/publish`, { method: 'POST' });
  await s.call(`/v1/stories/${id}/correct`, { method: 'POST', json: { note: 'صُحّح الرقم', changes: { urgency: 3 } } });
});
after(async () => {
  await s.close();
});

const fixture = (name: string) => readFileSync(join(REPO, 'test/formats/fixtures', name), 'utf8');

describe('content negotiation on story endpoints', () => {
  it('serves a version as ninjs 3.2 and 2.3, valid against the official schemas', async () => {
    const r3 = await s.call(`/v1/stories/${id}/versions/2?format=ninjs`);
    assert.equal(r3.status, 200);
    assert.match(r3.headers.get('content-type')!, /application\/ninjs\+json/);
    const doc3 = await r3.json();
    assert.deepEqual(validateNinjs(doc3, '3.2'), []);
    const r2 = await s.call(`/v1/stories/${id}/versions/2`, { headers: { accept: 'application/ninjs+json; version=2.3' } });
    const doc2 = await r2.json();
    assert.deepEqual(validateNinjs(doc2, '2.3'), []);
  });

  it('serves NewsML-G2 that validates against the 2.35 XSD, by Accept or ?format', async () => {
    const a = await s.call(`/v1/stories/${id}/versions/2`, { headers: { accept: 'application/vnd.iptc.g2.newsitem+xml' } });
    assert.match(a.headers.get('content-type')!, /newsitem\+xml/);
    const b = await s.call(`/v1/stories/${id}/versions/1?format=newsml`);
    const { failures } = await xmllintSchema({ 'v2.xml': await a.text(), 'v1.xml': await b.text() });
    assert.deepEqual(failures, {});
  });

  it('serves the version history as an Atom feed valid against RFC 4287', async () => {
    const r = await s.call(`/v1/stories/${id}/versions?format=atom`);
    assert.match(r.headers.get('content-type')!, /atom\+xml/);
    const { ok, output } = await validateAtom({ 'history.xml': await r.text() });
    assert.ok(ok, output);
  });

  it('html and text, and newsflow JSON by default', async () => {
    assert.match(await (await s.call(`/v1/stories/${id}/versions/1?format=html`)).text(), /dir="rtl"/);
    assert.match(await (await s.call(`/v1/stories/${id}/versions/1?format=text`)).text(), /مؤتمر/);
    const json = (await (await s.call(`/v1/stories/${id}/versions/1`)).json()) as { version: number };
    assert.equal(json.version, 1);
  });

  it('406 with the list of supported formats otherwise', async () => {
    const a = await s.call(`/v1/stories/${id}/versions/1?format=pdf`);
    assert.equal(a.status, 406);
    const body = (await a.json()) as { message: string; details: { supported: string[] } };
    assert.match(body.message, /supported formats: .*ninjs/);
    assert.ok(body.details.supported.includes('newsml'));
    const b = await s.call(`/v1/stories/${id}/versions/1`, { headers: { accept: 'image/png' } });
    assert.equal(b.status, 406);
  });
});

describe('POST /v1/import', () => {
  const post = (body: string, type: string) => s.call('/v1/import', { method: 'POST', body, headers: { 'content-type': type } });

  it('imports an official ninjs example and a NewsML-G2 text item', async () => {
    const ninjs = readFileSync(join(SHARED, 'standards/ninjs/examples/3.1/004_simple_text_article.json'), 'utf8');
    const a = await post(ninjs, 'application/ninjs+json');
    assert.equal(a.status, 201, await a.clone().text());
    const ra = (await a.json()) as { imported: { id: string }[] };
    assert.equal(ra.imported.length, 1);
    const g2 = readFileSync(join(SHARED, 'standards/newsml-g2/examples/LISTING_2_NewsML-G2_Text_Document.xml'), 'utf8');
    const b = await post(g2, 'application/vnd.iptc.g2.newsitem+xml');
    assert.equal(b.status, 201, await b.clone().text());
    const again = (await (await post(ninjs, 'application/ninjs+json')).json()) as { alreadyPresent: number };
    assert.equal(again.alreadyPresent, 1, 're-import of the same document is recognised');
  });

  it('round trip: a story exported as ninjs imports back to the same content', async () => {
    const doc = await (await s.call(`/v1/stories/${id}/versions/2?format=ninjs`)).text();
    const r = (await (await post(doc, 'application/ninjs+json')).json()) as { imported: { id: string }[] };
    const copy = (await (await s.call(`/v1/stories/${r.imported[0].id}/versions/1`)).json()) as { content: any };
    const original = (await (await s.call(`/v1/stories/${id}/versions/2`)).json()) as { content: any };
    for (const f of ['headline', 'deck', 'body', 'categories', 'language', 'urgency', 'dateline', 'hashtags']) {
      assert.deepEqual(copy.content[f], original.content[f], f);
    }
  });

  it('a JSON Lines batch: the bad line is reported, the rest loads', async () => {
    const good = readFileSync(join(SHARED, 'standards/ninjs/examples/3.1/005_complex_text_article.json'), 'utf8');
    const body = [JSON.stringify(JSON.parse(good)), '{"uri": 42}', ''].join('\n');
    const r = await post(body, 'application/x-ndjson');
    assert.equal(r.status, 201);
    const report = (await r.json()) as { imported: unknown[]; failed: { item: string; message: string }[] };
    assert.equal(report.imported.length, 1);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].item, /line 2/);
  });

  it('refuses attacks and broken documents with a message naming the rule; stores nothing', async () => {
    const head = await s.rt.store.headSeq();
    for (const [name, type, status, rule] of [
      ['billion-laughs.xml', 'application/xml', 400, /doctype-forbidden|entity/],
      ['xxe-file.xml', 'application/xml', 400, /doctype-forbidden|entity/],
      ['malformed.xml', 'application/xml', 400, /xml-syntax/],
      ['wrong-namespace.xml', 'application/xml', 400, /namespace/],
      ['package-item.xml', 'application/xml', 422, /unsupported-item-class/],
      ['invalid-json.json', 'application/json', 400, /json-syntax/],
      ['schema-invalid.ninjs.json', 'application/ninjs+json', 422, /schema/],
    ] as const) {
      const r = await post(fixture(name), type);
      assert.equal(r.status, status, `${name}: ${await r.clone().text()}`);
      assert.match(((await r.json()) as { message: string }).message, rule, name);
    }
    assert.equal((await post('hello', 'image/png')).status, 415);
    assert.equal((await post('x'.repeat(6 * 1024 * 1024), 'application/xml')).status, 413);
    assert.equal(await s.rt.store.headSeq(), head);
    assert.equal((await fetch(s.url + '/healthz')).status, 200);
  });

  it('needs the editor role', async () => {
    assert.equal((await s.call('/v1/import', { method: 'POST', key: null, body: '{}', headers: { 'content-type': 'application/json' } })).status, 401);
  });
});

describe('newsflow import detects standard formats', () => {
  it('imports a folder of ninjs and NewsML-G2 files with a per-item report', () => {
    const dir = tempDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    copyFileSync(join(SHARED, 'standards/ninjs/examples/2.2/004_simple_text_article.json'), join(docs, 'a.json'));
    copyFileSync(join(SHARED, 'standards/newsml-g2/examples/LISTING_3_Photo_in_NewsML-G2.xml'), join(docs, 'b.xml'));
    writeFileSync(join(docs, 'c.xml'), fixture('billion-laughs.xml'));
    const r = spawnSync(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'import', '--quiet', docs], {
      env: { ...process.env, NEWSFLOW_DATA: join(dir, 'data') },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /a\.json: 1 imported/);
    assert.match(r.stderr, /b\.xml: 1 imported/);
    assert.match(r.stderr, /c\.xml: 0 imported, 0 already present, 1 failed/);
    assert.match(r.stderr, /done: 2 stories imported/);
  });
});
