// `newsflow search "<query>"` and `newsflow reindex`.
import type { Command } from 'commander';
import { openRuntime } from '../server/runtime.ts';
import { QuerySyntaxError } from '../search/index.ts';
import { fail } from './output.ts';

export function registerSearchCommands(program: Command): void {
  program
    .command('search')
    .description('search published stories (query language: words, "phrases", OR, -word, headline: category: lang: date:…)')
    .argument('<query>')
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'how many results', (v) => Number(v), 10)
    .option('--lang <tag>', 'language of the query words and the results')
    .option('--sort <order>', 'relevance or recency')
    .action(searchCommand);
  program.command('reindex').description('rebuild the search index (after an analyzer change)').option('--quiet', 'no progress bar').action(reindexCommand);
}

async function searchCommand(query: string, opts: { json?: boolean; limit: number; lang?: string; sort?: string }): Promise<void> {
  if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > 200) fail('--limit must be a whole number from 1 to 200');
  if (opts.sort && opts.sort !== 'relevance' && opts.sort !== 'recency') fail('--sort must be relevance or recency');
  const rt = await openRuntime();
  try {
    const result = await rt.store.search.query(query, { limit: opts.limit, lang: opts.lang, sort: opts.sort as 'relevance' | undefined });
    if (opts.json) return void process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(`${result.total} stories\n`);
    for (const h of result.hits) {
      const snippet = h.snippetHtml
        .replace(/<\/?mark>/g, '*')
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
      process.stdout.write(`\n${h.storyId}  ${h.publishedAt.slice(0, 10)}  ${h.language}  ${h.headline}\n  ${snippet}\n`);
    }
  } catch (e) {
    if (e instanceof QuerySyntaxError) fail(`query: ${e.message}`);
    throw e;
  } finally {
    await rt.close();
  }
}

async function reindexCommand(opts: { quiet?: boolean }): Promise<void> {
  const rt = await openRuntime();
  // Loaded by the commands that draw a bar, not by every start of the CLI (the server included).
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ format: 'reindex {phase} [{bar}] {value}/{total}', stream: process.stderr }, cliProgress.Presets.shades_classic);
  const show = !opts.quiet && process.stderr.isTTY;
  let started = false;
  try {
    const r = await rt.store.search.reindex((done, total, phase) => {
      if (!show) return;
      if (!started) {
        bar.start(total, 0, { phase });
        started = true;
      }
      bar.update(done, { phase });
    });
    if (started) bar.stop();
    process.stderr.write(`reindexed ${r.indexed} stories in ${(r.ms / 1000).toFixed(1)} s\n`);
  } finally {
    await rt.close();
  }
}
