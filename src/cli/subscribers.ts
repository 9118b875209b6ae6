// `newsflow product …` and `newsflow subscriber …`: entitlements managed from the shell, on the store
// named by NEWSFLOW_DATA, whether or not a server runs on it.
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { openRuntime } from '../server/runtime.ts';
import type { MediaType } from '../model/story.ts';
import { subscriberView, type Product, type ProductFilters, type Subscriber } from '../model/subscribers.ts';
import type { Actor } from '../model/actor.ts';
import { fail } from './output.ts';
import { languageTagProblem } from '../model/language.ts';
import { DELIVERY_FORMATS } from '../flow/render.ts';

const MEDIA: MediaType[] = ['text', 'photo', 'video', 'audio', 'graphic'];

/** Who the audit trail names for changes made from the shell (the person at it is the machine's user). */
export function cliActor(): Actor {
  let user = 'unknown user';
  try {
    user = userInfo().username;
  } catch {
    // A container user without a passwd entry: the trail still says it came from the shell.
  }
  return { type: 'system', id: 'cli', name: `newsflow CLI (${user})` };
}

type FilterOptions = { lang?: string[]; category?: string[]; urgency?: number; media?: string[]; embargo?: boolean; delay?: number };

/** The filters named on the command line (only those given), after checking media types and language tags. */
function filtersOf(o: FilterOptions): Partial<ProductFilters> {
  const bad = (o.media ?? []).find((m) => !MEDIA.includes(m as MediaType));
  if (bad) fail(`--media: "${bad}" is not one of ${MEDIA.join(', ')}`);
  const badLang = (o.lang ?? []).map(languageTagProblem).find(Boolean);
  if (badLang) fail(`--lang: ${badLang}`);
  const f: Partial<ProductFilters> = {};
  if (o.lang) f.languages = o.lang;
  if (o.category) f.categories = o.category;
  if (o.urgency !== undefined) f.maxUrgency = o.urgency;
  if (o.media) f.mediaTypes = o.media as MediaType[];
  if (o.embargo !== undefined) f.embargoRights = o.embargo;
  if (o.delay !== undefined) f.delaySeconds = o.delay;
  return f;
}

/** Splits `ar,tr` and repeated options into one list. */
function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

function wholeNumber(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function describeProduct(p: Product): string {
  const parts = [
    p.languages.length ? `languages ${p.languages.join(',')}` : 'all languages',
    p.categories.length ? `categories ${p.categories.join(' | ')}` : null,
    p.maxUrgency !== null ? `urgency ≤ ${p.maxUrgency}` : null,
    p.mediaTypes.length ? `media ${p.mediaTypes.join(',')}` : null,
    p.embargoRights ? 'embargo rights' : null,
    p.delaySeconds ? `delay ${p.delaySeconds}s` : null,
  ];
  return `${p.id}  ${p.name}: ${parts.filter(Boolean).join('; ')}`;
}

/** Runs `fn` on the runtime, printing a failure as one line on stderr. */
async function withRuntime(fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<void>): Promise<void> {
  const rt = await openRuntime();
  try {
    await fn(rt);
  } catch (e) {
    fail((e as Error).message);
  } finally {
    await rt.close();
  }
}

export function registerSubscriberCommands(program: Command): void {
  const product = program.command('product').description('products: filters on the flow that subscribers are entitled to');
  product
    .command('add')
    .description('define a product')
    .argument('<name>')
    .option('--lang <tags>', 'languages, comma-separated (ar,tr); default all', list)
    .option('--category <c>', 'a category (repeatable or comma-separated); default all', list)
    .option('--urgency <max>', 'lowest priority included, 1 (flash) to 9', wholeNumber(1, 9))
    .option('--media <types>', `media types (${MEDIA.join(',')}); default all`, list)
    .option('--embargo', 'receives embargoed stories before the lift, flagged')
    .option('--delay <seconds>', 'deliver this many seconds late (a lower tier)', wholeNumber(0, 7 * 86_400))
    .option('--json', 'print the product as JSON')
    .action(
      async (
        name: string,
        o: { lang?: string[]; category?: string[]; urgency?: number; media?: string[]; embargo?: boolean; delay?: number; json?: boolean },
      ) => {
        const filters = filtersOf(o);
        await withRuntime(async (rt) => {
          const p = await rt.admin.createProduct(cliActor(), { name, ...filters });
          process.stdout.write(o.json ? JSON.stringify(p, null, 2) + '\n' : describeProduct(p) + '\n');
        });
      },
    );
  product
    .command('edit')
    .description("change a product's filters from now on (earlier stories keep the filters of their time)")
    .argument('<product>', 'id or name')
    .option('--lang <tags>', 'languages, comma-separated (ar,tr)', list)
    .option('--all-languages', 'every language')
    .option('--category <c>', 'a category (repeatable or comma-separated)', list)
    .option('--all-categories', 'every category')
    .option('--urgency <max>', 'lowest priority included, 1 (flash) to 9', wholeNumber(1, 9))
    .option('--media <types>', `media types (${MEDIA.join(',')})`, list)
    .option('--embargo', 'receives embargoed stories before the lift, flagged')
    .option('--no-embargo', 'waits for the lift')
    .option('--delay <seconds>', 'deliver this many seconds late (a lower tier)', wholeNumber(0, 7 * 86_400))
    .action(async (ref: string, o: FilterOptions & { allLanguages?: boolean; allCategories?: boolean }) => {
      const filters = filtersOf(o);
      if (o.allLanguages) filters.languages = [];
      if (o.allCategories) filters.categories = [];
      if (Object.keys(filters).length === 0) fail('name at least one filter to change (--lang, --category, --urgency, --media, --embargo, --delay …)');
      await withRuntime(async (rt) => {
        process.stdout.write(describeProduct(await rt.admin.updateProduct(cliActor(), ref, filters)) + '\n');
      });
    });
  product
    .command('list')
    .description('list products')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const all = await rt.store.subscribers.listProducts();
        process.stdout.write(o.json ? JSON.stringify(all, null, 2) + '\n' : all.map((p) => describeProduct(p) + '\n').join(''));
      });
    });

  const subscriber = program.command('subscriber').description('subscribers and their entitlements');
  subscriber
    .command('add')
    .description('create a subscriber; prints only its id')
    .argument('<name>')
    .requiredOption('--product <name>', 'a product it is entitled to (repeatable)', list)
    .option('--rate-limit <n>', 'feed requests per minute', wholeNumber(1, 1_000_000))
    .option('--format <format>', `story format of its deliveries: ${DELIVERY_FORMATS.join(', ')}`, 'ninjs')
    .option('--seats <n>', 'how many people may sign in to the portal', wholeNumber(1, 100_000))
    .action(async (name: string, o: { product: string[]; rateLimit?: number; format: string; seats?: number }) => {
      if (!(DELIVERY_FORMATS as readonly string[]).includes(o.format)) {
        process.stderr.write(`newsflow: --format must be one of ${DELIVERY_FORMATS.join(', ')}\n`);
        process.exit(1);
      }
      await withRuntime(async (rt) => {
        const s = await rt.admin.createSubscriber(cliActor(), {
          name,
          products: o.product,
          rateLimit: o.rateLimit ?? null,
          defaultFormat: o.format,
          seatLimit: o.seats ?? null,
        });
        process.stdout.write(s.id + '\n');
      });
    });
  subscriber
    .command('products')
    .description("set a subscriber's products from now on (stories it had keep their follow-ups)")
    .argument('<id>')
    .requiredOption('--product <name>', 'a product it is entitled to (repeatable)', list)
    .action(async (id: string, o: { product: string[] }) => {
      await withRuntime(async (rt) => {
        const s = await rt.admin.setSubscriberProducts(cliActor(), id, o.product);
        process.stdout.write(`${s.id}  ${s.name}  [${s.products.map((p) => p.name).join(', ')}]\n`);
      });
    });
  subscriber
    .command('edit')
    .description("change a subscriber's name, rate limit, format or seat limit")
    .argument('<id>')
    .option('--name <name>')
    .option('--rate-limit <n>', 'feed requests per minute', wholeNumber(1, 1_000_000))
    .option('--format <format>', `story format of its deliveries: ${DELIVERY_FORMATS.join(', ')}`)
    .option('--seats <n>', 'how many people may sign in to the portal', wholeNumber(1, 100_000))
    .action(async (id: string, o: { name?: string; rateLimit?: number; format?: string; seats?: number }) => {
      if (o.format !== undefined && !(DELIVERY_FORMATS as readonly string[]).includes(o.format)) fail(`--format must be one of ${DELIVERY_FORMATS.join(', ')}`);
      if (o.name === undefined && o.rateLimit === undefined && o.format === undefined && o.seats === undefined) {
        fail('name at least one change (--name, --rate-limit, --format, --seats)');
      }
      await withRuntime(async (rt) => {
        const s = await rt.admin.updateSubscriber(cliActor(), id, { name: o.name, rateLimit: o.rateLimit, defaultFormat: o.format, seatLimit: o.seats });
        process.stdout.write(`${s.id}  ${s.name}; rate limit ${s.rateLimit ?? 'none'}; format ${s.defaultFormat}; seats ${s.seatLimit ?? 'not set'}\n`);
      });
    });
  subscriber
    .command('list')
    .description('list subscribers')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const all = await rt.store.subscribers.listSubscribers();
        if (o.json) return void process.stdout.write(JSON.stringify(all.map(subscriberView), null, 2) + '\n');
        for (const s of all) process.stdout.write(`${s.id}  ${s.name}  [${s.products.map((p) => p.name).join(', ')}]\n`);
      });
    });
  subscriber
    .command('show')
    .description('show a subscriber, its products, keys, webhooks and usage')
    .argument('<id>')
    .option('--json')
    .action(async (id: string, o: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const s = await rt.store.subscribers.getSubscriber(id);
        if (!s) throw new Error(`no subscriber ${id}`);
        const keys = await rt.store.listKeys({ subscriberId: id });
        const webhooks = await rt.store.subscribers.listWebhooks(id);
        const usage = await rt.store.subscribers.usage(id);
        if (o.json) return void process.stdout.write(JSON.stringify({ ...subscriberView(s), keys, webhooks, usage }, null, 2) + '\n');
        process.stdout.write(
          showText(
            s,
            keys.map((k) => `${k.id}  ${k.prefix}…  ${k.revokedAt ? 'revoked' : 'live'}  last used ${k.lastUsedAt ?? 'never'}`),
            webhooks.map((w) => `${w.id}  ${w.url}  ${w.status}  cursor ${w.cursor}`),
            usage.map((u) => `${u.day}  ${u.channel}  ${u.count}`),
          ),
        );
      });
    });
}

function showText(s: Subscriber, keys: string[], webhooks: string[], usage: string[]): string {
  const section = (title: string, lines: string[]) => `${title}:\n${lines.length ? lines.map((l) => `  ${l}\n`).join('') : '  (none)\n'}`;
  return (
    `${s.id}  ${s.name}\ncreated ${s.createdAt}; rate limit ${s.rateLimit ?? 'none'}; format ${s.defaultFormat}; seats ${s.seatLimit ?? 'not set'}\n` +
    section('products', s.products.map(describeProduct)) +
    section('keys', keys) +
    section('webhooks', webhooks) +
    section('usage', usage)
  );
}
