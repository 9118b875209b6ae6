// TopicStore on PostgreSQL (the SQLite twin: ../sqlite/topics.ts).
import type pg from 'pg';
import type { TopicStore } from '../../model/topics.ts';
import { notYet } from './not-yet.ts';

export function pgTopicStore(_pool: pg.Pool): TopicStore {
  return notYet<TopicStore>('topics');
}
