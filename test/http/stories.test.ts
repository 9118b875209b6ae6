// The newsroom API over real HTTP on loopback: every endpoint, and every bad-input case of issue #2.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sampleContent } from '../helpers.ts';
import { startServer, type TestServer } from './server.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

async function json(res: Response): Promise<any> {
  return res.json();
}

async function newDraft(over = {}): Promise<any> {
  const res = await s.call('/v1/stories', { method: 'POST', json: sampleContent(over) });
  assert.equal(res.status, 201);
  return json(res);
}

describe('newsroom API', () => {
  it('creates, reads, edits, publishes, corrects and kills a story', async () => {
    const draft = await newDraft();
    assert.equal(draft.status, 'draft');
    assert.deepEqual(draft.draft.hashtags, ['المياه_للجميع'], 'hashtags written in the body are extracted');

    const read = await json(await s.call(`/v1/stories/${draft.id}`));
    assert.equal(read.draft.headline, draft.draft.headline);

    const edited = await json(await s.call(`/v1/stories/${draft.id}`, { method: 'PATCH', json: { revision: 1, urgency: 2 } }));
    assert.equal(edited.revision, 2);
    assert.equal(edited.draft.urgency, 2);

    const pub = await s.call(`/v1/stories/${draft.id}/publish`, { method: 'POST' });
    assert.equal(pub.status, 201);
    const p = await json(pub);
    assert.equal(p.event.kind, 'published');
    assert.equal(p.version.version, 1);

    const story = await json(await s.call(`/v1/stories/${draft.id}`));
    await s.call(`/v1/stories/${draft.id}`, { method: 'PATCH', json: { revision: story.revision, deck: 'ملخص محدث' } });
    const upd = await json(await s.call(`/v1/stories/${draft.id}/publish`, { method: 'POST' }));
    assert.equal(upd.event.kind, 'updated');
    assert.equal(upd.version.version, 2);

    const cor = await s.call(`/v1/stories/${draft.id}/correct`, {
      method: 'POST',
      json: { note: 'صُحّح عدد الدول المشاركة', changes: { body: [{ type: 'paragraph', text: 'اختتم المؤتمر أعماله بمشاركة ١٣ دولة.' }] } },
    });
    assert.equal(cor.status, 201);
    const c = await json(cor);
    assert.equal(c.event.kind, 'corrected');
    assert.equal(c.version.correctionNote, 'صُحّح عدد الدول المشاركة');

    const versions = await json(await s.call(`/v1/stories/${draft.id}/versions`));
    assert.deepEqual(
      versions.versions.map((v: any) => v.kind),
      ['published', 'updated', 'corrected'],
    );
    const v2 = await json(await s.call(`/v1/stories/${draft.id}/versions/2`));
    assert.equal(v2.content.deck, 'ملخص محدث');

    const diff = await json(await s.call(`/v1/stories/${draft.id}/versions/2/diff/3`));
    assert.deepEqual(diff.changed, ['body']);
    assert.deepEqual(diff.fields.correctionNote, { from: null, to: 'صُحّح عدد الدول المشاركة' });
    const deleted = diff.text.body
      .filter((p: any) => p.op === 'delete')
      .map((p: any) => p.text)
      .join('|');
    const inserted = diff.text.body
      .filter((p: any) => p.op === 'insert')
      .map((p: any) => p.text)
      .join('|');
    assert.match(inserted, /١٣/);
    assert.match(deleted, /١٢/);
    // Whole Arabic words, never fragments of one: every changed part is made of complete tokens.
    for (const p of diff.text.body) assert.ok(!/^[\u064B-\u0652]/.test(p.text), 'no part starts with a detached haraka');

    const kill = await s.call(`/v1/stories/${draft.id}/kill`, { method: 'POST', json: { reason: 'نُشر بالخطأ' } });
    assert.equal(kill.status, 201);
    const k = await json(kill);
    assert.equal(k.event.kind, 'killed');
    assert.equal(k.version.pubStatus, 'canceled');
    const fieldDiff = await json(await s.call(`/v1/stories/${draft.id}/versions/1/diff/4`));
    assert.deepEqual(fieldDiff.fields.pubStatus, { from: 'usable', to: 'canceled' });
    assert.deepEqual(fieldDiff.fields.killReason, { from: null, to: 'نُشر بالخطأ' });
    assert.ok(fieldDiff.changed.includes('deck'));
  });

  it('lists stories newest first', async () => {
    const a = await newDraft({ headline: 'الأول' });
    const b = await newDraft({ headline: 'الثاني' });
    const list = await json(await s.call('/v1/stories?status=draft&limit=2'));
    assert.deepEqual(
      list.stories.map((x: any) => x.id),
      [b.id, a.id],
    );
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await json(await fetch(s.url + '/openapi.json'));
    assert.equal(doc.openapi, '3.1.0');
    for (const p of [
      '/v1/stories',
      '/v1/stories/{id}',
      '/v1/stories/{id}/publish',
      '/v1/stories/{id}/correct',
      '/v1/stories/{id}/kill',
      '/v1/stories/{id}/versions',
      '/v1/stories/{id}/versions/{n}',
      '/v1/stories/{id}/versions/{a}/diff/{b}',
    ]) {
      assert.ok(doc.paths[p], `OpenAPI documents ${p}`);
    }
    const docs = await fetch(s.url + '/docs/');
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger-ui/i);
    // The docs are built on first request (src/http/app.ts): they serve the API's document and their assets.
    assert.ok((await json(await fetch(s.url + '/docs/json'))).paths['/v1/stories']);
    const css = await fetch(s.url + '/docs/static/swagger-ui.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  });
});

describe('auth', () => {
  it('401 without a key or with a wrong one, 403 with the wrong role', async () => {
    assert.equal((await s.call('/v1/stories', { key: null })).status, 401);
    const wrong = await s.call('/v1/stories', { key: 'nf_edi_not-a-real-key' });
    assert.equal(wrong.status, 401);
    assert.match((await json(wrong)).message, /invalid or revoked/);
    const { issueKey } = await import('../../src/flow/keys.ts');
    const sub = await issueKey(s.rt.store, 'subscriber', { subscriberId: 'sub-1' });
    const forbidden = await s.call('/v1/stories', { key: sub.secret });
    assert.equal(forbidden.status, 403);
    assert.match((await json(forbidden)).message, /editor/);
    assert.equal((await s.call('/v1/stories', { key: s.admin })).status, 200, 'admin passes everywhere');
  });

  it('a revoked key is refused', async () => {
    const { issueKey } = await import('../../src/flow/keys.ts');
    const k = await issueKey(s.rt.store, 'editor');
    assert.equal((await s.call('/v1/stories', { key: k.secret })).status, 200);
    await s.rt.keys.revoke(k.key.id);
    assert.equal((await s.call('/v1/stories', { key: k.secret })).status, 401, 'at once in the process that revoked it');
    const other = await issueKey(s.rt.store, 'editor');
    assert.equal((await s.call('/v1/stories', { key: other.secret })).status, 200);
    await s.rt.store.revokeKey(other.key.id); // as another process (the CLI) would
    const deadline = Date.now() + 1000;
    let status = 200;
    while (status !== 401 && Date.now() < deadline) status = (await s.call('/v1/stories', { key: other.secret })).status;
    assert.equal(status, 401, 'within a second when revoked elsewhere');
  });
});

describe('bad input: a 4xx naming the problem, nothing stored changes, the server stays up', () => {
  async function expectError(res: Response, status: number, pattern: RegExp): Promise<void> {
    assert.equal(res.status, status);
    const body = await json(res);
    assert.match(body.message, pattern);
  }

  it('malformed JSON', async () => {
    const before = await s.rt.store.countStories();
    const res = await s.call('/v1/stories', { method: 'POST', body: '{"language": "ar", "headline": ', headers: { 'content-type': 'application/json' } });
    await expectError(res, 400, /JSON/i);
    assert.equal(await s.rt.store.countStories(), before);
  });

  it('wrong types, unknown fields, missing fields', async () => {
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), urgency: 'high' } }), 400, /urgency/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), colour: 'red' } }), 400, /unknown field "colour"/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { language: 'ar' } }), 400, /headline/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), urgency: 12 } }), 400, /urgency/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), body: [{ type: 'html', text: '<b>x</b>' }] } }), 400, /body/);
  });

  it('wrong types are refused, never coerced, on every write; nothing stored changes', async () => {
    const d = await newDraft();
    await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST' });
    const before = { stories: await s.rt.store.countStories(), head: await s.rt.store.headSeq(), story: await (await s.call(`/v1/stories/${d.id}`)).json() };
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), headline: 123 } }), 400, /headline must be string/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), urgency: '2' } }), 400, /urgency must be integer/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), categories: 'solo' } }), 400, /categories must be array/);
    await expectError(await s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { revision: '2', keywords: 'x' } }), 400, /revision must be integer/);
    await expectError(await s.call(`/v1/stories/${d.id}/correct`, { method: 'POST', json: { note: 123 } }), 400, /note must be string/);
    await expectError(await s.call(`/v1/stories/${d.id}/kill`, { method: 'POST', json: { reason: ['a'] } }), 400, /reason must be string/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: { ...sampleContent(), colour: 'red' } }), 400, /unknown field/);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: sampleContent({ language: 'arabic-!!' }) }), 400, /BCP 47/);
    await expectError(await s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { revision: 1, urgency: 1 } }), 409, /revision/);
    assert.equal(await s.rt.store.countStories(), before.stories);
    assert.equal(await s.rt.store.headSeq(), before.head);
    assert.deepEqual(await (await s.call(`/v1/stories/${d.id}`)).json(), before.story);
  });

  it('invalid language tags', async () => {
    await expectError(await s.call('/v1/stories', { method: 'POST', json: sampleContent({ language: 'arabic-!!' }) }), 400, /language.*BCP 47/);
  });

  it('oversized bodies', async () => {
    const huge = 'ب'.repeat(1024 * 1024);
    await expectError(await s.call('/v1/stories', { method: 'POST', json: sampleContent({ deck: huge }) }), 413, /larger than the limit/);
  });

  it('publish of a killed story, correct of an unpublished one', async () => {
    const d = await newDraft();
    await expectError(await s.call(`/v1/stories/${d.id}/correct`, { method: 'POST', json: { note: 'x' } }), 409, /not been published/);
    await expectError(await s.call(`/v1/stories/${d.id}/kill`, { method: 'POST', json: { reason: 'x' } }), 409, /not been published/);
    await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST' });
    await expectError(await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST' }), 409, /no changes/);
    await s.call(`/v1/stories/${d.id}/kill`, { method: 'POST', json: { reason: 'legal' } });
    const head = await s.rt.store.headSeq();
    await expectError(await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST' }), 409, /killed/);
    await expectError(await s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { revision: 4, headline: 'x' } }), 409, /killed/);
    assert.equal(await s.rt.store.headSeq(), head, 'refused acts append nothing');
  });

  it('concurrent edits: the second edit from the same revision gets 409', async () => {
    const d = await newDraft();
    const [a, b] = await Promise.all([
      s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { revision: 1, headline: 'نسخة أ' } }),
      s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { revision: 1, headline: 'نسخة ب' } }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    const winner = a.status === 200 ? 'نسخة أ' : 'نسخة ب';
    const story = await json(await s.call(`/v1/stories/${d.id}`));
    assert.equal(story.draft.headline, winner, 'the losing edit changed nothing');
    assert.equal(story.revision, 2);
  });

  it('PATCH without a revision, unknown ids, bad ids, unknown versions', async () => {
    const d = await newDraft();
    await expectError(await s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { headline: 'x' } }), 400, /revision/);
    await expectError(await s.call('/v1/stories/0000000000000000000000000z'), 404, /no story/);
    await expectError(await s.call('/v1/stories/..%2F..%2Fetc'), 400, /id/);
    await expectError(await s.call(`/v1/stories/${d.id}/versions/7`), 404, /no version 7/);
    await expectError(await s.call(`/v1/stories/${d.id}/versions/abc`), 400, /n/);
    await expectError(await s.call('/v1/nothing-here'), 404, /no route/);
  });

  it('correction and kill need their note and reason', async () => {
    const d = await newDraft();
    await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST' });
    await expectError(await s.call(`/v1/stories/${d.id}/correct`, { method: 'POST', json: { changes: {} } }), 400, /note/);
    await expectError(await s.call(`/v1/stories/${d.id}/kill`, { method: 'POST', json: {} }), 400, /reason/);
    await expectError(await s.call(`/v1/stories/${d.id}/kill`, { method: 'POST', json: { reason: '   ' } }), 400, /reason/);
  });

  it('the server is still up after all of that', async () => {
    const res = await fetch(s.url + '/healthz');
    assert.equal(res.status, 200);
  });
});

describe('browsers on other origins', () => {
  it("CORS lets a subscriber's site read the feed and open the stream", async () => {
    const pre = await fetch(s.url + '/v1/feed', {
      method: 'OPTIONS',
      headers: { origin: 'https://daily.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    const get = await fetch(s.url + '/healthz', { headers: { origin: 'https://daily.example' } });
    assert.equal(get.headers.get('access-control-allow-origin'), '*');
  });

  it('keys in the URL never reach the log', async () => {
    const { maskToken } = await import('../../src/http/app.ts');
    assert.equal(maskToken('/v1/stream?cursor=x&access_token=nf_sub_secret&y=1'), '/v1/stream?cursor=x&access_token=***&y=1');
  });
});

describe('unknown paths', () => {
  it("a browser gets the site's HTML 404 page in its language; an API client gets JSON", async () => {
    const page = await fetch(s.url + '/no/such/page', { headers: { accept: 'text/html', 'accept-language': 'tr' } });
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.match(await page.text(), /lang="tr"/);
    const api = await fetch(s.url + '/v1/no/such/route', { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type')!, /json/);
  });
});
