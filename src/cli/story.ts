// `newsflow story create|publish|correct|kill`: the newsroom's acts from a shell, for an editor without
// the web desk. They go through the same Newsroom as the API, so the same rules refuse the same input;
// a server running on the store sees the events within a second (its hub polls the log head).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FormatError } from '../formats/format-error.ts';
import { DRAFT_TEXT_RULE, parseDraftText } from '../formats/draft-text.ts';
import { parseJsonSafe } from '../formats/ninjs.ts';
import { openRuntime, type Runtime } from '../server/runtime.ts';
import { ValidationError } from '../model/validate.ts';
import type { FlowItem } from '../model/story.ts';
import { detectLanguage } from '../text/detect.ts';
import { cliActor } from './actor.ts';
import { fail } from './output.ts';

const JSON_RULE = 'a JSON file is the draft body of POST /v1/stories (language and headline required; see /openapi.json)';

/** A file's text (`-` is standard input), and whether it is JSON (by name, or by its first character). */
function readInput(file: string): { text: string; json: boolean } {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return { text, json: /\.json$/i.test(file) || /^\uFEFF?\s*\{/.test(text) };
}

// Whether the file being read is JSON, so a refusal can say what the JSON must be.
let readingJson = false;

/** Content fields from a file: the JSON object as it is, or the text layout's headline and paragraphs. */
function contentFrom(file: string): { fields: Record<string, unknown>; json: boolean; text: string } {
  const { text, json } = readInput(file);
  readingJson = json;
  if (!json) return { fields: { ...parseDraftText(text) }, json, text };
  const doc = parseJsonSafe(text);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new FormatError('schema', `expected a JSON object: ${JSON_RULE}`, { location: '/' });
  return { fields: doc as Record<string, unknown>, json, text };
}

/** Runs one act on the store, turning the rule an input broke into one line on stderr and exit status 1. */
async function act(file: string | undefined, fn: (rt: Runtime) => Promise<void>): Promise<void> {
  const rt = await openRuntime();
  try {
    await fn(rt);
  } catch (e) {
    const where = file ? `${file}: ` : '';
    if (e instanceof ValidationError) fail(`${where}${e.message}${readingJson ? ` (${JSON_RULE})` : ''}`);
    if (e instanceof FormatError) fail(`${where}${e.message}`);
    fail((e as Error).message);
  } finally {
    await rt.close();
  }
}

function describeItem(item: FlowItem): string {
  const v = item.version;
  const note = v.correctionNote ? ` — ${v.correctionNote}` : v.killReason ? ` — ${v.killReason}` : '';
  return `${v.storyId} v${v.version} ${item.event.kind} (flow position ${item.event.seq}): ${v.content.headline}${note}`;
}

/** Adds create, publish, correct and kill to the `story` command. */
export function registerStoryActs(story: Command): void {
  story
    .command('create')
    .description(`create a draft from a file (- for standard input) and print its id. A .json file is the API's draft body; otherwise ${DRAFT_TEXT_RULE}`)
    .argument('<file>')
    .option('--lang <tag>', "the story's language (BCP 47, e.g. ar); for text, detected (ar, tr or en) when omitted; overrides the JSON's")
    .option('--publish', 'publish it at once as version 1')
    .option('--json', 'print the story (and the published version) as JSON')
    .action(async (file: string, o: { lang?: string; publish?: boolean; json?: boolean }) => {
      await act(file, async (rt) => {
        const { fields, json, text } = contentFrom(file);
        let language = o.lang ?? fields.language;
        if (!json && !o.lang) {
          language = detectLanguage(text);
          process.stderr.write(`newsflow: language ${language} (detected; set it with --lang)\n`);
        }
        const draft = await rt.newsroom.createDraft({ ...fields, ...(language === undefined ? {} : { language }) }, cliActor());
        const published = o.publish ? await rt.newsroom.publish(draft.id, cliActor()) : null;
        if (o.json) return void process.stdout.write(JSON.stringify(published ? { story: draft, published } : draft, null, 2) + '\n');
        process.stdout.write(draft.id + '\n');
        process.stderr.write(published ? describeItem(published) + '\n' : `draft created (${draft.draft.language}): ${draft.draft.headline}\n`);
      });
    });

  story
    .command('publish')
    .description("publish the story's draft: version 1 is published, later ones are updates")
    .argument('<id>')
    .option('--json', 'print the event and version as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await act(undefined, async (rt) => print(await rt.newsroom.publish(id, cliActor()), o.json));
    });

  story
    .command('correct')
    .description(
      'publish a correction with a public note; a file (- for standard input) gives the changes: JSON fields of the draft body, or text (headline and paragraphs, replacing both)',
    )
    .argument('<id>')
    .argument('[file]')
    .requiredOption('--note <text>', 'the public note saying what was corrected')
    .option('--json', 'print the event and version as JSON')
    .action(async (id: string, file: string | undefined, o: { note: string; json?: boolean }) => {
      await act(file, async (rt) => print(await rt.newsroom.correct(id, o.note, file ? contentFrom(file).fields : {}, cliActor()), o.json));
    });

  story
    .command('kill')
    .description('withdraw the story; subscribers are told to remove every version')
    .argument('<id>')
    .requiredOption('--reason <text>', 'why, for subscribers')
    .option('--json', 'print the event and version as JSON')
    .action(async (id: string, o: { reason: string; json?: boolean }) => {
      await act(undefined, async (rt) => print(await rt.newsroom.kill(id, o.reason, cliActor()), o.json));
    });
}

function print(item: FlowItem, json?: boolean): void {
  process.stdout.write(json ? JSON.stringify(item, null, 2) + '\n' : describeItem(item) + '\n');
}
