// `newsflow product …` and `newsflow subscriber …`: entitlements managed from the shell, on the store
// named by NEWSFLOW_DATA, whether or not a server runs on it.
import { InvalidArgumentError, type Command } from 'commander';
import { openRuntime } from '../server/runtime.ts';
import type { MediaType } from '../model/story.ts';
import { productFrom, type Product, type Subscriber } from '../model/subscribers.ts';
import { fail } from './output.ts';
import { languageTagProblem } from '../model/language.ts';
import { DELIVERY_FORMATS } from '../flow/render.ts';

const MEDIA: MediaType[] = ['text', 'photo', 'video', 'audio', 'graphic'];

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
        const bad = (o.media ?? []).find((m) => !MEDIA.includes(m as MediaType));
        if (bad) fail(`--media: "${bad}" is not one of ${MEDIA.join(', ')}`);
        const badLang = (o.lang ?? []).map(languageTagProblem).find(Boolean);
        if (badLang) fail(`--lang: ${badLang}`);
        await withRuntime(async (rt) => {
          const p = await rt.store.subscribers.createProduct(
            productFrom({
              name,
              languages: o.lang,
              categories: o.category,
              maxUrgency: o.urgency ?? null,
              mediaTypes: o.media as MediaType[] | undefined,
              embargoRights: o.embargo ?? false,
              delaySeconds: o.delay ?? 0,
            }),
          );
          process.stdout.write(o.json ? JSON.stringify(p, null, 2) + '\n' : describeProduct(p) + '\n');
        });
      },
    );
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
    .action(async (name: string, o: { product: string[]; rateLimit?: number; format: string }) => {
      if (!(DELIVERY_FORMATS as readonly string[]).includes(o.format)) {
        process.stderr.write(`newsflow: --format must be one of ${DELIVERY_FORMATS.join(', ')}\n`);
        process.exit(1);
      }
      await withRuntime(async (rt) => {
        const s = await rt.store.subscribers.createSubscriber({ name, products: o.product, rateLimit: o.rateLimit ?? null, defaultFormat: o.format });
        process.stdout.write(s.id + '\n');
      });
    });
  subscriber
    .command('list')
    .description('list subscribers')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      await withRuntime(async (rt) => {
        const all = await rt.store.subscribers.listSubscribers();
        if (o.json) return void process.stdout.write(JSON.stringify(all, null, 2) + '\n');
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
        if (o.json) return void process.stdout.write(JSON.stringify({ ...s, keys, webhooks, usage }, null, 2) + '\n');
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
    `${s.id}  ${s.name}\ncreated ${s.createdAt}; rate limit ${s.rateLimit ?? 'none'}; format ${s.defaultFormat}\n` +
    section('products', s.products.map(describeProduct)) +
    section('keys', keys) +
    section('webhooks', webhooks) +
    section('usage', usage)
  );
}
