// `newsflow store copy --from <sqlite path | postgres url> --to <postgres url | sqlite path>`: moves a
// whole store between engines (or between two files or databases), keeping log positions so every
// subscriber's cursor stays valid. The copy itself is src/store/copy.ts.
import type { Command } from 'commander';
import { redactedUrl } from '../server/runtime.ts';
import { fail } from './output.ts';

export function registerStoreCommands(program: Command): void {
  const store = program.command('store').description('the store as a whole');
  store
    .command('copy')
    .description('copy every story, version, log event, key, subscriber, webhook, saved search and usage count into a new, empty store')
    .requiredOption('--from <store>', 'the source: a SQLite file or a postgres:// URL')
    .requiredOption('--to <store>', 'the target, empty: a SQLite file (created) or a postgres:// URL (an existing, empty database)')
    .option('--quiet', 'no line per table')
    .action(storeCopyCommand);
}

export async function storeCopyCommand(opts: { from: string; to: string; quiet?: boolean }): Promise<void> {
  // Loaded when used: the PostgreSQL driver stays out of every other command.
  const { copyStore, isPostgresTarget, TargetNotEmptyError } = await import('../store/copy.ts');
  const shown = (t: string) => (isPostgresTarget(t) ? redactedUrl(t) : t);
  if (opts.from === opts.to) fail('--from and --to name the same store');
  if (!isPostgresTarget(opts.from)) {
    const { existsSync } = await import('node:fs');
    if (!existsSync(opts.from)) fail(`--from: no SQLite file at ${opts.from}`);
  }
  try {
    const report = await copyStore(opts.from, opts.to, {
      onTable: opts.quiet ? undefined : ({ table, rows }) => process.stderr.write(`newsflow: copied ${rows} rows of ${table}\n`),
    });
    const total = report.tables.reduce((n, t) => n + t.rows, 0);
    process.stdout.write(`copied ${total} rows in ${report.tables.length} tables from ${shown(opts.from)} to ${shown(opts.to)}\n`);
    if (report.reindexError) {
      process.stderr.write(`newsflow: the rows are copied, but the target's search index could not be rebuilt: ${report.reindexError}\n`);
      process.exitCode = 1;
    }
  } catch (e) {
    if (e instanceof TargetNotEmptyError) fail(`--to ${shown(opts.to)}: ${e.message}`);
    const err = e as Error & { cause?: Error };
    fail(`copying ${shown(opts.from)} to ${shown(opts.to)} failed, nothing was written: ${(err.cause?.message ?? err.message).split('\n')[0]}`);
  }
}
