// MediaStore on PostgreSQL (the SQLite twin: ../sqlite/media.ts).
import type pg from 'pg';
import type { MediaStore } from '../../model/media.ts';
import { notYet } from './not-yet.ts';

export function pgMediaStore(_pool: pg.Pool): MediaStore {
  return notYet<MediaStore>('media');
}
