// NEWSFLOW_SITE_BUDGET: the abbreviation budget set without code. Parsing and the fallback on garbage, and a
// site started with a smaller budget showing a smaller public part of the seed story.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { abbreviateBody, DEFAULT_BUDGET } from '../../src/web/abbreviate.ts';
import { budgetFromEnv, parseBudget } from '../../src/web/budget.ts';
import { startSite, type SiteFixture } from './site-fixture.ts';

test('budgets parse; garbage falls back to the default with a warning', () => {
  assert.deepEqual(parseBudget('paragraphs=2,words=80'), { paragraphs: 2, words: 80 });
  assert.deepEqual(parseBudget(' words = 40 '), { paragraphs: DEFAULT_BUDGET.paragraphs, words: 40 });
  assert.deepEqual(parseBudget('paragraphs=1'), { paragraphs: 1, words: DEFAULT_BUDGET.words });
  for (const bad of ['', 'lots', 'paragraphs=0', 'words=-5', 'words=1e3', 'words=5', 'paragraphs=2;words=80', 'words=80,words=90', 'pages=3', 'words=99999']) {
    assert.equal(parseBudget(bad), null, bad);
  }
  const warnings: string[] = [];
  assert.deepEqual(
    budgetFromEnv('paragraphs=two', (m) => warnings.push(m)),
    DEFAULT_BUDGET,
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /NEWSFLOW_SITE_BUDGET/);
  assert.deepEqual(
    budgetFromEnv(undefined, (m) => warnings.push(m)),
    DEFAULT_BUDGET,
  );
  assert.deepEqual(
    budgetFromEnv('paragraphs=1,words=20', (m) => warnings.push(m)),
    { paragraphs: 1, words: 20 },
  );
  assert.equal(warnings.length, 1);
});

let f: SiteFixture;
const SMALL = 'paragraphs=1,words=20';
before(async () => {
  f = await startSite({ NEWSFLOW_SITE_BUDGET: SMALL });
});
after(async () => {
  await f?.close();
});

test('a different NEWSFLOW_SITE_BUDGET changes the public part of a story', async () => {
  const r1 = await f.app.inject({ method: 'GET', url: `/ar/x/${f.seedId}` });
  const page = await f.app.inject({ method: 'GET', url: String(r1.headers.location) });
  assert.equal(page.statusCode, 200);
  const body = f.seed.content.body;
  const small = abbreviateBody(body, 'ar', parseBudget(SMALL)!).blocks.map((b) => ('text' in b ? b.text : ''));
  const normal = abbreviateBody(body, 'ar', DEFAULT_BUDGET).blocks.map((b) => ('text' in b ? b.text : ''));
  assert.ok(small.join(' ').length < normal.join(' ').length, 'the smaller budget shows less');
  // The page shows the small part and not what only the default budget would have shown.
  const text = page.body.replace(/<[^>]+>/g, '');
  for (const t of small) assert.ok(text.includes(t.slice(0, 30)), `shown: ${t.slice(0, 30)}`);
  const onlyDefault = normal.find((t) => !small.some((s) => t.startsWith(s)) || t.length > (small.find((s) => t.startsWith(s))?.length ?? 0));
  assert.ok(onlyDefault, 'the default shows something the small budget does not');
  const extra = small.some((s) => onlyDefault.startsWith(s)) ? onlyDefault.slice(small.find((s) => onlyDefault.startsWith(s))!.length) : onlyDefault;
  assert.ok(!text.includes(extra.trim().slice(0, 30)), `not shown: ${extra.trim().slice(0, 30)}`);
  assert.match(page.body, /class="cta"/);
});
