// `newsflow story create|publish|correct|kill` and `newsflow --version`, run as real processes on a
// temporary store: an editor without the web desk can write, publish, correct and withdraw a story
// from a JSON or text file, and bad input is refused with the rule it broke.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, storeEnv, tempDbFile, tempDir } from '../helpers.ts';

const run = promisify(execFile);
const BIN = join(REPO, 'bin/newsflow.mjs');
const dir = tempDir();
// A SQLite file, or a PostgreSQL database with NEWSFLOW_TEST_STORE=postgres.
const env = { ...process.env, ...storeEnv(tempDbFile()) };
const cli = (...args: string[]) => run(process.execPath, [BIN, ...args], { env, cwd: REPO });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** The CLI fails with status 1 and a stderr matching `pattern`. */
async function refused(args: string[], pattern: RegExp): Promise<void> {
  await assert.rejects(cli(...args), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1, e.stderr);
    assert.match(e.stderr, pattern);
    return true;
  });
}

describe('newsflow story acts', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal((await cli('--version')).stdout, `${pkg.version}\n`);
  });

  it('creates from text, publishes, corrects and kills a story', async () => {
    const text = file(
      'story.txt',
      "Book fair opens in Istanbul\n\nThree hundred publishers take part\nin this year's fair. #bookfair\n\nThe programme includes talks.\n",
    );
    const created = await cli('story', 'create', text);
    assert.match(created.stdout, /^[0-9a-hjkmnp-tv-z]{26}\n$/, 'only the id on stdout');
    assert.match(created.stderr, /language en \(detected/);
    const id = created.stdout.trim();
    const shown = JSON.parse((await cli('story', 'show', id, '--json')).stdout);
    assert.equal(shown.story.status, 'draft');
    assert.equal(shown.story.draft.headline, 'Book fair opens in Istanbul');
    assert.deepEqual(shown.story.draft.body, [
      { type: 'paragraph', text: "Three hundred publishers take part in this year's fair. #bookfair" },
      { type: 'paragraph', text: 'The programme includes talks.' },
    ]);
    assert.deepEqual(shown.story.draft.hashtags, ['bookfair']);

    assert.match((await cli('story', 'publish', id)).stdout, new RegExp(`^${id} v1 published \\(flow position \\d+\\): Book fair opens in Istanbul\\n$`));
    const fix = file('fix.json', JSON.stringify({ deck: 'More than 300 publishers' }));
    const corrected = JSON.parse((await cli('story', 'correct', id, fix, '--note', 'The number of publishers was corrected', '--json')).stdout);
    assert.equal(corrected.event.kind, 'corrected');
    assert.equal(corrected.version.content.deck, 'More than 300 publishers');
    assert.equal(corrected.version.correctionNote, 'The number of publishers was corrected');
    assert.match((await cli('story', 'kill', id, '--reason', 'Published too early')).stdout, new RegExp(`^${id} v3 killed .* — Published too early\\n$`));
    const after = JSON.parse((await cli('story', 'show', id, '--json')).stdout);
    assert.equal(after.story.status, 'killed');
    assert.deepEqual(
      after.versions.map((v: { kind: string }) => v.kind),
      ['published', 'corrected', 'killed'],
    );
  });

  it("creates from the API's JSON draft body and publishes at once", async () => {
    const json = file(
      'draft.json',
      JSON.stringify({
        language: 'ar',
        headline: 'افتتاح معرض الكتاب في إسطنبول',
        body: [{ type: 'paragraph', text: 'افتتح معرض الكتاب أبوابه اليوم.' }],
        categories: ['ثقافة'],
        urgency: 3,
      }),
    );
    const out = await cli('story', 'create', json, '--publish', '--json');
    const { story, published } = JSON.parse(out.stdout);
    assert.equal(story.draft.language, 'ar');
    assert.equal(published.event.kind, 'published');
    assert.equal(published.version.content.urgency, 3);
    // The shell has no user or key: the act is newsflow's, named with the account that ran it.
    assert.equal(published.version.by.type, 'system');
    assert.equal(published.version.by.id, 'cli');
    assert.match(published.event.by.name, /^newsflow CLI \(.+\)$/);
    assert.equal(story.createdBy.id, 'cli');
    const list = (await cli('story', 'list')).stdout;
    assert.match(list, new RegExp(`${story.id}  published v1`));
    // A correction from a text file replaces the headline and the paragraphs, and keeps the rest.
    const fixed = file('fixed.txt', 'افتتاح معرض الكتاب الدولي في إسطنبول\n\nافتتح معرض الكتاب الدولي أبوابه اليوم.\n');
    const c = JSON.parse((await cli('story', 'correct', story.id, fixed, '--note', 'صُحّح اسم المعرض', '--json')).stdout);
    assert.equal(c.version.content.headline, 'افتتاح معرض الكتاب الدولي في إسطنبول');
    assert.deepEqual(c.version.content.body, [{ type: 'paragraph', text: 'افتتح معرض الكتاب الدولي أبوابه اليوم.' }]);
    assert.deepEqual(c.version.content.categories, ['ثقافة']);
  });

  it('text with --lang keeps the language given', async () => {
    const text = file('tr.txt', "İstanbul'da kitap fuarı açıldı\n\nFuara 300 yayınevi katılıyor.\n");
    const id = (await cli('story', 'create', text, '--lang', 'tr')).stdout.trim();
    assert.equal(JSON.parse((await cli('story', 'show', id, '--json')).stdout).story.draft.language, 'tr');
  });

  it('refuses bad input naming the rule, and stores nothing', async () => {
    const before = (await cli('story', 'list')).stdout;
    await refused(
      ['story', 'create', file('no-blank.txt', 'Headline\nfirst paragraph right below\n')],
      /line 2 must be blank: the text format is the headline on the first line, a blank line, then paragraphs/,
    );
    await refused(['story', 'create', file('empty.txt', '\n\nbody only\n')], /no headline: the text format is/);
    await refused(['story', 'create', file('bad.json', '{"language": "ar", "headline": "x",\n "urgency": }')], /bad\.json: invalid JSON.*line 2/);
    await refused(
      ['story', 'create', file('unknown.json', JSON.stringify({ language: 'ar', headline: 'x', colour: 'red' }))],
      /unknown\.json: .*unknown field "colour".*draft body of POST \/v1\/stories/,
    );
    await refused(['story', 'create', file('lang.json', JSON.stringify({ language: 'xx-!!', headline: 'x' }))], /not a valid BCP 47 language tag/);
    await refused(['story', 'create', join(dir, 'missing.txt')], /cannot read .*missing\.txt: no such file/);
    assert.equal((await cli('story', 'list')).stdout, before, 'nothing stored');
  });

  it("refuses acts the story's state forbids, with the reason", async () => {
    const id = (await cli('story', 'create', file('d.txt', 'A draft\n\nText.\n'))).stdout.trim();
    await refused(['story', 'correct', id, '--note', 'x'], /has not been published; only a published story can be corrected/);
    await refused(['story', 'kill', id, '--reason', 'x'], /has not been published/);
    await refused(['story', 'publish', '0000000000000000000000000z'], /no story 0000000000000000000000000z/);
    await refused(['story', 'kill', id], /required option '--reason <text>' not specified/);
  });
});
