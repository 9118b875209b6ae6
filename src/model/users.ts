// People who sign in: the agency's staff (reporter, editor, admin) at the desk, and subscribers' seats
// at the portal. Both sign in the same way; what they may reach is decided by the role.

import type { Actor } from './actor.ts';
export const STAFF_ROLES = ['reporter', 'editor', 'admin'] as const;
export const SEAT_ROLES = ['seat', 'seat-admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type SeatRole = (typeof SEAT_ROLES)[number];
export type UserRole = StaffRole | SeatRole;

export const INTERFACE_LANGUAGES = ['ar', 'tr', 'en'] as const;
export type InterfaceLanguage = (typeof INTERFACE_LANGUAGES)[number];

export interface User {
  id: string;
  /** Stored lowercased; unique. */
  email: string;
  name: string;
  role: UserRole;
  /** The subscriber a seat belongs to; null for staff. */
  subscriberId: string | null;
  language: InterfaceLanguage;
  active: boolean;
  /** Set by a one-time password (new account, reset): the next sign-in must choose a new one. */
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  subscriberId?: string | null;
  language?: InterfaceLanguage;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** A signed-in session as the store keeps it (the cookie holds only its id). */
export interface SessionRecord {
  id: string;
  userId: string | null;
  /** What the session library keeps (the CSRF secret among it), as JSON. */
  data: string;
  createdAt: string;
  lastSeenAt: string;
}

export const isStaffRole = (r: string): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r);
export const isSeatRole = (r: string): r is SeatRole => (SEAT_ROLES as readonly string[]).includes(r);
export const isUserRole = (r: string): r is UserRole => isStaffRole(r) || isSeatRole(r);
export const isInterfaceLanguage = (l: string): l is InterfaceLanguage => (INTERFACE_LANGUAGES as readonly string[]).includes(l);

export interface UserStore {
  /** ConflictError when the e-mail is taken. */
  create(u: NewUser, now?: Date): Promise<User>;
  get(id: string): Promise<User | null>;
  getByEmail(email: string): Promise<User | null>;
  /** The stored password hash of an active or inactive user (null when none). */
  passwordHash(id: string): Promise<string | null>;
  list(filter?: { subscriberId?: string | null; staff?: boolean }): Promise<User[]>;
  /** Changes the given fields; NotFoundError when there is no such user. */
  update(id: string, change: Partial<Pick<User, 'name' | 'role' | 'language' | 'active' | 'mustChangePassword'>>, now?: Date): Promise<User>;
  setPassword(id: string, hash: string, mustChange: boolean, now?: Date): Promise<User>;

  // Sessions, kept in the store so several processes share them and ending one takes effect at once.
  getSession(id: string): Promise<SessionRecord | null>;
  /** Inserts or replaces a session's data (keeps its creation time). */
  saveSession(s: { id: string; userId: string | null; data: string }, now?: Date): Promise<void>;
  touchSession(id: string, now?: Date): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of a user (deactivation, sign-out everywhere, password change); returns how many. */
  deleteSessionsOf(userId: string): Promise<number>;
  /** Removes sessions not seen since `idleBefore` or created before `createdBefore`. */
  pruneSessions(idleBefore: Date, createdBefore: Date): Promise<number>;

  // Failed sign-ins, counted per account and per address.
  recordFailedSignIn(keys: string[], now?: Date): Promise<void>;
  /** Failed sign-ins under `key` since `since`. */
  countFailedSignIns(key: string, since: Date): Promise<number>;
  /** Forgets an account's failures after a successful sign-in. */
  clearFailedSignIns(key: string): Promise<void>;

  /** A random secret shared by every process on this store (signs session cookies); made on first use. */
  sessionSecret(): Promise<string>;
}

/** An account act refused because of one field (the form shows the message next to it). */
export class AccountError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

/** Too many failed sign-ins for this account or from this address. */
export class SignInLimitError extends Error {
  constructor(
    readonly scope: 'account' | 'address',
    readonly retryAfterS: number,
  ) {
    super(
      `too many failed sign-ins ${scope === 'account' ? 'for this account' : 'from this address'}; try again in ${Math.max(1, Math.ceil(retryAfterS / 60))} minute(s)`,
    );
    this.name = 'SignInLimitError';
  }
}

/** The user as the author of an act (a version, an event, an audit entry). */
export function userActor(u: Pick<User, 'id' | 'name'>): Actor {
  return { type: 'user', id: u.id, name: u.name };
}
