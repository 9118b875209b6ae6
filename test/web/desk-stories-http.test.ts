// The story editor and the story page over real HTTP on a real store: drafts from the form with the
// model's refusals next to their field, the embargo read in its time zone, the reporter's limits
// (no publish button, 403 on every publishing post), CSRF on every act, autosave and its conflict
// naming who saved first, the publishing acts with their notices and the events they log, the kill
// confirmation, versions and diff, translations, previews, and hostile text rendered inert.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localValue, zonedInstant } from '../../src/web/desk/story-form.ts';
import { DESK_PASSWORD, signInHttp, startDesk, type DeskClient, type DeskFixture } from './desk-fixture.ts';

const form = (o: Record<string, string> = {}) => ({
  language: 'en',
  headline: 'Port reopens after storm',
  deck: 'Ships return to the harbour.',
  bodyText: 'First paragraph of the story.\n\nSecond paragraph.',
  byline: 'Jane Reporter',
  place: 'Izmir',
  reporter: 'Jane Reporter',
  agency: 'newsflow',
  keywords: 'port, storm',
  hashtags: '#izmir',
  urgency: '3',
  embargo: '',
  timeZone: 'Europe/Istanbul',
  desk: 'economy',
  slugline: 'PORT-REOPENS',
  'photo-0-url': '',
  'photo-0-caption': '',
  'photo-0-credit': '',
  ...o,
});

const storyIdOf = (location: string | null) => /\/desk\/stories\/([^/?]+)/.exec(location ?? '')?.[1] ?? '';

describe('the story editor and the story page over HTTP', () => {
  let d: DeskFixture;
  let editor: DeskClient;
  let reporter: DeskClient;
  before(async () => {
    d = await startDesk();
    editor = await signInHttp(d.url, d.users.editor.email, DESK_PASSWORD);
    reporter = await signInHttp(d.url, d.users.reporter.email, DESK_PASSWORD);
  });
  after(async () => d?.close());

  const create = async (c: DeskClient, o: Record<string, string> = {}) => {
    await c.get('/desk/stories/new');
    const r = await c.post('/desk/stories/new', form(o));
    assert.equal(r.status, 303, await r.text());
    return storyIdOf(r.headers.get('location'));
  };

  it('an embargo is a wall-clock time in a chosen IANA zone, stored as the instant', () => {
    assert.equal(zonedInstant('2026-12-01T10:00', 'Europe/Istanbul')?.toISOString(), '2026-12-01T07:00:00.000Z');
    assert.equal(zonedInstant('2026-07-01T10:00', 'America/New_York')?.toISOString(), '2026-07-01T14:00:00.000Z');
    assert.equal(zonedInstant('2026-01-01T10:00', 'America/New_York')?.toISOString(), '2026-01-01T15:00:00.000Z');
    assert.equal(localValue('2026-12-01T07:00:00.000Z', 'Asia/Riyadh'), '2026-12-01T10:00');
    assert.equal(zonedInstant('tomorrow', 'UTC'), null);
  });

  it('a new story from the form: every field stored, the embargo in its zone, the categories with their IPTC topic', async () => {
    await editor.get('/desk/stories/new');
    const page = await (await editor.get('/desk/stories/new')).text();
    assert.match(page, /medtop:\d{8}/, 'categories show their IPTC Media Topic');
    const r = await editor.post('/desk/stories/new', {
      ...form({
        embargo: '2099-05-01T09:30',
        timeZone: 'Asia/Riyadh',
        'photo-0-url': 'https://images.example/port.jpg',
        'photo-0-caption': 'The port',
        'photo-0-credit': 'AA',
      }),
    });
    assert.equal(r.status, 303);
    const id = storyIdOf(r.headers.get('location'));
    const s = (await d.rt.store.getStory(id))!;
    assert.equal(s.draft.headline, 'Port reopens after storm');
    assert.deepEqual(s.draft.body, [
      { type: 'paragraph', text: 'First paragraph of the story.' },
      { type: 'paragraph', text: 'Second paragraph.' },
    ]);
    assert.equal(s.draft.embargoUntil, '2099-05-01T06:30:00.000Z');
    assert.deepEqual(s.draft.dateline, { place: 'Izmir', reporter: 'Jane Reporter', agency: 'newsflow' });
    assert.deepEqual(s.draft.keywords, ['port', 'storm']);
    assert.deepEqual(s.draft.hashtags, ['izmir']);
    assert.equal(s.draft.urgency, 3);
    assert.equal(s.draft.desk, 'economy');
    assert.deepEqual(s.draft.photos, [{ url: 'https://images.example/port.jpg', caption: 'The port', credit: 'AA' }]);
    assert.equal(s.createdBy.name, d.users.editor.user.name);
    // The edit page shows the embargo back in a zone, with the instant unchanged.
    const edit = await (await editor.get(`/desk/stories/${id}/edit`)).text();
    assert.match(edit, /value="2099-05-01T06:30"/);
  });

  it('refusals come back next to their field, the form as sent, nothing stored', async () => {
    const before = (await d.rt.store.storyList({ status: 'draft', limit: 1000 })).stories.length;
    await editor.get('/desk/stories/new');
    const r = await editor.post('/desk/stories/new', form({ headline: '', desk: 'Not A Desk!', embargo: '2026-13-45T99:99', body: '{not json' }));
    assert.equal(r.status, 400);
    const page = await r.text();
    assert.match(page, /id="f-headline-error"/);
    assert.match(page, /id="f-embargo-error"/);
    assert.match(page, /id="story-body-error"/);
    assert.match(page, /aria-invalid="true"/);
    const r2 = await editor.post('/desk/stories/new', form({ headline: '', desk: 'Not A Desk!' }));
    assert.equal(r2.status, 400);
    const page2 = await r2.text();
    assert.match(page2, /id="f-headline-error"/);
    assert.match(page2, /id="f-desk-error"/);
    assert.match(page2, /value="Not A Desk!"/, 'the form keeps what was typed');
    assert.equal((await d.rt.store.storyList({ status: 'draft', limit: 1000 })).stories.length, before);
    // Blocks posted by hand are checked by the model's schema.
    const r3 = await editor.post('/desk/stories/new', form({ body: JSON.stringify([{ type: 'script', text: 'x' }]) }));
    assert.equal(r3.status, 400);
    assert.match(await r3.text(), /id="story-body-error"/);
  });

  it('a reporter writes and submits but gets no publishing button and 403 on every publishing post', async () => {
    const id = await create(reporter);
    const edit = await (await reporter.get(`/desk/stories/${id}/edit`)).text();
    assert.doesNotMatch(edit, /data-act="publish"/);
    assert.match(edit, /Submit for review/);
    const page = await (await reporter.get(`/desk/stories/${id}`)).text();
    assert.doesNotMatch(page, /data-act="(publish|correct|kill)"/);
    for (const act of ['publish', 'correct', 'kill', 'lift-embargo']) {
      const r = await reporter.post(`/desk/stories/${id}/${act}`, { note: 'x', reason: 'x' });
      assert.equal(r.status, 403, act);
    }
    const s = (await d.rt.store.getStory(id))!;
    const viaForm = await reporter.post(`/desk/stories/${id}/edit`, { ...form(), revision: String(s.revision), act: 'publish' });
    assert.equal(viaForm.status, 403);
    assert.equal((await d.rt.store.getStory(id))!.latestVersion, 0);
    // Submitting puts the draft in the editors' queue.
    await reporter.get(`/desk/stories/${id}/edit`);
    const sub = await reporter.post(`/desk/stories/${id}/edit`, { ...form(), revision: String(s.revision), act: 'submit' });
    assert.equal(sub.status, 303);
    assert.equal(sub.headers.get('location'), `/desk/stories/${id}?done=submitted`);
    assert.equal((await d.rt.store.getStory(id))!.workflow, 'submitted');
    assert.ok((await d.rt.store.storyList({ status: 'submitted', limit: 100 })).stories.some((l) => l.id === id));
    const w = await reporter.post(`/desk/stories/${id}/withdraw`);
    assert.equal(w.status, 303);
    assert.equal((await d.rt.store.getStory(id))!.workflow, 'writing');
  });

  it('every act refuses a post without the CSRF token', async () => {
    const id = await create(editor);
    for (const path of [
      `/desk/stories/${id}/publish`,
      `/desk/stories/${id}/edit`,
      `/desk/stories/${id}/autosave`,
      '/desk/stories/new',
      `/desk/stories/${id}/kill`,
    ]) {
      const r = await fetch(d.url + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: editor.cookie },
        body: new URLSearchParams(form({ reason: 'x' })),
      });
      assert.equal(r.status, 403, path);
    }
    assert.equal((await d.rt.store.getStory(id))!.latestVersion, 0);
  });

  it('publish, update, correct (note required), lift the embargo and kill (reason, after a confirmation) — each logged with who did it', async () => {
    const id = await create(editor, { embargo: '2099-01-01T00:00', timeZone: 'UTC' });
    await editor.get(`/desk/stories/${id}`);
    let r = await editor.post(`/desk/stories/${id}/publish`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/desk/stories/${id}?done=published`);
    let page = await (await editor.get(`/desk/stories/${id}?done=published`)).text();
    assert.match(page, /class="notice" role="status">Published\./);
    assert.match(page, /data-act="lift-embargo"/);
    r = await editor.post(`/desk/stories/${id}/lift-embargo`);
    assert.equal(r.headers.get('location'), `/desk/stories/${id}?done=embargo-lifted`);

    // A correction without its note is refused next to the note field; with it, published.
    r = await editor.post(`/desk/stories/${id}/correct`, { note: '  ' });
    assert.equal(r.status, 400);
    page = await r.text();
    assert.match(page, /id="f-note-error"/);
    let s = (await d.rt.store.getStory(id))!;
    r = await editor.post(`/desk/stories/${id}/edit`, {
      ...form({ headline: 'Port reopens after the storm' }),
      revision: String(s.revision),
      act: 'correct',
      note: '',
    });
    assert.equal(r.status, 400, 'the editor asks for the note too');
    assert.match(await r.text(), /id="f-note-error"/);
    s = (await d.rt.store.getStory(id))!;
    await editor.get(`/desk/stories/${id}/edit`);
    r = await editor.post(`/desk/stories/${id}/edit`, {
      ...form({ headline: 'Port reopens after the storm' }),
      revision: String(s.revision),
      act: 'correct',
      note: 'The headline said the wrong storm.',
    });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/desk/stories/${id}?done=corrected`);

    // Update from the editor.
    s = (await d.rt.store.getStory(id))!;
    await editor.get(`/desk/stories/${id}/edit`);
    r = await editor.post(`/desk/stories/${id}/edit`, {
      ...form({ headline: 'Port reopens after the storm', deck: 'All ships are back.' }),
      revision: String(s.revision),
      act: 'publish',
    });
    assert.equal(r.headers.get('location'), `/desk/stories/${id}?done=updated`);

    // Versions with who published each; the diff between two chosen versions.
    page = await (await editor.get(`/desk/stories/${id}?from=1&to=2`)).text();
    assert.match(page, /data-version="3"/);
    assert.match(page, new RegExp(`<bdi>${d.users.editor.user.name}</bdi>`));
    assert.match(page, /<ins><span class="visually-hidden">inserted: <\/span><bdi dir="ltr">the <\/bdi><\/ins>/);
    assert.match(page, /The headline said the wrong storm\./);

    // Kill: the confirmation says what happens to subscribers; the reason is required.
    page = await (await editor.get(`/desk/stories/${id}/kill`)).text();
    assert.match(page, /Subscribers will be told to remove every version/);
    r = await editor.post(`/desk/stories/${id}/kill`, { reason: '' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /id="f-reason-error"/);
    r = await editor.post(`/desk/stories/${id}/kill`, { reason: 'Legal' });
    assert.equal(r.headers.get('location'), `/desk/stories/${id}?done=killed`);
    page = await (await editor.get(`/desk/stories/${id}`)).text();
    assert.doesNotMatch(page, /data-act="publish"/);

    const events = (await d.rt.store.wire({ limit: 20 })).entries.filter((e) => e.event.storyId === id).map((e) => `${e.event.kind}:${e.event.by.name}`);
    const who = d.users.editor.user.name;
    assert.deepEqual(events.sort(), [`corrected:${who}`, `embargo-lifted:${who}`, `killed:${who}`, `published:${who}`, `updated:${who}`].sort());
    // A refused act (a killed story cannot be published) says why.
    r = await editor.post(`/desk/stories/${id}/publish`);
    assert.equal(r.status, 409);
    assert.match(await r.text(), /was killed/);
    // Nor is a killed story's draft edited: refused with the reason, the process fine.
    const killed = (await d.rt.store.getStory(id))!;
    r = await editor.post(`/desk/stories/${id}/edit`, { ...form(), revision: String(killed.revision) });
    assert.equal(r.status, 409);
    assert.match(await r.text(), /a killed story cannot be edited/);
  });

  it('autosave keeps the revision; a stale save is refused with who saved first and both versions, never overwriting', async () => {
    const id = await create(editor);
    const other = await signInHttp(d.url, (await d.addUser('editor', { name: 'Leyla Editor' })).email, DESK_PASSWORD);
    const s = (await d.rt.store.getStory(id))!;
    await editor.get(`/desk/stories/${id}/edit`);
    const save = (c: DeskClient, headline: string, revision: number) =>
      fetch(`${d.url}/desk/stories/${id}/autosave`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: c.cookie, 'x-csrf-token': c.csrf, accept: 'application/json' },
        body: new URLSearchParams({ ...form({ headline }), revision: String(revision) }),
      });
    let r = await save(editor, 'Mine first', s.revision);
    assert.equal(r.status, 200);
    const { revision } = (await r.json()) as { revision: number };
    assert.equal(revision, s.revision + 1);
    await other.get(`/desk/stories/${id}/edit`);
    r = await save(other, 'Theirs second', revision);
    assert.equal(r.status, 200);
    r = await save(editor, 'Mine <b>again</b>', revision);
    assert.equal(r.status, 409);
    const conflict = (await r.json()) as { updatedBy: string; html: string; revision: number };
    assert.equal(conflict.updatedBy, 'Leyla Editor');
    assert.equal(conflict.revision, revision + 1);
    assert.match(conflict.html, /Leyla Editor saved this draft/);
    assert.match(conflict.html, /Theirs second/);
    assert.match(conflict.html, /Mine &lt;b&gt;again&lt;\/b&gt;/);
    assert.equal((await d.rt.store.getStory(id))!.draft.headline, 'Theirs second', 'nothing overwritten');
    // The form post: the conflict view, the editor's text kept in the form at their revision.
    const page = await editor.post(`/desk/stories/${id}/edit`, { ...form({ headline: 'Mine by form' }), revision: String(revision) });
    assert.equal(page.status, 409);
    const text = await page.text();
    assert.match(text, /data-updated-by="Leyla Editor"/);
    assert.match(text, /value="Mine by form"/);
    assert.match(text, new RegExp(`name="revision" value="${revision + 1}"`));
    // Keep mine, knowingly: the form at their revision saves.
    const keep = await editor.post(`/desk/stories/${id}/edit`, { ...form({ headline: 'Mine by form' }), revision: String(revision + 1) });
    assert.equal(keep.status, 303);
    assert.equal((await d.rt.store.getStory(id))!.draft.headline, 'Mine by form');
  });

  it('translate: a draft joined to the group, opened in the editor beside the original; the group listed on both', async () => {
    const id = await create(editor, { language: 'ar', headline: 'ميناء يعيد فتح أبوابه', bodyText: 'عادت السفن إلى الميناء.' });
    await editor.get(`/desk/stories/${id}`);
    const r = await editor.post(`/desk/stories/${id}/translate`, { language: 'tr' });
    assert.equal(r.status, 303);
    const tid = storyIdOf(r.headers.get('location'));
    assert.match(r.headers.get('location') ?? '', /\/edit\?done=created$/);
    const t = (await d.rt.store.getStory(tid))!;
    assert.equal(t.draft.language, 'tr');
    assert.equal(t.translationGroup, (await d.rt.store.getStory(id))!.translationGroup);
    const edit = await (await editor.get(`/desk/stories/${tid}/edit`)).text();
    assert.match(edit, /<aside class="original"[\s\S]*lang="ar" dir="rtl"[\s\S]*ميناء يعيد فتح أبوابه/);
    const page = await (await editor.get(`/desk/stories/${id}`)).text();
    assert.match(page, new RegExp(`href="/desk/stories/${tid}"`));
    // The same language twice is refused next to the field.
    const again = await editor.post(`/desk/stories/${id}/translate`, { language: 'tr' });
    assert.equal(again.status, 409);
  });

  it('previews show the public abbreviation and the whole story', async () => {
    const long = Array.from({ length: 6 }, (_, i) => `Paragraph number ${i + 1} has enough words to count for the budget of the public site.`).join('\n\n');
    const id = await create(editor, { bodyText: long });
    const page = await (await editor.get(`/desk/stories/${id}/preview`)).text();
    const [pub, subs] = page.split('class="panel preview-subscribers"');
    assert.match(pub, /Paragraph number 1/);
    assert.doesNotMatch(pub, /Paragraph number 6/);
    assert.match(pub, /goes to subscribers only/);
    assert.match(subs, /Paragraph number 6/);
  });

  it('hostile text stays text on the editor, the story page, the preview and the conflict view', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>\u202Egnp.exe';
    const id = await create(editor, { headline: evil, deck: evil, bodyText: evil, byline: evil, slugline: evil, place: evil });
    for (const path of [`/desk/stories/${id}/edit`, `/desk/stories/${id}`, `/desk/stories/${id}/preview`]) {
      const page = await (await editor.get(path)).text();
      assert.doesNotMatch(page, /<script>alert|<img src=x/, path);
      assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, path);
    }
  });

  it('an unknown story is a 404 page', async () => {
    assert.equal((await editor.get('/desk/stories/no-such-story')).status, 404);
    assert.equal((await editor.get('/desk/stories/no-such-story/edit')).status, 404);
    assert.equal((await editor.post('/desk/stories/no-such-story/publish')).status, 404);
  });
});
