// SiteStore on PostgreSQL (the SQLite twin: ../sqlite/site.ts).
import type pg from 'pg';
import type { SiteStore } from '../../model/site.ts';
import { notYet } from './not-yet.ts';

export function pgSiteStore(_pool: pg.Pool): SiteStore {
  return notYet<SiteStore>('site');
}
