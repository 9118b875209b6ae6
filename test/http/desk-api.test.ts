// The desk's API over real HTTP: who did what (the key as actor on drafts, versions and log events),
// the review queue, translations, the desk field, the desk's lists; and that subscribers never see who.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeCursor } from '../../src/flow/cursor.ts';
import { issueKey } from '../../src/flow/keys.ts';
import { sampleContent } from '../helpers.ts';
import { addReader, startServer, type TestServer } from './server.ts';

let s: TestServer;
let deskKey: string;
let deskKeyId: string;
let reporterKey: string;
let reporterKeyId: string;
let reader: { subscriberId: string; key: string };
const LABEL = 'Zeynep desk key';

before(async () => {
  s = await startServer();
  const k = await issueKey(s.rt.store, 'editor', { label: LABEL });
  deskKey = k.secret;
  deskKeyId = k.key.id;
  const r = await issueKey(s.rt.store, 'editor');
  reporterKey = r.secret;
  reporterKeyId = r.key.id;
  reader = await addReader(s);
});
after(async () => {
  await s.close();
});

async function body(res: Response, status: number): Promise<any> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return JSON.parse(text);
}

async function draft(over = {}, key = deskKey): Promise<any> {
  return body(await s.call('/v1/stories', { method: 'POST', json: sampleContent(over), key }), 201);
}

describe('who did what', () => {
  it('records the key on the draft, the version and the log event, and shows them to staff', async () => {
    const d = await draft({}, reporterKey);
    const reporter = { type: 'key', id: reporterKeyId, name: reporterKey.slice(0, d.createdBy.name.length) };
    assert.equal(d.createdBy.type, 'key');
    assert.equal(d.createdBy.id, reporterKeyId);
    assert.ok(reporterKey.startsWith(d.createdBy.name), 'a key without a label is named by its prefix');
    assert.deepEqual(d.updatedBy, reporter);
    const desk = { type: 'key', id: deskKeyId, name: LABEL };
    const edited = await body(await s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { revision: 1, urgency: 2 } as object, key: deskKey }), 200);
    assert.deepEqual(edited.updatedBy, desk);
    assert.deepEqual(edited.createdBy, reporter);
    // A second editor saving over the first is told who saved first.
    const conflict = await body(await s.call(`/v1/stories/${d.id}`, { method: 'PATCH', json: { revision: 1, urgency: 3 }, key: reporterKey }), 409);
    assert.match(conflict.message, new RegExp(`${LABEL} saved it first`));
    const published = await body(await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST', key: deskKey }), 201);
    assert.deepEqual(published.version.by, desk);
    assert.deepEqual(published.event.by, desk);
    const versions = await body(await s.call(`/v1/stories/${d.id}/versions`), 200);
    assert.deepEqual(versions.versions[0].by, desk);
    const wire = await body(await s.call(`/v1/desk/wire?limit=5`), 200);
    const entry = wire.entries.find((e: any) => e.event.seq === published.event.seq);
    assert.deepEqual(entry.event.by, desk);
    assert.equal(entry.headline, sampleContent().headline);
  });

  it('never sends who did it to subscribers, in any format', async () => {
    const start = encodeCursor(await s.rt.store.headSeq());
    const d = await draft({ headline: 'خبر للمشتركين' });
    await body(await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST', key: deskKey }), 201);
    await body(await s.call(`/v1/stories/${d.id}/correct`, { method: 'POST', json: { note: 'تصحيح' }, key: deskKey }), 201);
    for (const format of ['ninjs', 'ninjs2', 'newsml', 'json', 'html', 'text']) {
      const res = await s.call(`/v1/feed?cursor=${start}&format=${format}`, { key: reader.key });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      const page = JSON.parse(text);
      assert.equal(page.items.length, 2, `${format}: both events delivered`);
      assert.ok(!text.includes(LABEL), `${format}: the key's label does not leak`);
      assert.ok(!text.includes(deskKeyId), `${format}: the key's id does not leak`);
      // ninjs has a `by` of its own (the byline); the json rendering is the version, which must lose the actor.
      if (format === 'json')
        assert.ok(
          page.items.every((i: any) => !('by' in i.story) && !('by' in i.event)),
          'json: no actor field',
        );
    }
    // Staff reading the same version as ninjs get the subscriber rendering too: no actor in standard formats.
    const ninjs = await (await s.call(`/v1/stories/${d.id}/versions/1?format=ninjs`)).text();
    assert.ok(!ninjs.includes(LABEL));
  });
});

describe('review queue', () => {
  it('submits a draft, refuses a second submit, withdraws, and publishing clears it', async () => {
    const d = await draft({ desk: 'economy' }, reporterKey);
    const sub = await body(await s.call(`/v1/stories/${d.id}/submit`, { method: 'POST', key: reporterKey }), 200);
    assert.equal(sub.workflow, 'submitted');
    assert.equal(sub.submittedBy.id, reporterKeyId);
    assert.ok(sub.submittedAt);
    const queue = await body(await s.call('/v1/desk/stories?status=submitted&desk=economy'), 200);
    assert.deepEqual(
      queue.stories.map((l: any) => l.id),
      [d.id],
    );
    const again = await body(await s.call(`/v1/stories/${d.id}/submit`, { method: 'POST' }), 409);
    assert.match(again.message, /already submitted for review/);
    const back = await body(await s.call(`/v1/stories/${d.id}/withdraw`, { method: 'POST', key: reporterKey }), 200);
    assert.equal(back.workflow, 'writing');
    await body(await s.call(`/v1/stories/${d.id}/withdraw`, { method: 'POST' }), 409);
    await body(await s.call(`/v1/stories/${d.id}/submit`, { method: 'POST', key: reporterKey }), 200);
    await body(await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST', key: deskKey }), 201);
    const after = await body(await s.call(`/v1/stories/${d.id}`), 200);
    assert.equal(after.workflow, 'writing');
    assert.equal(after.submittedBy, null);
    const none = await body(await s.call(`/v1/stories/${d.id}/submit`, { method: 'POST', key: reporterKey }), 409);
    assert.match(none.message, /no changes since version 1; nothing to review/);
  });

  it('is for newsroom keys only, and names a story that does not exist', async () => {
    const d = await draft();
    await body(await s.call(`/v1/stories/${d.id}/submit`, { method: 'POST', key: reader.key }), 403);
    await body(await s.call(`/v1/stories/${d.id}/submit`, { method: 'POST', key: null }), 401);
    await body(await s.call('/v1/stories/0000000000000000000000000z/submit', { method: 'POST' }), 404);
  });
});

describe('translations and desks', () => {
  it('starts a translation in the group, copying what the translator keeps', async () => {
    const original = await draft({ desk: 'world', urgency: 2, categories: ['politics'], dateline: { place: 'عمّان', agency: 'newsflow' } });
    await body(await s.call(`/v1/stories/${original.id}/publish`, { method: 'POST' }), 201);
    const res = await s.call(`/v1/stories/${original.id}/translate`, { method: 'POST', json: { language: 'en' }, key: reporterKey });
    const t = await body(res, 201);
    assert.equal(res.headers.get('location'), `/v1/stories/${t.id}`);
    assert.equal(t.draft.language, 'en');
    assert.equal(t.draft.translationOf, original.id);
    assert.equal(t.translationGroup, original.translationGroup);
    assert.equal(t.draft.urgency, 2);
    assert.deepEqual(t.draft.categories, ['politics']);
    assert.deepEqual(t.draft.dateline, { place: 'عمّان', agency: 'newsflow' });
    assert.equal(t.draft.desk, 'world');
    assert.equal(t.draft.headline, original.draft.headline, 'the text is copied for the translator');
    assert.equal(t.createdBy.id, reporterKeyId);
    // Not published while it is still the original's text.
    const untranslated = await body(await s.call(`/v1/stories/${t.id}/publish`, { method: 'POST' }), 409);
    assert.match(untranslated.message, /still the original's; translate them before publishing/);
    await body(
      await s.call(`/v1/stories/${t.id}`, {
        method: 'PATCH',
        json: { revision: t.revision, headline: 'Regional water conference closes in Amman', body: [{ type: 'paragraph', text: 'The conference closed.' }] },
      }),
      200,
    );
    const pub = await body(await s.call(`/v1/stories/${t.id}/publish`, { method: 'POST' }), 201);
    assert.equal(pub.version.content.language, 'en');
    const group = await body(await s.call(`/v1/stories/${t.id}/translations`), 200);
    assert.deepEqual(
      group.stories.map((l: any) => [l.id, l.language]),
      [
        [original.id, 'ar'],
        [t.id, 'en'],
      ],
    );
    const twice = await body(await s.call(`/v1/stories/${original.id}/translate`, { method: 'POST', json: { language: 'en' } }), 409);
    assert.match(twice.message, new RegExp(`already has a en story: ${t.id}`));
    const same = await body(await s.call(`/v1/stories/${original.id}/translate`, { method: 'POST', json: { language: 'ar' } }), 409);
    assert.match(same.message, /already in ar/);
    const bad = await body(await s.call(`/v1/stories/${original.id}/translate`, { method: 'POST', json: { language: 'xx-!!' } }), 400);
    assert.match(JSON.stringify(bad), /language/);
    await body(await s.call(`/v1/stories/${original.id}/translate`, { method: 'POST', json: {} }), 400);
  });

  it('validates the desk and shows it to staff only', async () => {
    const bad = await body(await s.call('/v1/stories', { method: 'POST', json: sampleContent({ desk: 'World <b>News</b>' }) }), 400);
    assert.match(JSON.stringify(bad), /desk/);
    const d = await draft({ desk: 'sport' });
    assert.equal(d.draft.desk, 'sport');
    await body(await s.call(`/v1/stories/${d.id}/publish`, { method: 'POST' }), 201);
    const ninjs = await (await s.call(`/v1/stories/${d.id}/versions/1?format=ninjs`)).text();
    assert.ok(!ninjs.includes('sport'), 'ninjs carries no desk');
    const newsml = await (await s.call(`/v1/stories/${d.id}/versions/1?format=newsml`)).text();
    assert.ok(!newsml.includes('sport'), 'NewsML carries no desk');
    const list = await body(await s.call('/v1/desk/stories?desk=sport&status=published'), 200);
    assert.deepEqual(
      list.stories.map((l: any) => [l.id, l.desk]),
      [[d.id, 'sport']],
    );
  });
});

describe('desk lists and embargo lifts', () => {
  it('lists by status and pages by position; the wire filters and pages by seq', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const e = await draft({ desk: 'culture', embargoUntil: future, categories: ['arts'] });
    await body(await s.call(`/v1/stories/${e.id}/publish`, { method: 'POST' }), 201);
    const embargoed = await body(await s.call('/v1/desk/stories?status=embargoed&desk=culture'), 200);
    assert.deepEqual(
      embargoed.stories.map((l: any) => l.id),
      [e.id],
    );
    const held = await body(await s.call('/v1/desk/wire?embargoed=true&category=arts'), 200);
    assert.equal(held.entries.length, 1);
    assert.equal(held.entries[0].embargoed, true);
    const lifted = await body(await s.call(`/v1/stories/${e.id}/lift-embargo`, { method: 'POST', key: deskKey }), 201);
    assert.equal(lifted.event.kind, 'embargo-lifted');
    assert.equal(lifted.event.by.name, LABEL);
    await body(await s.call(`/v1/stories/${e.id}/lift-embargo`, { method: 'POST' }), 409);
    assert.equal((await body(await s.call('/v1/desk/stories?status=embargoed&desk=culture'), 200)).stories.length, 0);
    const lifts = await body(await s.call('/v1/desk/wire?kind=embargo-lifted&category=arts'), 200);
    assert.equal(lifts.entries[0].event.by.name, LABEL);
    const page1 = await body(await s.call('/v1/desk/stories?limit=2'), 200);
    assert.equal(page1.stories.length, 2);
    const page2 = await body(await s.call(`/v1/desk/stories?limit=2&after=${encodeURIComponent(page1.next)}`), 200);
    assert.ok(page2.stories.every((l: any) => !page1.stories.some((p: any) => p.id === l.id)));
    const w1 = await body(await s.call('/v1/desk/wire?limit=2'), 200);
    const w2 = await body(await s.call(`/v1/desk/wire?limit=2&before=${w1.next}`), 200);
    assert.ok(w2.entries[0].event.seq < w1.entries[1].event.seq);
    for (const q of ['status=live', 'urgency=0', 'kind=deleted', 'after=nonsense', 'limit=1000', 'colour=red']) {
      const path = q.startsWith('status') || q.startsWith('after') ? `/v1/desk/stories?${q}` : `/v1/desk/wire?${q}`;
      await body(await s.call(path), 400);
    }
    await body(await s.call('/v1/desk/wire', { key: reader.key }), 403);
  });
});
