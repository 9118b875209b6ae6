// Usage counters: stories delivered per subscriber, channel and day, the basis of billing.
import type Database from 'better-sqlite3';
import type { UsageRow } from '../../model/subscribers.ts';
import { stmt } from './statements.ts';

/** Adds `count` to one counter, creating it at zero. */
export function addUsageRow(db: Database.Database, r: UsageRow): void {
  stmt(
    db,
    `INSERT INTO usage_counters (subscriber_id, channel, day, count) VALUES (?, ?, ?, ?)
            ON CONFLICT (subscriber_id, channel, day) DO UPDATE SET count = count + excluded.count`,
  ).run(r.subscriberId, r.channel, r.day, r.count);
}

/** A subscriber's counters between two days (inclusive), oldest first. */
export function selectUsage(db: Database.Database, subscriberId: string, from: string, to: string): UsageRow[] {
  return (
    stmt(
      db,
      `SELECT subscriber_id, channel, day, count FROM usage_counters
                    WHERE subscriber_id = ? AND day BETWEEN ? AND ? ORDER BY day, channel`,
    ).all(subscriberId, from, to) as { subscriber_id: string; channel: UsageRow['channel']; day: string; count: number }[]
  ).map((r) => ({ subscriberId: r.subscriber_id, channel: r.channel, day: r.day, count: r.count }));
}
