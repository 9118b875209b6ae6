// What a reader of the public site sees of imported stories, over real HTTP: archive category codes
// shown as labels in the page's language (never `internationalNews` on an Arabic page), a source that
// gives only a date shown as that date alone (no invented 12:00 AM), and a photo without a usable
// file shown without a placeholder box (its caption stays).
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Importer } from '../../src/flow/importer.ts';
import { sampleContent, tempDir } from '../helpers.ts';
import { startServer, type TestServer } from '../http/server.ts';

let s: TestServer;
const ids: Record<'world' | 'dated' | 'english' | 'noPhoto', string> = { world: '', dated: '', english: '', noPhoto: '' };
before(async () => {
  s = await startServer();
  const file = join(tempDir(), 'archive.jsonl');
  // Our own text, in the archive layout of ../shared/corpus (id, source, category, title, body, date).
  writeFileSync(
    file,
    [
      {
        id: 't-1',
        source: 'newsflow-test',
        category: 'internationalNews',
        title: 'قمة دولية للمناخ تختتم أعمالها',
        body: 'اختتمت القمة الدولية للمناخ أعمالها اليوم بإعلان مشترك.',
        date: '2018-03-05T14:30:00Z',
      },
      {
        id: 't-2',
        source: 'newsflow-test',
        category: null,
        title: 'افتتاح مكتبة عامة جديدة في المدينة',
        body: 'افتتحت البلدية مكتبة عامة جديدة تضم آلاف الكتب.',
        date: '2015-08-01',
      },
      {
        id: 't-3',
        source: 'newsflow-test',
        category: 'middleEast',
        title: 'Regional water talks resume in Amman',
        body: 'Delegations from twelve countries met again on Monday to discuss a shared plan.',
        date: '2018-03-06',
      },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n',
  );
  const report = await new Importer(s.rt.store, s.rt.hub).importFile(file);
  assert.equal(report.imported, 3, JSON.stringify(report.failed));
  [ids.world, ids.dated, ids.english] = report.storyIds!;
  const draft = await s.rt.newsroom.createDraft(
    sampleContent({ headline: 'صورة بلا ملف', photos: [{ url: '', caption: 'المشاركون في قاعة المؤتمر', credit: 'Newsflow Demo Agency' }] }),
    SYSTEM_ACTOR,
  );
  await s.rt.newsroom.publish(draft.id, SYSTEM_ACTOR);
  ids.noPhoto = draft.id;
});
after(async () => {
  await s.close();
});

/** A page of the public site, following the redirect from a story's bare id to its canonical URL. */
async function page(path: string): Promise<string> {
  const r = await fetch(s.url + path);
  assert.equal(r.status, 200, path);
  return r.text();
}
const story = (id: string, lang = 'ar') => page(`/${lang}/x/${id}`);
const times = (html: string) => [...html.matchAll(/<time datetime="([^"]*)">([^<]*)<\/time>/g)].map((m) => ({ datetime: m[1], text: m[2] }));

describe('imported stories on the public site', () => {
  it("archive category codes are shown as labels in the page's language", async () => {
    const home = await page('/ar/');
    assert.doesNotMatch(home, /internationalNews|middleEast/);
    assert.match(home, /<nav class="sections"[\s\S]*?<bdi>العالم<\/bdi>[\s\S]*?<\/nav>/);
    const ar = await story(ids.world);
    assert.doesNotMatch(ar, /internationalNews/, 'no raw code on the story page, its JSON-LD or its links');
    assert.match(ar, /class="kicker" href="\/ar\/category\/[^"]+"><bdi>العالم<\/bdi>/);
    assert.equal((await fetch(`${s.url}/ar/category/internationalnews`)).status, 404, 'no section named after the code');
    const feed = await page('/feeds/ar.atom');
    assert.doesNotMatch(feed, /internationalNews/);
    const en = await story(ids.english, 'en');
    assert.match(en, /class="kicker" href="\/en\/category\/middle-east"><bdi>Middle East<\/bdi>/);
    assert.doesNotMatch(en, /middleEast|الشرق الأوسط/);
  });

  it('the codes stay on the story itself, for products and subject codes', async () => {
    const st = (await (await s.call(`/v1/stories/${ids.world}`)).json()) as { draft: { categories: string[] } };
    assert.deepEqual(st.draft.categories, ['internationalNews', 'العالم']);
  });

  it('a source that gives only a date shows the date alone, on the story page and in lists', async () => {
    const onlyDate = new Intl.DateTimeFormat('ar', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2015-08-01T00:00:00Z'));
    assert.deepEqual(times(await story(ids.dated)), [{ datetime: '2015-08-01', text: onlyDate }]);
    const home = await page('/ar/');
    const card = home.slice(home.indexOf(`data-story="${ids.dated}"`));
    assert.deepEqual(times(card)[0], {
      datetime: '2015-08-01',
      text: new Intl.DateTimeFormat('ar', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date('2015-08-01T00:00:00Z')),
    });
    const en = times(await story(ids.english, 'en'));
    assert.deepEqual(en, [{ datetime: '2018-03-06', text: 'March 6, 2018' }]);
  });

  it('a source that gives a time still shows the time', async () => {
    const [t] = times(await story(ids.world));
    assert.equal(t.datetime, '2018-03-05T14:30:00.000Z');
    assert.equal(
      t.text,
      new Intl.DateTimeFormat('ar', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Istanbul' }).format(new Date('2018-03-05T14:30:00Z')),
    );
  });

  it('a photo without a usable file shows no placeholder box, and keeps its caption', async () => {
    const html = await story(ids.noPhoto);
    assert.doesNotMatch(html, /class="placeholder"|role="img"/);
    assert.doesNotMatch(html, /<img /);
    assert.match(html, /<figure>\s*<figcaption><bdi>المشاركون في قاعة المؤتمر<\/bdi> — <bdi>Newsflow Demo Agency<\/bdi><\/figcaption>/);
  });
});
