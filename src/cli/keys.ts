// `newsflow key …`
import { ROLES } from '../flow/keys.ts';
import { cliActor } from './subscribers.ts';
import { openRuntime } from '../server/runtime.ts';
import type { Role } from '../model/keys.ts';
import { fail } from './output.ts';

export async function keyCreateCommand(opts: { role: string; subscriber?: string; label?: string }): Promise<void> {
  if (!ROLES.includes(opts.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}, not "${opts.role}"`);
  if (opts.role === 'subscriber' && !opts.subscriber) fail('a subscriber key needs --subscriber <id>');
  const rt = await openRuntime();
  try {
    if (opts.subscriber && !(await rt.store.subscribers.getSubscriber(opts.subscriber))) {
      fail(`no subscriber ${opts.subscriber}; create one with: newsflow subscriber add <name> --product <name>`);
    }
    const { secret } = await rt.admin.createKey(cliActor(), opts.role as Role, { subscriberId: opts.subscriber, label: opts.label });
    process.stdout.write(secret + '\n');
  } finally {
    await rt.close();
  }
}

export async function keyListCommand(opts: { json?: boolean }): Promise<void> {
  const rt = await openRuntime();
  try {
    const keys = await rt.store.listKeys();
    if (opts.json) return void process.stdout.write(JSON.stringify(keys, null, 2) + '\n');
    for (const k of keys) {
      process.stdout.write(
        `${k.id}  ${k.role.padEnd(10)} ${k.prefix}…  ${k.subscriberId ?? '-'}  ${k.revokedAt ? 'revoked ' + k.revokedAt : 'live'}  last used ${k.lastUsedAt ?? 'never'}\n`,
      );
    }
  } finally {
    await rt.close();
  }
}

export async function keyRevokeCommand(id: string): Promise<void> {
  const rt = await openRuntime();
  try {
    await rt.admin.revokeKey(cliActor(), id);
    process.stderr.write(`revoked ${id}\n`);
  } catch (e) {
    fail((e as Error).message);
  } finally {
    await rt.close();
  }
}
