// `newsflow user …`: people who sign in to the desk. `user add` prints a one-time password (the user
// chooses their own at first sign-in), or takes the password from stdin for scripts.
import { fstatSync, readFileSync } from 'node:fs';
import { Accounts } from '../flow/accounts.ts';
import { AccountError, STAFF_ROLES } from '../model/users.ts';
import { openRuntime } from '../server/runtime.ts';
import { fail } from './output.ts';

/** True when stdin is a pipe or a file handed to us (`echo … |`, `< file`), not a terminal or an idle socket. */
function stdinGiven(): boolean {
  try {
    const s = fstatSync(0);
    return s.isFIFO() || s.isFile();
  } catch {
    return false;
  }
}

function readPassword(): string {
  // One line: the trailing newline `echo` adds is not part of the password.
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

export async function userAddCommand(email: string, opts: { role: string; name?: string; language?: string; passwordStdin?: boolean }): Promise<void> {
  if (!(STAFF_ROLES as readonly string[]).includes(opts.role)) fail(`--role must be one of ${STAFF_ROLES.join(', ')}, not "${opts.role}"`);
  let password: string | undefined;
  if (opts.passwordStdin || stdinGiven()) {
    password = readPassword();
    if (!password && opts.passwordStdin) fail('--password-stdin: stdin was empty; pipe the password in, e.g. printf %s "$PW" | newsflow user add …');
    if (!password) password = undefined;
  }
  const rt = await openRuntime();
  try {
    const { user, password: shown, oneTime } = await new Accounts(rt.store).add({ email, role: opts.role, name: opts.name, language: opts.language, password });
    process.stderr.write(`added ${user.role} ${user.email} (${user.id})${oneTime ? '; one-time password below, to be changed at first sign-in' : ''}\n`);
    if (oneTime) process.stdout.write(shown + '\n');
  } catch (e) {
    if (e instanceof AccountError) fail(`${e.field === 'subscriberId' ? '--subscriber' : e.field === 'email' ? email : `--${e.field}`}: ${e.message}`);
    throw e;
  } finally {
    await rt.close();
  }
}

export async function userListCommand(opts: { json?: boolean }): Promise<void> {
  const rt = await openRuntime();
  try {
    const users = await rt.store.users.list();
    if (opts.json) return void process.stdout.write(JSON.stringify(users, null, 2) + '\n');
    for (const u of users) {
      process.stdout.write(`${u.id}  ${u.role.padEnd(10)} ${u.email}  ${u.name}  ${u.language}  ${u.active ? 'active' : 'deactivated'}\n`);
    }
  } finally {
    await rt.close();
  }
}

/** `newsflow seat add`: a person at a subscriber who signs in to the portal, within the subscriber's seat limit. */
export async function seatAddCommand(
  email: string,
  opts: { subscriber: string; admin?: boolean; name?: string; language?: string; passwordStdin?: boolean },
): Promise<void> {
  let password: string | undefined;
  if (opts.passwordStdin || stdinGiven()) {
    password = readPassword();
    if (!password && opts.passwordStdin) fail('--password-stdin: stdin was empty; pipe the password in, e.g. printf %s "$PW" | newsflow seat add …');
    if (!password) password = undefined;
  }
  const rt = await openRuntime();
  try {
    if (!(await rt.store.subscribers.getSubscriber(opts.subscriber))) fail(`--subscriber: no subscriber ${opts.subscriber} (see \`newsflow subscriber list\`)`);
    const {
      user,
      password: shown,
      oneTime,
    } = await new Accounts(rt.store).add({
      email,
      role: opts.admin ? 'seat-admin' : 'seat',
      subscriberId: opts.subscriber,
      name: opts.name,
      language: opts.language,
      password,
    });
    process.stderr.write(
      `added ${user.role} ${user.email} (${user.id}) of subscriber ${opts.subscriber}${oneTime ? '; one-time password below, to be changed at first sign-in' : ''}\n`,
    );
    if (oneTime) process.stdout.write(shown + '\n');
  } catch (e) {
    if (e instanceof AccountError)
      fail(`${e.field === 'subscriberId' || e.field === 'seats' ? '--subscriber' : e.field === 'email' ? email : `--${e.field}`}: ${e.message}`);
    throw e;
  } finally {
    await rt.close();
  }
}
