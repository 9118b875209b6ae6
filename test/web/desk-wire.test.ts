// The wire monitor, the story lists and the archive search over real HTTP on a real store: filters
// narrow the rows (and a bad one is answered next to its field), the live stream sends new events
// after the page's newest and resumes from Last-Event-ID, the lists per status hold the review queue
// after a submit, and search answers with facets and highlighted snippets while hostile input stays inert.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { userActor } from '../../src/model/users.ts';
import { DESK_PASSWORD, signInHttp, startDesk, type DeskClient, type DeskFixture } from './desk-fixture.ts';

const rows = (body: string) =>
  [...body.matchAll(/<tr data-seq="(\d+)" data-story="([^"]+)" data-kind="([^"]+)"/g)].map((m) => ({ seq: Number(m[1]), story: m[2], kind: m[3] }));

describe('wire monitor, lists and search over HTTP', () => {
  let d: DeskFixture;
  let editor: DeskClient;
  const ids: Record<string, string> = {};
  before(async () => {
    d = await startDesk();
    editor = await signInHttp(d.url, d.users.editor.email, DESK_PASSWORD);
    const by = userActor(d.users.editor.user);
    const nr = d.rt.newsroom;
    const make = async (name: string, input: Record<string, unknown>) => {
      const s = await nr.createDraft({ body: [{ type: 'paragraph', text: `${name} body text.` }], ...input }, by);
      ids[name] = s.id;
      return s;
    };
    await make('flash', { language: 'en', headline: 'Flash quake strikes the coast', categories: ['sport'], urgency: 1, desk: 'world' });
    await nr.publish(ids.flash, by);
    await make('arabic', {
      language: 'ar',
      headline: 'افتتاح معرض الكتاب في إسطنبول',
      body: [{ type: 'paragraph', text: 'افتتح معرض الكتاب أبوابه اليوم بمشاركة ناشرين من المكتبات.' }],
      categories: ['ثقافة'],
      urgency: 3,
      desk: 'culture',
    });
    await nr.publish(ids.arabic, by);
    await make('killed', { language: 'en', headline: 'Story to withdraw', urgency: 4 });
    await nr.publish(ids.killed, by);
    await nr.kill(ids.killed, 'legal', by);
    await make('embargo', { language: 'en', headline: 'Embargoed results', urgency: 2, embargoUntil: new Date(Date.now() + 86_400_000).toISOString() });
    await nr.publish(ids.embargo, by);
    await make('hostile', { language: 'en', headline: '<script>window.pwned=1</script>\u202Eevil', urgency: 5 });
    await nr.publish(ids.hostile, by);
    await make('draft', { language: 'tr', headline: 'Taslak haber', desk: 'economy' });
    const reporter = userActor(d.users.reporter.user);
    await make('submitted', { language: 'en', headline: 'Reporter asks for review' });
    await nr.submit(ids.submitted, reporter);
  });
  after(async () => d?.close());

  it('lists the flow newest first with urgency, language, category and who did it', async () => {
    const r = await editor.get('/desk');
    assert.equal(r.status, 200);
    const body = await r.text();
    const list = rows(body);
    assert.equal(list.length, 6, 'four publishes, a kill and an embargoed publish');
    assert.deepEqual(
      list.map((x) => x.seq),
      [...list.map((x) => x.seq)].sort((a, b) => b - a),
    );
    assert.equal(list[1].kind, 'published');
    assert.ok(list.some((x) => x.kind === 'killed' && x.story === ids.killed));
    assert.match(body, /<span class="urgency u1" data-urgency="1">1 Flash<\/span>/);
    assert.match(body, /Medium Topic|medtop:/);
    assert.match(body, new RegExp(`<bdi>${d.users.editor.user.name}</bdi>`));
    assert.match(body, new RegExp(`<a href="/desk/stories/${ids.arabic}" lang="ar" dir="rtl">افتتاح معرض الكتاب في إسطنبول</a>`));
    // Hostile text stays text, with its bidi override dropped.
    assert.ok(!body.includes('<script>window.pwned'));
    assert.match(body, /&lt;script&gt;window.pwned=1&lt;\/script&gt;evil/);
    assert.match(body, /<table id="wire" class="wire" data-stream="\/desk\/wire\/stream\?after=\d+"/);
  });

  it('filters narrow the rows, pages go older by keyset, a bad filter is answered next to its field', async () => {
    const byLang = rows(await (await editor.get('/desk?language=ar')).text());
    assert.deepEqual(
      byLang.map((x) => x.story),
      [ids.arabic],
    );
    const byUrgency = rows(await (await editor.get('/desk?urgency=1')).text());
    assert.deepEqual(
      byUrgency.map((x) => x.story),
      [ids.flash],
    );
    const byCategory = rows(await (await editor.get(`/desk?category=${encodeURIComponent('ثقافة')}`)).text());
    assert.deepEqual(
      byCategory.map((x) => x.story),
      [ids.arabic],
    );
    const kills = rows(await (await editor.get('/desk?kind=killed')).text());
    assert.deepEqual(
      kills.map((x) => x.story),
      [ids.killed],
    );
    const embargoed = rows(await (await editor.get('/desk?embargoed=yes')).text());
    assert.deepEqual(
      embargoed.map((x) => x.story),
      [ids.embargo],
    );
    const free = rows(await (await editor.get('/desk?embargoed=no')).text());
    assert.equal(free.length, 5);
    assert.ok(!free.some((x) => x.story === ids.embargo));
    const all = rows(await (await editor.get('/desk')).text());
    const older = rows(await (await editor.get(`/desk?before=${all[2].seq}`)).text());
    assert.deepEqual(
      older.map((x) => x.seq),
      all.slice(3).map((x) => x.seq),
    );
    // A filter nothing matches yet still follows from the head, not from the start of the log.
    const none = await (await editor.get('/desk?language=fa')).text();
    assert.equal(rows(none).length, 0);
    assert.match(none, new RegExp(`data-stream="/desk/wire/stream\\?language=fa&amp;after=${await d.rt.store.headSeq()}"`));
    const bad = await editor.get('/desk?urgency=12&kind=%3Cscript%3E');
    assert.equal(bad.status, 400);
    const text = await bad.text();
    assert.match(text, /id="filter-urgency-error" role="alert">an urgency from 1 \(flash\) to 9</);
    assert.match(text, /id="filter-kind-error" role="alert">one of published/);
    assert.ok(!text.includes('<script>'));
  });

  it('the stream sends new events after the page, filtered, and resumes from Last-Event-ID', async () => {
    const head = await d.rt.store.headSeq();
    const ctl = new AbortController();
    const r = await fetch(`${d.url}/desk/wire/stream?after=${head}&language=en`, { headers: { cookie: editor.cookie }, signal: ctl.signal });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = r.body!.getReader();
    const by = userActor(d.users.editor.user);
    const ar = await d.rt.newsroom.createDraft({ language: 'ar', headline: 'خبر لا يمر من التصفية', body: [{ type: 'paragraph', text: 'نص.' }] }, by);
    await d.rt.newsroom.publish(ar.id, by);
    const en = await d.rt.newsroom.createDraft({ language: 'en', headline: 'Live <b>English</b> story', body: [{ type: 'paragraph', text: 'Text.' }] }, by);
    const published = await d.rt.newsroom.publish(en.id, by);
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('event: entry')) text += decoder.decode((await reader.read()).value);
    while (!text.endsWith('\n\n')) text += decoder.decode((await reader.read()).value);
    ctl.abort();
    const events = [...text.matchAll(/id: (\d+)\nevent: entry\ndata: (.*)\n\n/g)];
    assert.equal(events.length, 1, `only the English publish passes the filter: ${text}`);
    assert.equal(Number(events[0][1]), published.event.seq);
    const data = JSON.parse(events[0][2]) as { seq: number; html: string; announce: string };
    assert.match(data.html, new RegExp(`data-story="${en.id}"`));
    assert.match(data.html, /Live &lt;b&gt;English&lt;\/b&gt; story/);
    assert.match(data.announce, /^4 Routine: Published: Live <b>English<\/b> story$/);
    // A reconnect with Last-Event-ID gets what came after it, even without the page's position.
    const ctl2 = new AbortController();
    const again = await fetch(`${d.url}/desk/wire/stream?language=en`, {
      headers: { cookie: editor.cookie, 'last-event-id': String(published.event.seq - 3) },
      signal: ctl2.signal,
    });
    const reader2 = again.body!.getReader();
    let text2 = '';
    while (!text2.includes(`data-story=\\"${en.id}\\"`)) text2 += decoder.decode((await reader2.read()).value);
    ctl2.abort();
    assert.match(text2, new RegExp(`id: ${published.event.seq}\nevent: entry\n`));
    // Signed out, or with a bad filter, there is no stream.
    const anon = await fetch(`${d.url}/desk/wire/stream`, { redirect: 'manual' });
    assert.equal(anon.status, 303);
    const bad = await fetch(`${d.url}/desk/wire/stream?urgency=0`, { headers: { cookie: editor.cookie } });
    assert.equal(bad.status, 400);
  });

  it('story lists per status, the review queue after a submit, by language and desk, keyset pages', async () => {
    const story = (body: string) => [...body.matchAll(/<tr data-story="([^"]+)" data-status="([^"]+)"/g)].map((m) => ({ id: m[1], status: m[2] }));
    const queue = await editor.get('/desk/stories?status=submitted');
    assert.equal(queue.status, 200);
    const qb = await queue.text();
    assert.deepEqual(
      story(qb).map((s) => s.id),
      [ids.submitted],
    );
    assert.match(qb, /The editors’ review queue/);
    assert.match(qb, new RegExp(`Submitted by <bdi>${d.users.reporter.user.name}</bdi>`));
    assert.match(qb, /aria-current="page" data-status="submitted"/);
    assert.match(qb, new RegExp(`href="/desk/stories/${ids.submitted}/edit"`));
    const drafts = story(await (await editor.get('/desk/stories?status=draft')).text());
    assert.deepEqual(
      drafts.map((s) => s.id),
      [ids.draft],
    );
    const killed = story(await (await editor.get('/desk/stories?status=killed')).text());
    assert.deepEqual(
      killed.map((s) => s.id),
      [ids.killed],
    );
    const embargoed = story(await (await editor.get('/desk/stories?status=embargoed')).text());
    assert.deepEqual(
      embargoed.map((s) => s.id),
      [ids.embargo],
    );
    const publishedAr = story(await (await editor.get('/desk/stories?status=published&language=ar')).text());
    assert.ok(publishedAr.some((s) => s.id === ids.arabic));
    assert.ok(!publishedAr.some((s) => s.id === ids.flash));
    const culture = await (await editor.get('/desk/stories?desk=culture')).text();
    assert.deepEqual(
      story(culture).map((s) => s.id),
      [ids.arabic],
    );
    assert.match(culture, /<a href="\/desk\/stories\/[^"]+" lang="ar" dir="rtl">/);
    // Keyset pages: 55 drafts make two pages of the drafts tab, newest first, none twice.
    const by = userActor(d.users.editor.user);
    for (let i = 0; i < 55; i++) await d.rt.newsroom.createDraft({ language: 'en', headline: `Bulk draft ${i}`, body: [] }, by);
    const first = await (await editor.get('/desk/stories?status=draft')).text();
    const next = /<a rel="next" href="([^"]+)"/.exec(first);
    assert.ok(next, 'an Older link');
    const second = await (await editor.get(next[1].replaceAll('&amp;', '&'))).text();
    const seen = [...story(first), ...story(second)].map((s) => s.id);
    assert.equal(seen.length, 56);
    assert.equal(new Set(seen).size, 56);
    const bad = await editor.get('/desk/stories?status=lost&after=nope');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /status: not a value this filter takes/);
  });

  it('archive search: Arabic analysis, facets that refine, escaped highlighted snippets, killed stories gone, bad queries answered at the field', async () => {
    const r = await editor.get(`/desk/search?q=${encodeURIComponent('المكتبة')}`);
    assert.equal(r.status, 200);
    const body = await r.text();
    assert.match(body, new RegExp(`<li data-story="${ids.arabic}"`), 'المكتبة finds المكتبات through the Arabic analysis');
    assert.match(body, /<mark>المكتبات<\/mark>/);
    assert.match(body, /<h2 id="results-title">1 story<\/h2>/);
    assert.match(body, /href="\/desk\/search\?q=[^"]*&amp;lang=ar">ar<\/a> <span class="count">\(1\)<\/span>/);
    const all = await (await editor.get('/desk/search?q=body')).text();
    assert.match(all, /<h2 id="results-title">\d+ stories<\/h2>/);
    assert.ok(!all.includes(`data-story="${ids.killed}"`), 'a killed story is out of search');
    assert.match(all, new RegExp(`<li data-story="${ids.embargo}"[^]*?Under embargo`), 'staff find embargoed stories, marked');
    const refined = await (await editor.get('/desk/search?q=body&urgency=1')).text();
    assert.match(refined, /<h2 id="results-title">1 story<\/h2>/);
    assert.match(refined, /Remove filter/);
    const hostile = await editor.get(`/desk/search?q=${encodeURIComponent('"<img src=x onerror=alert(1)>')}`);
    assert.equal(hostile.status, 400);
    const hb = await hostile.text();
    assert.match(hb, /id="search-error" role="alert">The query cannot be read: /);
    assert.ok(!hb.includes('<img src=x'));
    assert.match(hb, /value="&quot;&lt;img src=x onerror=alert\(1\)&gt;"/);
    const script = await (await editor.get(`/desk/search?q=${encodeURIComponent('script pwned')}`)).text();
    assert.ok(!script.includes('<script>window'));
    const long = await editor.get(`/desk/search?q=${'a'.repeat(5000)}`);
    assert.equal(long.status, 400);
    assert.match(await long.text(), /id="search-error" role="alert">The query is 5000 characters long/);
  });
});

describe('wire stream and shutdown', () => {
  it('an open wire stream does not hold the server open when it closes', async () => {
    const d = await startDesk();
    const editor = await signInHttp(d.url, d.users.editor.email, DESK_PASSWORD);
    const r = await fetch(`${d.url}/desk/wire/stream`, { headers: { cookie: editor.cookie } });
    assert.equal(r.status, 200);
    const reader = r.body!.getReader();
    await reader.read();
    const started = Date.now();
    await Promise.race([d.close(), new Promise((_, reject) => setTimeout(() => reject(new Error('close waited on the stream')), 5000))]);
    assert.ok(Date.now() - started < 5000);
    let rest = '';
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) break;
      rest += new TextDecoder().decode(chunk.value);
    }
    assert.match(rest, /closed: server shutting down/);
  });
});
