// UserStore on PostgreSQL (the SQLite twin: ../sqlite/users.ts).
import type pg from 'pg';
import type { UserStore } from '../../model/users.ts';
import { notYet } from './not-yet.ts';

export function pgUserStore(_pool: pg.Pool): UserStore {
  return notYet<UserStore>('users');
}
