// GET /v1/search over real HTTP: Arabic-aware matching, entitlement filtering, kills, bad queries;
// and `newsflow search` on the same store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueKey } from '../../src/flow/keys.ts';
import { REPO, sampleContent, storeEnv, tempDbFile } from '../helpers.ts';
import { startServer, type TestServer } from './server.ts';

let s: TestServer;
let file: string;
let arabicSub: string;
let turkishSub: string;
let embargoSub: string;
const ids: Record<string, string> = {};

async function publish(name: string, over: Parameters<typeof sampleContent>[0]) {
  const d = (await (await s.call('/v1/stories', { method: 'POST', json: sampleContent(over) })).json()) as { id: string };
  const r = await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST' });
  assert.equal(r.status, 201);
  ids[name] = d.id;
}

before(async () => {
  file = tempDbFile();
  s = await startServer(file);
  await publish('prisoners', {
    headline: 'حملة للمطالبة بالإفراج عن الأسرى',
    body: [{ type: 'paragraph', text: 'دعا المشاركون إلى إطلاق سراح الأَسْرَى المحتجزين لدى إسرائيل، وعددهم ٩٢٠٠ أسير.' }],
  });
  await publish('ministry', {
    headline: 'وزارة الصحة تفتتح مستشفى جديداً',
    body: [{ type: 'paragraph', text: 'افتتحت الوزارة المستشفى في بيروت.' }],
    categories: ['صحة'],
  });
  await publish('visit', { headline: 'الرئيس زار المدينة', body: [{ type: 'paragraph', text: 'زار الرئيس المدينة القديمة.' }], categories: ['سياسة'] });
  await publish('turkish', {
    language: 'tr',
    headline: "İstanbul'da kitap fuarı açıldı",
    body: [{ type: 'paragraph', text: "Fuar İstanbul'da 300 yayıneviyle açıldı." }],
    categories: ['Kültür'],
  });
  await publish('embargoed', {
    headline: 'نتائج الانتخابات تعلن غداً',
    body: [{ type: 'paragraph', text: 'تعلن نتائج الانتخابات البرلمانية غداً صباحاً.' }],
    embargoUntil: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const st = s.rt.store.subscribers;
  await st.createProduct({ name: 'ar-text', languages: ['ar'], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0 });
  await st.createProduct({ name: 'ar-embargo', languages: ['ar'], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: true, delaySeconds: 0 });
  await st.createProduct({ name: 'tr-text', languages: ['tr'], categories: [], maxUrgency: null, mediaTypes: [], embargoRights: false, delaySeconds: 0 });
  const a = await st.createSubscriber({ name: 'Arabic daily', products: ['ar-text'] });
  const t = await st.createSubscriber({ name: 'Turkish portal', products: ['tr-text'] });
  const e = await st.createSubscriber({ name: 'Arabic broadcaster', products: ['ar-embargo'] });
  arabicSub = (await issueKey(s.rt.store, 'subscriber', { subscriberId: a.id })).secret;
  turkishSub = (await issueKey(s.rt.store, 'subscriber', { subscriberId: t.id })).secret;
  embargoSub = (await issueKey(s.rt.store, 'subscriber', { subscriberId: e.id })).secret;
});
after(async () => {
  await s.close();
});

async function search(q: string, key?: string, extra = ''): Promise<{ total: number; hits: { id: string; snippetHtml: string }[]; facets: any }> {
  const r = await s.call(`/v1/search?q=${encodeURIComponent(q)}${extra}`, { key });
  assert.equal(r.status, 200, await r.clone().text());
  return r.json() as any;
}

describe('search API', () => {
  it('matches Arabic word forms: clitics, diacritics, digits', async () => {
    for (const q of ['الأسرى', 'والأسرى', 'اسرى', 'للأسرى', '9200', 'اسرائيل']) {
      const r = await search(q);
      assert.ok(
        r.hits.some((h) => h.id === ids.prisoners),
        `"${q}" finds the prisoners story`,
      );
    }
    const hit = (await search('الأسرى')).hits.find((h) => h.id === ids.prisoners)!;
    assert.match(hit.snippetHtml, /<mark>الأَسْرَى<\/mark>/, 'highlights the original, diacritized form');
  });

  it('does not merge وزارة (ministry) with زار (visited)', async () => {
    const r = await search('زار');
    assert.ok(r.hits.some((h) => h.id === ids.visit));
    assert.ok(!r.hits.some((h) => h.id === ids.ministry));
  });

  it('Turkish folding; facets; filters', async () => {
    const r = await search('istanbul', undefined, '&lang=tr');
    assert.deepEqual(
      r.hits.map((h) => h.id),
      [ids.turkish],
    );
    const all = await search('', undefined, '&limit=50');
    assert.ok(all.facets.language.some((f: any) => f.value === 'tr' && f.count === 1));
    const cat = await search('', undefined, `&category=${encodeURIComponent('صحة')}`);
    assert.deepEqual(
      cat.hits.map((h) => h.id),
      [ids.ministry],
    );
  });

  it('subscribers find only what they are entitled to; embargoed stories only with embargo rights', async () => {
    const ar = await search('', arabicSub, '&limit=50');
    assert.ok(!ar.hits.some((h) => h.id === ids.turkish));
    assert.ok(!ar.hits.some((h) => h.id === ids.embargoed), 'embargoed story hidden from a subscriber without embargo rights');
    assert.ok(ar.hits.some((h) => h.id === ids.prisoners));
    const tr = await search('', turkishSub, '&limit=50');
    assert.deepEqual(
      tr.hits.map((h) => h.id),
      [ids.turkish],
    );
    const em = await search('الانتخابات', embargoSub);
    assert.deepEqual(
      em.hits.map((h) => h.id),
      [ids.embargoed],
    );
    const editor = await search('الانتخابات');
    assert.deepEqual(
      editor.hits.map((h) => h.id),
      [ids.embargoed],
      'the newsroom sees everything',
    );
  });

  it('a killed story leaves search at once', async () => {
    await publish('toKill', { headline: 'خبر سيسحب قريبا', body: [{ type: 'paragraph', text: 'نص تجريبي فريد كلمة زنجبيل.' }] });
    assert.equal((await search('زنجبيل')).total, 1);
    await s.call(`/v1/stories/${ids.toKill}/kill`, { method: 'POST', json: { reason: 'خطأ' } });
    assert.equal((await search('زنجبيل')).total, 0);
  });

  it('bad queries: results or a clear 400, never a 500 or FTS5 text', async () => {
    for (const q of [
      '"الأسرى',
      '(الأسرى',
      'الأسرى)',
      'OR',
      'NOT',
      '-',
      'NEAR(الأسرى',
      '*',
      'الأسرى*',
      'headline:',
      'body:x',
      '"',
      '\u0000\u0007',
      'a'.repeat(10_000),
      ':',
      '^x',
    ]) {
      const r = await s.call(`/v1/search?q=${encodeURIComponent(q)}`);
      assert.ok(r.status === 200 || r.status === 400, `${JSON.stringify(q.slice(0, 20))} → ${r.status}`);
      const text = await r.text();
      assert.ok(!/fts5|syntax error near|sqlite/i.test(text), `no engine error leaks for ${JSON.stringify(q.slice(0, 20))}: ${text.slice(0, 200)}`);
      if (r.status === 400) assert.match(JSON.parse(text).message, /\w/);
    }
    const arabic = await s.call(`/v1/search?q=${encodeURIComponent('ب'.repeat(10_000))}`);
    assert.equal(arabic.status, 400, 'a 10,000-character Arabic query reaches the route and is refused with a reason');
    assert.match(((await arabic.json()) as { message: string }).message, /10000 characters long; the limit is/);
    assert.equal((await s.call('/v1/search?q=x', { key: null })).status, 401);
    assert.equal((await s.call('/v1/search?page=0')).status, 400);
  });
});

describe('newsflow search', () => {
  it('searches the same store from the command line', () => {
    const r = spawnSync(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'search', 'والأسرى', '--json'], {
      env: { ...process.env, ...storeEnv(file) },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.ok(result.hits.some((h: any) => h.storyId === ids.prisoners));
    const bad = spawnSync(process.execPath, [join(REPO, 'bin/newsflow.mjs'), 'search', '(unbalanced'], {
      env: { ...process.env, ...storeEnv(file) },
      encoding: 'utf8',
    });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /query: /);
  });
});
