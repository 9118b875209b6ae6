// GET /v1/stories/:id serves the editable story (json) by default, and its latest published version in
// a standard format on ?format= or Accept, as the version routes do; an unknown format is a 406 that
// lists the formats.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateNinjs } from '../../src/formats/ninjs.ts';
import { sampleContent } from '../helpers.ts';
import { startServer, type TestServer } from './server.ts';

let s: TestServer;
let id: string;
let draftOnly: string;
before(async () => {
  s = await startServer();
  id = ((await (await s.call('/v1/stories', { method: 'POST', json: sampleContent() })).json()) as { id: string }).id;
  await s.call(`/v1/stories/${id}/publish`, { method: 'POST' });
  await s.call(`/v1/stories/${id}/correct`, { method: 'POST', json: { note: 'صُحّح الرقم', changes: { headline: 'عنوان مصحح للمؤتمر الإقليمي' } } });
  // A draft edit after the correction: the formats must serve version 2, not the unpublished draft.
  await s.call(`/v1/stories/${id}`, { method: 'PATCH', json: { revision: 3, headline: 'مسودة لم تنشر بعد' } });
  draftOnly = ((await (await s.call('/v1/stories', { method: 'POST', json: sampleContent() })).json()) as { id: string }).id;
});
after(async () => {
  await s.close();
});

describe('GET /v1/stories/:id?format=', () => {
  it('without a format answers the story with its draft, as before', async () => {
    const r = await s.call(`/v1/stories/${id}`);
    assert.equal(r.status, 200);
    const story = (await r.json()) as { id: string; latestVersion: number; draft: { headline: string } };
    assert.equal(story.latestVersion, 2);
    assert.equal(story.draft.headline, 'مسودة لم تنشر بعد');
  });

  it('ninjs and ninjs2 serve the latest published version, valid against the official schemas', async () => {
    const r3 = await s.call(`/v1/stories/${id}?format=ninjs`);
    assert.equal(r3.status, 200);
    assert.match(r3.headers.get('content-type')!, /^application\/ninjs\+json/);
    const doc3 = (await r3.json()) as { version: string; headlines: { value: string }[] };
    assert.deepEqual(validateNinjs(doc3, '3.2'), []);
    assert.equal(doc3.version, '2');
    assert.equal(doc3.headlines[0].value, 'عنوان مصحح للمؤتمر الإقليمي');
    const r2 = await s.call(`/v1/stories/${id}?format=ninjs2`);
    assert.match(r2.headers.get('content-type')!, /version=2\.3/);
    assert.deepEqual(validateNinjs(await r2.json(), '2.3'), []);
  });

  it('newsml, html and text serve the latest published version', async () => {
    const x = await s.call(`/v1/stories/${id}?format=newsml`);
    assert.match(x.headers.get('content-type')!, /application\/vnd\.iptc\.g2\.newsitem\+xml/);
    const xml = await x.text();
    assert.match(xml, /<newsItem[^>]* version="2"/);
    assert.match(xml, /عنوان مصحح للمؤتمر الإقليمي/);
    const h = await s.call(`/v1/stories/${id}?format=html`);
    assert.match(h.headers.get('content-type')!, /text\/html/);
    assert.match(await h.text(), /عنوان مصحح للمؤتمر الإقليمي/);
    const t = await s.call(`/v1/stories/${id}?format=text`);
    assert.match(t.headers.get('content-type')!, /text\/plain/);
    const text = await t.text();
    assert.match(text, /عنوان مصحح للمؤتمر الإقليمي/);
    assert.doesNotMatch(text, /مسودة لم تنشر بعد/);
  });

  it('Accept negotiates too', async () => {
    const r = await s.call(`/v1/stories/${id}`, { headers: { accept: 'application/vnd.iptc.g2.newsitem+xml' } });
    assert.match(r.headers.get('content-type')!, /newsitem\+xml/);
  });

  it('an unknown format is a 406 that lists the formats', async () => {
    const r = await s.call(`/v1/stories/${id}?format=docx`);
    assert.equal(r.status, 406);
    const body = (await r.json()) as { message: string; details: { supported: string[] } };
    assert.deepEqual(body.details.supported, ['json', 'ninjs', 'ninjs2', 'newsml', 'html', 'text']);
    assert.match(body.message, /format "docx" is not available here; supported formats: json .*ninjs .*newsml/);
  });

  it('a draft never published has no version to serve: 404 saying so', async () => {
    const r = await s.call(`/v1/stories/${draftOnly}?format=ninjs`);
    assert.equal(r.status, 404);
    assert.match(((await r.json()) as { message: string }).message, /has not been published yet/);
    assert.equal((await s.call(`/v1/stories/${draftOnly}`)).status, 200);
  });
});
