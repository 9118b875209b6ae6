// AuditStore on PostgreSQL (the SQLite twin: ../sqlite/audit.ts).
import type pg from 'pg';
import type { AuditStore } from '../../model/audit.ts';
import { notYet } from './not-yet.ts';

export function pgAuditStore(_pool: pg.Pool): AuditStore {
  return notYet<AuditStore>('audit');
}
