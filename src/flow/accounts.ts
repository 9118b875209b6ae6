// The acts on people who sign in: add, authenticate, change role, deactivate, reset and change
// passwords, sign out everywhere. Passwords are hashed with argon2id; argon2 is a native module loaded
// on first use, so an idle server that nobody signs in to does not carry it.
import { randomBytes } from 'node:crypto';
import type { Store } from '../model/store.ts';
import type { Recipients } from '../model/topics.ts';
import {
  AccountError,
  isInterfaceLanguage,
  isSeatRole,
  isUserRole,
  SignInLimitError,
  type InterfaceLanguage,
  type User,
  type UserRole,
} from '../model/users.ts';

/** Failed sign-ins allowed in a window before further attempts are refused. */
export interface AttemptLimit {
  max: number;
  windowMs: number;
}

export interface AccountOptions {
  /** Per account (e-mail), default 5 in 15 minutes. */
  perAccount?: AttemptLimit;
  /** Per client address, default 20 in 15 minutes. */
  perAddress?: AttemptLimit;
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
export const NAME_MAX = 120;
const EMAIL = /^[^\s@<>"'`]+@[^\s@<>"'`]+\.[^\s@<>"'`]+$/;

// A password a person chose gets OWASP's argon2id settings (19 MiB, 2 passes). A password newsflow
// generated (one-time passwords, the demo's) has ~99 bits of entropy, which no stretching improves, so it
// gets 1 MiB: creating users (the demo at first start among them) must not leave the idle process tens of
// MiB larger (argon2 works in libuv's threads, whose malloc arenas keep what they once held).
const ARGON_CHOSEN = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const ARGON_GENERATED = { memoryCost: 1024, timeCost: 2, parallelism: 1 } as const;

type Argon2 = typeof import('argon2');
let argon: Promise<Argon2> | undefined;
const loadArgon = (): Promise<Argon2> => (argon ??= import('argon2').then((m) => ((m as { default?: Argon2 }).default ?? m) as Argon2));

/** The argon2id hash of a password; `generated` for passwords newsflow made up itself (see above). */
export async function hashPassword(password: string, generated = false): Promise<string> {
  const a = await loadArgon();
  return a.hash(password, { type: a.argon2id, ...(generated ? ARGON_GENERATED : ARGON_CHOSEN) });
}

async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const a = await loadArgon();
  try {
    return await a.verify(hash, password);
  } catch {
    return false;
  }
}

/** A one-time password: 20 letters and digits without look-alikes, in groups of five for reading aloud. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) out += (i > 0 && i % 5 === 0 ? '-' : '') + alphabet[bytes[i] % alphabet.length];
  return out;
}

export function checkPassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN) throw new AccountError(field, `a password needs at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw new AccountError(field, `a password has at most ${PASSWORD_MAX} characters`);
}

export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254) throw new AccountError('email', 'enter an e-mail address like name@agency.example');
  return e;
}

function checkName(name: string): string {
  const n = name.trim();
  if (!n) throw new AccountError('name', 'a name is required');
  if (n.length > NAME_MAX) throw new AccountError('name', `a name has at most ${NAME_MAX} characters`);
  return n;
}

export interface AddUser {
  email: string;
  role: string;
  name?: string;
  language?: string;
  subscriberId?: string | null;
  /** A password chosen by whoever adds the user; a one-time password is generated when absent. */
  password?: string;
  /** A generated password must be changed at first sign-in unless this is false (the demo's users). */
  oneTime?: boolean;
}

export class Accounts {
  private readonly perAccount: AttemptLimit;
  private readonly perAddress: AttemptLimit;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: Store,
    opts: AccountOptions = {},
  ) {
    this.perAccount = opts.perAccount ?? { max: 5, windowMs: 15 * 60_000 };
    this.perAddress = opts.perAddress ?? { max: 20, windowMs: 15 * 60_000 };
  }

  /** Adds a user; returns the password (generated, to be shown once) with the user. Every new password must be changed at first sign-in unless given. */
  async add(a: AddUser): Promise<{ user: User; password: string; oneTime: boolean }> {
    const email = normaliseEmail(a.email);
    if (!isUserRole(a.role)) throw new AccountError('role', `"${a.role}" is not a role; use reporter, editor, admin, seat or seat-admin`);
    if (isSeatRole(a.role) && !a.subscriberId) throw new AccountError('subscriberId', 'a seat belongs to a subscriber');
    if (!isSeatRole(a.role) && a.subscriberId) throw new AccountError('role', 'staff roles belong to the agency, not to a subscriber');
    const language = a.language ?? 'en';
    if (!isInterfaceLanguage(language)) throw new AccountError('language', `"${language}" is not an interface language; use ar, tr or en`);
    const name = checkName(a.name ?? email.split('@')[0]);
    const generated = a.password === undefined;
    const oneTime = generated && a.oneTime !== false;
    const password = a.password ?? oneTimePassword();
    if (!generated) checkPassword(password);
    if (await this.store.users.getByEmail(email)) throw new AccountError('email', `a user with the e-mail ${email} already exists`);
    if (isSeatRole(a.role)) await this.checkSeatLimit(a.subscriberId!);
    const user = await this.store.users.create({
      email,
      name,
      role: a.role,
      language,
      subscriberId: a.subscriberId ?? null,
      passwordHash: await hashPassword(password, generated),
      mustChangePassword: oneTime,
    });
    return { user, password, oneTime };
  }

  /**
   * The user with this e-mail and password, or an AccountError on `password` (one message whether the
   * e-mail or the password was wrong, so addresses cannot be probed); a SignInLimitError once the
   * account or the address has had too many failures in the window.
   */
  async authenticate(emailText: string, password: string, address: string, now = new Date()): Promise<User> {
    const email = emailText.trim().toLowerCase();
    const accountKey = `account:${email}`;
    const addressKey = `address:${address}`;
    for (const [key, limit, scope] of [
      [accountKey, this.perAccount, 'account'],
      [addressKey, this.perAddress, 'address'],
    ] as const) {
      const n = await this.store.users.countFailedSignIns(key, new Date(now.getTime() - limit.windowMs));
      if (n >= limit.max) throw new SignInLimitError(scope, limit.windowMs / 1000);
    }
    const user = email ? await this.store.users.getByEmail(email) : null;
    const hash = user ? await this.store.users.passwordHash(user.id) : null;
    // Without a user, a hash (with a chosen password's settings) is still checked, so a wrong address
    // takes as long as a wrong password.
    const ok = await verifyPassword(hash ?? (await (this.dummyHash ??= hashPassword(oneTimePassword()))), password);
    if (!user || !ok || !user.active) {
      await this.store.users.recordFailedSignIn([accountKey, addressKey], now);
      throw new AccountError(
        'password',
        user && ok && !user.active ? 'this account is deactivated; ask an administrator' : 'the e-mail or the password is not right',
      );
    }
    await this.store.users.clearFailedSignIns(accountKey);
    return user;
  }

  async get(id: string): Promise<User | null> {
    return this.store.users.get(id);
  }

  async list(filter?: { subscriberId?: string | null; staff?: boolean }): Promise<User[]> {
    return this.store.users.list(filter);
  }

  async changeRole(id: string, role: string): Promise<User> {
    const user = await this.need(id);
    if (!isUserRole(role)) throw new AccountError('role', `"${role}" is not a role`);
    if (isSeatRole(role) !== isSeatRole(user.role)) throw new AccountError('role', 'a seat stays a seat and staff stay staff');
    return this.store.users.update(id, { role: role as UserRole });
  }

  /** Deactivates and ends every session of the user at once. */
  async deactivate(id: string): Promise<User> {
    await this.need(id);
    const user = await this.store.users.update(id, { active: false });
    await this.store.users.deleteSessionsOf(id);
    return user;
  }

  async reactivate(id: string): Promise<User> {
    const u = await this.need(id);
    if (!u.active && u.subscriberId) await this.checkSeatLimit(u.subscriberId);
    return this.store.users.update(id, { active: true });
  }

  /** A new one-time password (shown once); the user's sessions end. */
  async resetPassword(id: string): Promise<{ user: User; password: string }> {
    await this.need(id);
    const password = oneTimePassword();
    const user = await this.store.users.setPassword(id, await hashPassword(password, true), true);
    await this.store.users.deleteSessionsOf(id);
    return { user, password };
  }

  /** The user's own change: the current password must be right; every session of the user ends (the caller starts a fresh one). */
  async changeOwnPassword(id: string, current: string, next: string, repeat: string): Promise<User> {
    const hash = await this.store.users.passwordHash(id);
    if (!hash || !(await verifyPassword(hash, current))) throw new AccountError('current', 'the current password is not right');
    checkPassword(next, 'next');
    if (next !== repeat) throw new AccountError('repeat', 'the two new passwords differ');
    if (next === current) throw new AccountError('next', 'choose a password other than the current one');
    const user = await this.store.users.setPassword(id, await hashPassword(next), false);
    await this.store.users.deleteSessionsOf(id);
    return user;
  }

  async updateProfile(id: string, p: { name: string; language: string }): Promise<User> {
    const name = checkName(p.name);
    if (!isInterfaceLanguage(p.language)) throw new AccountError('language', 'choose Arabic, Turkish or English');
    return this.store.users.update(id, { name, language: p.language as InterfaceLanguage });
  }

  async signOutEverywhere(id: string): Promise<number> {
    return this.store.users.deleteSessionsOf(id);
  }

  /**
   * Refuses another active seat when the subscriber has all the seats the agency allows it
   * (Subscriber.seatLimit; null: no limit set). Deactivated seats do not count.
   */
  async checkSeatLimit(subscriberId: string): Promise<void> {
    const subscriber = await this.store.subscribers.getSubscriber(subscriberId);
    // An unknown subscriber has no limit to keep (the CLI and the portal check that it exists first).
    if (!subscriber || subscriber.seatLimit === null) return;
    const active = (await this.store.users.list({ subscriberId })).filter((u) => u.active).length;
    if (active >= subscriber.seatLimit) {
      throw new AccountError('seats', `subscriber ${subscriberId} has all ${subscriber.seatLimit} of its seats in use; deactivate one or raise its seat limit`);
    }
  }

  private async need(id: string): Promise<User> {
    const u = await this.store.users.get(id);
    if (!u) throw new AccountError('user', `no user ${id}`);
    return u;
  }
}

/** The seats topic alerts go to, read from the users table: a staff user or an unknown id gets nothing. */
export function seatRecipients(store: Store): Recipients {
  return {
    async recipient(userId) {
      const u = await store.users.get(userId);
      if (!u?.subscriberId || !isSeatRole(u.role)) return null;
      return { email: u.email, name: u.name, language: u.language, active: u.active, subscriberId: u.subscriberId };
    },
  };
}
