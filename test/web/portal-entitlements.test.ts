// The portal's safety matrix: three subscribers with different products (language, category, delay tier,
// embargo rights) over every portal page — wire, live SSE, story page, versions, diffs, translations,
// search hits and facet counts, downloads — and nothing outside a subscriber's entitlements appears.
// What a subscriber does not have answers 404, exactly like what does not exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Subscriber } from '../../src/model/subscribers.ts';
import { userActor } from '../../src/model/users.ts';
import type { StoryContent } from '../../src/model/story.ts';
import { sampleContent } from '../helpers.ts';
import type { DeskClient } from './desk-fixture.ts';
import { signInPortalHttp, startPortal, type PortalFixture } from './portal-fixture.ts';

let f: PortalFixture;
const subs: Record<'A' | 'B' | 'C', Subscriber> = {} as never;
const seats: Record<'A' | 'B' | 'C', DeskClient> = {} as never;
const ids: Record<string, string> = {};
const TOKEN = 'portalmatrixword';
const actor = () => userActor(f.users.editor.user);

function content(key: string, over: Partial<StoryContent>): StoryContent {
  return sampleContent({
    headline: `${over.language === 'ar' ? 'خبر' : 'Story'} ${key} headline`,
    deck: undefined,
    body: [{ type: 'paragraph', text: `${TOKEN} body of ${key} marker${key}marker` }],
    photos: [],
    categories: ['politics'],
    ...over,
  });
}

async function publish(key: string, over: Partial<StoryContent>): Promise<string> {
  const story = await f.rt.newsroom.createDraft(content(key, over), actor());
  await f.rt.newsroom.publish(story.id, actor());
  ids[key] = story.id;
  return story.id;
}

/** Who must see which story; everyone else must not. */
const SEES: Record<string, ('A' | 'B' | 'C')[]> = {
  enPolitics: ['A'],
  arEconomy: ['B'],
  enEconomy: ['A'],
  arSports: [], // C's sports product is delayed an hour: held, not visible yet
  arEmbargo: ['B'], // B has embargo rights
  trNews: ['C'],
  enKilled: ['A'],
  arShift: ['B'], // B gets it from version 2 only
  hostile: ['A'],
};

before(async () => {
  f = await startPortal();
  subs.A = await f.addSubscriber('English daily', { languages: ['en'] });
  subs.B = await f.addSubscriber('Arabic economy', { languages: ['ar'], categories: ['economy'], embargoRights: true });
  const sys = { type: 'system' as const, id: 'system', name: 'test' };
  const tr = await f.rt.admin.createProduct(sys, { name: 'Turkish now', languages: ['tr'] });
  const late = await f.rt.admin.createProduct(sys, { name: 'Sports an hour late', categories: ['sports'], delaySeconds: 3600 });
  subs.C = await f.rt.admin.createSubscriber(sys, { name: 'Late sports and Turkish', products: [tr.id, late.id] });
  for (const k of ['A', 'B', 'C'] as const) {
    const seat = await f.addSeat(subs[k].id);
    seats[k] = await signInPortalHttp(f.url, seat.email, seat.password);
  }
  await publish('enPolitics', { language: 'en', urgency: 2 });
  await publish('arEconomy', { language: 'ar', categories: ['economy'] });
  await f.rt.newsroom.correct(
    ids.arEconomy,
    'figures fixed',
    { body: [{ type: 'paragraph', text: `${TOKEN} corrected body of arEconomy markerarEconomymarker` }] },
    actor(),
  );
  await publish('enEconomy', { language: 'en', categories: ['economy'], translationOf: ids.arEconomy });
  await publish('arSports', { language: 'ar', categories: ['sports'] });
  await publish('arEmbargo', { language: 'ar', categories: ['economy'], embargoUntil: new Date(Date.now() + 3_600_000).toISOString() });
  await publish('trNews', { language: 'tr' });
  await publish('enKilled', { language: 'en' });
  await f.rt.newsroom.kill(ids.enKilled, 'legal <b>risk</b>', actor());
  await publish('arShift', { language: 'ar', categories: ['sports'] });
  await f.rt.newsroom.correct(ids.arShift, 'moved to economy', { categories: ['economy'] }, actor());
  await publish('hostile', { language: 'en', headline: '<script>alert(1)</script><img src=x onerror=alert(2)>' });
  await f.rt.store.search.catchUp();
});
after(async () => f.close());

const storyIdsIn = (body: string) => new Set([...body.matchAll(/data-story="([^"]+)"/g)].map((m) => m[1]));

describe('portal entitlement matrix', () => {
  it('the wire shows each subscriber exactly its stories', async () => {
    for (const k of ['A', 'B', 'C'] as const) {
      const r = await seats[k].get('/portal');
      assert.equal(r.status, 200);
      const body = await r.text();
      const shown = storyIdsIn(body);
      for (const [key, who] of Object.entries(SEES)) {
        assert.equal(shown.has(ids[key]), who.includes(k), `${k} ${who.includes(k) ? 'sees' : 'must not see'} ${key} on the wire`);
        if (!who.includes(k)) assert.ok(!body.includes(`marker${key}marker`), `${k}: no text of ${key}`);
      }
    }
    const b = await (await seats.B.get('/portal')).text();
    assert.match(b, /class="embargo"/, 'B sees the embargo banner');
    const a = await (await seats.A.get('/portal')).text();
    assert.match(a, /data-kind="killed"/, 'the kill is shown as a kill');
    assert.ok(!a.includes('<script>alert(1)</script>') && !a.includes('<img src=x'), 'a hostile headline is inert');
    assert.match(a, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('the wire filters by language, urgency and media without widening anything', async () => {
    const a = storyIdsIn(await (await seats.A.get('/portal?urgency=2')).text());
    assert.deepEqual([...a], [ids.enPolitics]);
    const b = storyIdsIn(await (await seats.B.get('/portal?language=en')).text());
    assert.equal(b.size, 0, 'B asks for English and still gets nothing it is not entitled to');
    const bad = await seats.A.get('/portal?urgency=9&media=film');
    assert.equal(bad.status, 400);
    const body = await bad.text();
    assert.match(body, /urgency is a number from 1/);
    assert.match(body, /media is one of/);
  });

  it('story pages, versions, diffs and downloads answer 404 outside the entitlements', async () => {
    for (const k of ['A', 'B', 'C'] as const) {
      for (const [key, who] of Object.entries(SEES)) {
        const may = who.includes(k);
        const page = await seats[k].get(`/portal/stories/${ids[key]}`);
        assert.equal(page.status, may ? 200 : 404, `${k} story page of ${key}`);
        const text = await page.text();
        if (!may) assert.ok(!text.includes(`marker${key}marker`));
        for (const fmt of ['ninjs', 'ninjs2', 'newsml', 'text', 'html']) {
          const dl = await seats[k].get(`/portal/stories/${ids[key]}/download/${fmt}`);
          const expected = !may ? 404 : key === 'enKilled' ? 410 : 200;
          assert.equal(dl.status, expected, `${k} download ${fmt} of ${key}`);
          if (expected === 200) {
            assert.match(dl.headers.get('content-disposition') ?? '', /^attachment; filename="/);
            assert.match(await dl.text(), new RegExp(`marker${key}marker`));
          } else await dl.arrayBuffer();
        }
      }
    }
    assert.equal((await seats.A.get('/portal/stories/not-an-id')).status, 404);
    assert.equal((await seats.A.get('/portal/stories/01aaaaaaaaaaaaaaaaaaaaaaaa')).status, 404);
  });

  it('versions: only those the subscriber received; a killed story shows why and no text', async () => {
    const b = await (await seats.B.get(`/portal/stories/${ids.arShift}`)).text();
    assert.match(b, /data-version="2"/);
    assert.doesNotMatch(b, /data-version="1"/, 'B never received version 1 (sports)');
    assert.equal((await seats.B.get(`/portal/stories/${ids.arShift}/versions/1`)).status, 404);
    assert.equal((await seats.B.get(`/portal/stories/${ids.arShift}/diff/1/2`)).status, 404);
    assert.equal((await seats.B.get(`/portal/stories/${ids.arShift}/versions/2`)).status, 200);
    const diff = await seats.B.get(`/portal/stories/${ids.arEconomy}/diff/1/2`);
    assert.equal(diff.status, 200);
    const d = await diff.text();
    assert.match(d, /<ins>(?:(?!<\/ins>)[\s\S])*corrected/);
    assert.equal((await seats.A.get(`/portal/stories/${ids.arEconomy}/diff/1/2`)).status, 404);
    const killed = await (await seats.A.get(`/portal/stories/${ids.enKilled}`)).text();
    assert.match(killed, /This story was withdrawn/);
    assert.match(killed, /legal &lt;b&gt;risk&lt;\/b&gt;/, 'the reason, escaped');
    assert.ok(!killed.includes('markerenKilledmarker'), 'the withdrawn text is not shown');
    assert.equal((await seats.A.get(`/portal/stories/${ids.enKilled}/versions/1`)).status, 404);
  });

  it('translations: only those the subscriber is entitled to', async () => {
    const a = await (await seats.A.get(`/portal/stories/${ids.enEconomy}`)).text();
    assert.ok(!a.includes(`data-translation="${ids.arEconomy}"`), 'A has no Arabic: the original is not listed');
    const b = await (await seats.B.get(`/portal/stories/${ids.arEconomy}`)).text();
    assert.ok(!b.includes(`data-translation="${ids.enEconomy}"`), 'B has no English: the translation is not listed');
    assert.match(b, /lang="ar" dir="rtl"/);
    // A subscriber with both languages sees the pair.
    const both = await f.addSubscriber('Both', { languages: ['ar', 'en'] });
    const seat = await f.addSeat(both.id, { language: 'ar' });
    const c = await signInPortalHttp(f.url, seat.email, seat.password);
    const page = await (await c.get(`/portal/stories/${ids.enEconomy}`)).text();
    assert.ok(page.includes(`data-translation="${ids.arEconomy}"`));
    assert.match(page, /<html lang="ar" dir="rtl">/);
    assert.match(page, /class="story-text" lang="en" dir="ltr"/, 'an English story stays left to right in the Arabic interface');
  });

  it('search: hits, totals and facet counts only of entitled stories', async () => {
    for (const k of ['A', 'B', 'C'] as const) {
      const r = await seats[k].get(`/portal/search?q=${TOKEN}&sort=recency`);
      assert.equal(r.status, 200);
      const body = await r.text();
      const hits = storyIdsIn(body);
      const expected = Object.entries(SEES)
        .filter(([key, who]) => who.includes(k) && key !== 'enKilled')
        .map(([key]) => ids[key]);
      for (const [key] of Object.entries(SEES)) {
        if (!expected.includes(ids[key])) assert.ok(!hits.has(ids[key]), `${k} must not find ${key}`);
      }
      const total = Number(/data-total="(\d+)"/.exec(body)?.[1]);
      assert.equal(total, hits.size, `${k}: the total counts only what it may see`);
      const langCounts = [...body.matchAll(/data-facet="language">[\s\S]*?<\/div>/g)].join('');
      const sum = [...langCounts.matchAll(/<span class="count">(\d+)<\/span>/g)].reduce((s, m) => s + Number(m[1]), 0);
      assert.equal(sum, total, `${k}: facet counts add up to the entitled total`);
      if (k === 'B') assert.ok(!/data-value="en"/.test(langCounts), 'B sees no English facet');
    }
    const bad = await seats.A.get('/portal/search?q=%22unclosed&from=2026-13-45');
    assert.equal(bad.status, 400);
    const text = await bad.text();
    assert.match(text, /a date is written YYYY-MM-DD/);
  });

  it('the live wire (SSE) carries only entitled stories, within a second', async () => {
    const streams = await Promise.all((['A', 'B', 'C'] as const).map(async (k) => ({ k, s: await openLive(seats[k]) })));
    const started = Date.now();
    await publish('liveEn', { language: 'en', urgency: 1 });
    await publish('liveAr', { language: 'ar', categories: ['economy'] });
    await publish('liveArSports', { language: 'ar', categories: ['sports'] });
    await publish('liveTr', { language: 'tr' });
    const a = await streams[0].s.until((t) => t.includes(ids.liveEn));
    // C's held sports story (an hour's delay) does not hold up its Turkish story behind it.
    await streams[2].s.until((t) => t.includes(ids.liveTr));
    assert.ok(Date.now() - started < 1500, 'arrived within about a second');
    await streams[1].s.until((t) => t.includes(ids.liveAr));
    await new Promise((r) => setTimeout(r, 300));
    for (const { k, s } of streams) {
      const text = s.text();
      assert.equal(text.includes(ids.liveEn), k === 'A', `${k} live liveEn`);
      assert.equal(text.includes(ids.liveAr), k === 'B', `${k} live liveAr`);
      assert.ok(!text.includes(ids.liveArSports), `${k}: the delayed sports story is held`);
      assert.equal(text.includes(ids.liveTr), k === 'C', `${k} live liveTr`);
      s.close();
    }
    assert.match(a, /event: story/);
  });
});

describe('portal delay tier', () => {
  it('a delayed tier gets a story on the live wire when its delay has passed, not before', async () => {
    const late = await f.addSubscriber('One second late', { languages: ['en'], delaySeconds: 1 });
    const seat = await f.addSeat(late.id);
    const c = await signInPortalHttp(f.url, seat.email, seat.password);
    const live = await openLive(c);
    const started = Date.now();
    await publish('delayed', { language: 'en' });
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(!live.text().includes(ids.delayed), 'held during the delay');
    assert.equal((await c.get(`/portal/stories/${ids.delayed}`)).status, 404, 'its page too');
    await live.until((t) => t.includes(ids.delayed), 4000);
    assert.ok(Date.now() - started >= 1000);
    assert.equal((await c.get(`/portal/stories/${ids.delayed}`)).status, 200);
    live.close();
  });
});

/** A session-authenticated SSE reader of /portal/live. */
async function openLive(c: DeskClient) {
  const page = await (await c.get('/portal')).text();
  const live = /data-live="([^"]+)"/.exec(page)![1].replaceAll('&amp;', '&');
  const ac = new AbortController();
  const r = await fetch(f.url + live, { headers: { cookie: c.cookie }, signal: ac.signal });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
  let buf = '';
  const reader = r.body!.getReader();
  const waiters: (() => void)[] = [];
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += new TextDecoder().decode(value);
        for (const w of waiters.splice(0)) w();
      }
    } catch {
      // aborted
    }
  })();
  return {
    text: () => buf,
    close: () => ac.abort(),
    async until(ok: (t: string) => boolean, ms = 3000): Promise<string> {
      const end = Date.now() + ms;
      while (!ok(buf)) {
        if (Date.now() > end) throw new Error(`the live wire did not deliver in ${ms} ms; got: ${buf.slice(0, 500)}`);
        await new Promise<void>((res) => {
          waiters.push(res);
          setTimeout(res, 100);
        });
      }
      return buf;
    },
  };
}
