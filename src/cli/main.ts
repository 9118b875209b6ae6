// The `newsflow` command. Every command works on the store named by NEWSFLOW_DATA, whether or not a
// server is running on it (SQLite in WAL mode lets a CLI write while the server reads).
import { Command, InvalidArgumentError } from 'commander';
import { importCommand } from './import.ts';
import { migrateCommand } from './migrate.ts';
import { keyCreateCommand, keyListCommand, keyRevokeCommand } from './keys.ts';
import { serveCommand } from './serve.ts';
import { storyListCommand, storyShowCommand } from './stories.ts';
import { registerStoryActs } from './story.ts';
import { packageVersion } from './version.ts';
import { registerExtraCommands } from './extra.ts';
import { registerStoreCommands } from './store-copy.ts';
import { seatAddCommand, userAddCommand, userListCommand } from './users.ts';
import { ConfigError } from '../server/config.ts';

const program = new Command()
  .name('newsflow')
  .description("newsflow: a news agency's news flow system.\nStore: NEWSFLOW_DATA (a SQLite file or a folder; default ./data/newsflow.db).")
  .showHelpAfterError()
  .version(packageVersion(), '-V, --version', 'print the newsflow version');

program.command('serve').description('run the HTTP server (PORT, default 8080; NEWSFLOW_DEMO=0 starts without the demo newsroom)').action(serveCommand);

program
  .command('migrate')
  .description("bring the store's schema up to date (NEWSFLOW_DATABASE_URL or NEWSFLOW_DATA) and list the migrations applied")
  .action(migrateCommand);

program
  .command('import')
  .description('import files: public-page text (.txt), archive JSONL (.jsonl), and the formats other modules register')
  .argument('<files...>', 'files to import')
  .option('--batch <n>', 'stories per transaction for archives', (v) => positive(v), 500)
  .option('--quiet', 'no progress bar')
  .action(importCommand);

const key = program.command('key').description('API keys');
key
  .command('create')
  .description('create an API key and print only the key on stdout')
  .requiredOption('--role <role>', 'admin, editor or subscriber')
  .option('--subscriber <id>', 'the subscriber the key belongs to (subscriber role)')
  .option('--label <text>', 'a note to tell keys apart')
  .action(keyCreateCommand);
key.command('list').description('list keys (never their secrets)').option('--json').action(keyListCommand);
key.command('revoke').description('revoke a key by id').argument('<id>').action(keyRevokeCommand);

const user = program.command('user').description('people who sign in to the desk');
user
  .command('add')
  .description('add a desk user and print a one-time password (or take the password from stdin)')
  .argument('<email>', 'the e-mail address they sign in with')
  .requiredOption('--role <role>', 'reporter, editor or admin')
  .option('--name <name>', 'the name the desk shows (default: the part before @)')
  .option('--language <lang>', 'interface language: ar, tr or en', 'en')
  .option('--password-stdin', 'read the password from stdin instead of generating a one-time password')
  .action(userAddCommand);
user.command('list').description('list users (never their passwords)').option('--json').action(userListCommand);

const seat = program.command('seat').description('people at a subscriber who sign in to the portal');
seat
  .command('add')
  .description("add a subscriber's seat (within its seat limit) and print a one-time password (or take the password from stdin)")
  .argument('<email>', 'the e-mail address they sign in with')
  .requiredOption('--subscriber <id>', 'the subscriber the seat belongs to')
  .option('--admin', "a seat administrator, who manages the subscriber's other seats")
  .option('--name <name>', 'the name the portal shows (default: the part before @)')
  .option('--language <lang>', 'interface language: ar, tr or en', 'en')
  .option('--password-stdin', 'read the password from stdin instead of generating a one-time password')
  .action(seatAddCommand);

const story = program.command('story').description('stories');
story
  .command('list')
  .description('list stories, newest first')
  .option('--json', 'machine-readable output')
  .option('--status <status>', 'draft, published or killed')
  .option('--limit <n>', 'how many', (v) => positive(v), 50)
  .action(storyListCommand);
story.command('show').description('show one story and its versions').argument('<id>').option('--json', 'machine-readable output').action(storyShowCommand);
registerStoryActs(story);

registerExtraCommands(program);
registerStoreCommands(program);

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // A bad setting is the operator's to fix: one line naming the variable, no stack trace.
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`newsflow: ${e.message}\n`);
  process.exitCode = 1;
}
