// The rich body editor in a real browser (Debian's Chromium through playwright-core): a minimal page
// from a real Fastify server on loopback, with the real bundle from dist/client served by the assets
// plugin. Arabic is typed and shaped into every block type and read back exactly; Word-like paste is
// reduced to the model's blocks; direction follows the language; counts update; the form posts the
// blocks (and, without JavaScript, the textarea's paragraphs); axe finds nothing serious; the editor's
// JavaScript stays within 250 KB compressed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { REPO } from '../helpers.ts';
import { launchBrowser, needChromium } from './site-fixture.ts';
import { clientAssetsPlugin, clientScriptUrl } from '../../src/web/client-assets.ts';
import { bodyFromForm, storyEditorField, type EditorInterfaceLanguage } from '../../src/web/story-editor.ts';
import { html } from '../../src/web/html.ts';
import { bodyCounts } from '../../src/model/body-doc.ts';
import type { Block } from '../../src/model/story.ts';
import { directionOf } from '../../src/model/story.ts';

let app: FastifyInstance;
let url: string;
let browser: Browser;
const posted: { body: Block[] }[] = [];

const START: Block[] = [{ type: 'paragraph', text: 'نص موجود' }];

before(async () => {
  needChromium();
  // The bundles as the sources are now (npm test builds them first; a lone run of this file after an edit too).
  const buildScript = join(REPO, 'scripts/build.mjs');
  const { build } = (await import(buildScript)) as { build: () => Promise<string | undefined> };
  const error = await build();
  if (error) throw new Error(error);
  app = Fastify();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  await app.register(clientAssetsPlugin);
  await app.register(clientAssetsPlugin); // a second plugin (desk and portal) registering it adds nothing
  app.get<{ Querystring: { lang?: string; ui?: EditorInterfaceLanguage } }>('/editor', async (req, reply) => {
    const lang = req.query.lang ?? 'ar';
    const ui = req.query.ui ?? (lang === 'ar' ? 'ar' : 'en');
    const src = clientScriptUrl('editor');
    return reply.type('text/html; charset=utf-8').send(
      html`<!doctype html>
<html lang="${ui}" dir="${directionOf(ui)}"><head><meta charset="utf-8"><title>Editor test</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Editor test</h1>
<form method="post" action="/post">
<label for="language">Language</label>
<select id="language" name="language"><option value="ar"${lang === 'ar' ? ' selected' : ''}>العربية</option><option value="en"${lang === 'en' ? ' selected' : ''}>English</option></select>
${storyEditorField({ label: ui === 'ar' ? 'نص الخبر' : 'Body', blocks: START, language: lang, interfaceLanguage: ui })}
<button type="submit">Save</button>
</form></main>
<script type="module" src="${src}"></script>
<script type="module">import { editors } from '${src}'; window.storyEditors = editors;</script>
</body></html>`.value,
    );
  });
  app.post('/post', async (req) => {
    const body = bodyFromForm(req.body as Record<string, unknown>);
    posted.push({ body });
    return { body };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

async function open(path: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + path, { waitUntil: 'load' });
  if (javaScriptEnabled) {
    await page.waitForFunction(() => (window as any).storyEditors?.size === 1);
    assert.deepEqual(errors, []);
  }
  return page;
}

const blocksOf = (page: Page) => page.evaluate(() => [...(window as any).storyEditors.values()][0].getBlocks() as Block[]);
const hiddenField = (page: Page) => page.evaluate(() => JSON.parse((document.querySelector('input[type=hidden][name=body]') as HTMLInputElement).value));

test('Arabic typed into every block type reads back exactly, right to left, with live counts and the blocks in the form field', async () => {
  const page = await open('/editor?lang=ar');
  const area = page.locator('.story-editor-text');
  assert.equal(await area.getAttribute('dir'), 'rtl');
  assert.equal(await area.getAttribute('lang'), 'ar');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.story-editor-text p')!).direction), 'rtl');
  assert.equal(await page.locator('textarea[name=bodyText]').isDisabled(), true, 'the fallback textarea no longer posts');
  assert.equal(await page.locator('style').count(), 0, 'no <style> element (a strict CSP stays possible)');
  assert.match(await area.evaluate((e) => getComputedStyle(e).whiteSpace), /^(pre-wrap|break-spaces)$/, "ProseMirror's own rules apply");
  assert.deepEqual(await blocksOf(page), START);

  // Replace the text, then: a paragraph, a subheading (toolbar), a quote with attribution (keyboard), a list.
  await area.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('قال المتحدث إن الاجتماع انتهى مع وفد من Reuters.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ردود الفعل');
  await page.getByRole('button', { name: 'عنوان فرعي' }).click();
  assert.equal(await page.getByRole('button', { name: 'عنوان فرعي' }).getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+9');
  await page.keyboard.type('لن نتراجع عن موقفنا');
  await page.keyboard.press('Enter');
  await page.keyboard.type('وزير الخارجية');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'قائمة نقطية' }).click();
  await page.keyboard.type('أولًا');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ثانيًا');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // an empty item leaves the list
  await page.keyboard.press('Control+Shift+7');
  await page.keyboard.type('واحد');
  await page.keyboard.press('Enter');
  await page.keyboard.type('اثنان');

  const expected: Block[] = [
    { type: 'paragraph', text: 'قال المتحدث إن الاجتماع انتهى مع وفد من Reuters.' },
    { type: 'subheading', text: 'ردود الفعل' },
    { type: 'quote', text: 'لن نتراجع عن موقفنا', attribution: 'وزير الخارجية' },
    { type: 'list', ordered: false, items: ['أولًا', 'ثانيًا'] },
    { type: 'list', ordered: true, items: ['واحد', 'اثنان'] },
  ];
  assert.deepEqual(await blocksOf(page), expected);
  assert.deepEqual(await hiddenField(page), expected);
  // Every block isolates its own direction; the Latin run inside the Arabic paragraph is laid out inside it.
  assert.deepEqual(await page.locator('.story-editor-text > *').evaluateAll((els) => els.map((e) => `${e.tagName}:${e.getAttribute('dir')}`)), [
    'P:auto',
    'H2:auto',
    'BLOCKQUOTE:auto',
    'UL:auto',
    'OL:auto',
  ]);
  const counts = bodyCounts(expected);
  const shown = await page.evaluate(
    (c) => {
      const nf = new Intl.NumberFormat('ar');
      return { text: document.querySelector('.story-editor-counts')!.textContent, expected: `${nf.format(c.characters)} حرفًا، ${nf.format(c.words)} كلمة` };
    },
    { characters: counts.characters, words: counts.words },
  );
  assert.equal(shown.text, shown.expected);

  // A plain form post carries the blocks.
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`${url}/post`);
  assert.deepEqual(posted.at(-1)?.body, expected);
  await page.context().close();
});

test('toggling a block type back gives paragraphs, and the language field turns the direction', async () => {
  const page = await open('/editor?lang=en&ui=en');
  const area = page.locator('.story-editor-text');
  assert.equal(await area.getAttribute('dir'), 'ltr');
  await area.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Heading here');
  await page.getByRole('button', { name: 'Subheading' }).click();
  assert.deepEqual(await blocksOf(page), [{ type: 'subheading', text: 'Heading here' }]);
  await page.getByRole('button', { name: 'Subheading' }).click();
  assert.deepEqual(await blocksOf(page), [{ type: 'paragraph', text: 'Heading here' }]);
  assert.match((await page.locator('.story-editor-counts').textContent()) ?? '', /^12 characters, 2 words$/);
  await page.selectOption('#language', 'ar');
  assert.equal(await area.getAttribute('dir'), 'rtl');
  assert.equal(await area.getAttribute('lang'), 'ar');

  // Backspace walks out of a quote: from the attribution to the text, and an empty quote becomes a paragraph.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+9');
  await page.keyboard.type('Q');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  assert.equal(await page.locator('.story-editor-text blockquote').count(), 0);
  await page.keyboard.type('after');
  assert.deepEqual(await blocksOf(page), [
    { type: 'paragraph', text: 'Heading here' },
    { type: 'paragraph', text: 'after' },
  ]);

  // The API a page embeds: mount with blocks and a language, onChange on every edit, setLanguage, destroy.
  // As a string: tsx would wrap the test's named functions in a helper the page does not have.
  const src = await page.evaluate(() => (document.querySelector('script[src]') as HTMLScriptElement).src);
  const api = await page.evaluate(`(async () => {
    const { mount } = await import(${JSON.stringify(src)});
    const host = document.createElement('div');
    document.querySelector('main').append(host);
    const seen = [];
    const ed = mount(host, { blocks: [{ type: 'quote', text: 'שלום', attribution: 'דובר' }], language: 'he', fieldName: '', onChange: (b) => seen.push(b) });
    const area = host.querySelector('.story-editor-text');
    const dirBefore = area.getAttribute('dir');
    ed.editor.commands.insertContentAt(2, 'x');
    ed.setLanguage('tr');
    const after = { dir: area.getAttribute('dir'), lang: area.getAttribute('lang'), hidden: host.querySelectorAll('input').length };
    const blocks = ed.getBlocks();
    ed.destroy();
    return { dirBefore, after, seen, blocks, left: host.children.length };
  })()`);
  assert.deepEqual(api, {
    dirBefore: 'rtl',
    after: { dir: 'ltr', lang: 'tr', hidden: 0 },
    seen: [[{ type: 'quote', text: 'xשלום', attribution: 'דובר' }]],
    blocks: [{ type: 'quote', text: 'xשלום', attribution: 'דובר' }],
    left: 0,
  });
  await page.context().close();
});

test('the toolbar is one tab stop, arrow keys move along it in the page direction, and buttons work from the keyboard', async () => {
  const page = await open('/editor?lang=en&ui=en');
  await page.locator('.story-editor-text').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('item');
  await page.getByRole('button', { name: 'Paragraph' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Bulleted list');
  assert.deepEqual(
    await page.locator('.story-editor-toolbar button').evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).tabIndex)),
    [-1, -1, -1, 0, -1],
  );
  await page.keyboard.press('Enter');
  assert.deepEqual(await blocksOf(page), [{ type: 'list', ordered: false, items: ['item'] }]);
  await page.context().close();
});

const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{color:red} body{display:none}</style>
<script>window.pwned = 1</script></head><body>
<h1 style="font-size:40px">Word <span style="color:red">title</span></h1>
<p class=MsoNormal style="margin:0"><b>Bold</b> and <i>italic</i> <a href="javascript:window.pwned=2">a link</a><o:p></o:p></p>
<p class=MsoListParagraph><!--[if !supportLists]--><span style='mso-list:Ignore'>·<span>&nbsp;&nbsp;</span></span><!--[endif]-->Word bullet</p>
<table><tr><td>cell one</td><td>cell two</td></tr></table>
<img src="x" onerror="window.pwned=3"><iframe src="javascript:window.pwned=4"></iframe>
<blockquote><p>Quoted words</p><footer>Someone</footer></blockquote>
<ul><li>first <b>point</b><ul><li>nested</li></ul></li><li>second</li></ul>
<ol start="5" type="a"><li>numbered</li></ol>
<pre><code>code()</code></pre><hr><div style="position:fixed">in a div</div>
<svg><script>window.pwned=5</script></svg></body></html>`;

test('a Word-like paste is reduced to the model blocks: no script, style, table, span, link or attribute survives', async () => {
  const page = await open('/editor?lang=en&ui=en');
  await page.locator('.story-editor-text').click();
  await page.keyboard.press('Control+A');
  await page.evaluate((markup) => {
    const dt = new DataTransfer();
    dt.setData('text/html', markup);
    dt.setData('text/plain', 'plain fallback');
    document.querySelector('.story-editor-text')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, WORD_HTML);
  await page.waitForTimeout(300);
  const blocks = await blocksOf(page);
  const allowed = new Set(['paragraph', 'subheading', 'quote', 'list']);
  assert.ok(
    blocks.every((b) => allowed.has(b.type)),
    JSON.stringify(blocks),
  );
  const text = JSON.stringify(blocks);
  for (const gone of ['pwned', 'color', 'MsoNormal', 'display', '<', 'javascript', 'mso', '·']) assert.ok(!text.includes(gone), `${gone} in ${text}`);
  // Headings become the subheading, table cells paragraphs, a nested list joins its parent, an ordered
  // list loses its start and style, Word's bullet glyph and the formatting go.
  assert.deepEqual(blocks, [
    { type: 'subheading', text: 'Word title' },
    { type: 'paragraph', text: 'Bold and italic a link' },
    { type: 'paragraph', text: 'Word bullet' },
    { type: 'paragraph', text: 'cell one' },
    { type: 'paragraph', text: 'cell two' },
    { type: 'quote', text: 'Quoted words', attribution: 'Someone' },
    { type: 'list', ordered: false, items: ['first point', 'nested', 'second'] },
    { type: 'list', ordered: true, items: ['numbered'] },
    { type: 'paragraph', text: 'code()' },
    { type: 'paragraph', text: 'in a div' },
  ]);
  const dom = await page.evaluate(() => {
    const root = document.querySelector('.story-editor-text')!;
    return {
      tags: [...new Set([...root.querySelectorAll('*')].map((e) => e.tagName))].sort(),
      styled: root.querySelectorAll('[style], [href], [src], [class^=Mso]').length,
      pwned: (window as any).pwned ?? null,
    };
  });
  assert.equal(dom.pwned, null);
  assert.equal(dom.styled, 0);
  for (const tag of dom.tags) assert.ok(['P', 'H2', 'BLOCKQUOTE', 'FOOTER', 'UL', 'OL', 'LI', 'BR'].includes(tag), `foreign element ${tag} in the editor`);
  await page.context().close();
});

test('without JavaScript the textarea posts the body as paragraphs separated by blank lines', async () => {
  const page = await open('/editor?lang=ar', false);
  await page.locator('textarea[name=bodyText]').fill('الفقرة الأولى\n\nالفقرة الثانية');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`${url}/post`);
  assert.deepEqual(posted.at(-1)?.body, [
    { type: 'paragraph', text: 'الفقرة الأولى' },
    { type: 'paragraph', text: 'الفقرة الثانية' },
  ]);
  await page.context().close();
});

for (const lang of ['ar', 'en'] as const) {
  test(`axe-core finds no serious or critical violation on the editor page in ${lang === 'ar' ? 'Arabic' : 'English'}`, async () => {
    const page = await open(`/editor?lang=${lang}&ui=${lang}`);
    // With a quote (the attribution hint showing) and a list, so every part of the editor is checked.
    await page.locator('.story-editor-text').click();
    await page.keyboard.press('Control+Shift+9');
    await page.keyboard.type(lang === 'ar' ? 'اقتباس' : 'A quote');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Shift+8');
    await page.keyboard.type('item');
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      [],
    );
    await page.context().close();
  });
}

test('the editor page JavaScript is at most 250 KB compressed, served gzipped with a year-long immutable cache', async (t) => {
  const page = await open('/editor?lang=ar');
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e as PerformanceResourceTiming)
      .filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'))
      .map((e) => ({ name: e.name, bytes: e.encodedBodySize, decoded: e.decodedBodySize })),
  );
  assert.ok(scripts.length >= 1);
  const compressed = scripts.reduce((n, s) => n + s.bytes, 0);
  const decoded = scripts.reduce((n, s) => n + s.decoded, 0);
  t.diagnostic(`editor JavaScript: ${(compressed / 1024).toFixed(1)} KB gzip (${(decoded / 1024).toFixed(1)} KB minified) in ${scripts.length} file(s)`);
  assert.ok(compressed < decoded, 'served compressed');
  assert.ok(compressed <= 250 * 1024, `${compressed} bytes compressed`);
  const res = await fetch(url + clientScriptUrl('editor'), { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(clientScriptUrl('editor'), /^\/assets\/editor-[A-Z0-9]{8}\.js$/);
  assert.equal((await fetch(`${url}/assets/editor-NOPE.js`)).status, 404);
  assert.equal((await fetch(`${url}/assets/..%2fmanifest.json`)).status, 404);
  await page.context().close();
});
