// SubscriberStore on PostgreSQL (the SQLite twin: ../sqlite/subscribers.ts).
import type pg from 'pg';
import type { SubscriberStore } from '../../model/subscribers.ts';
import { notYet } from './not-yet.ts';

export function pgSubscriberStore(_pool: pg.Pool): SubscriberStore {
  return notYet<SubscriberStore>('subscribers');
}
