// SavedSearchStore on PostgreSQL (the SQLite twin: ../sqlite/saved-searches.ts).
import type pg from 'pg';
import type { SavedSearchStore } from '../../model/saved-searches.ts';
import { notYet } from './not-yet.ts';

export function pgSavedSearchStore(_pool: pg.Pool): SavedSearchStore {
  return notYet<SavedSearchStore>('saved-searches');
}
