// Topics on SQLite: follows, the outbox of alert e-mails and in-portal notifications.
import type Database from 'better-sqlite3';
import { newId } from '../../model/ids.ts';
import type { Follow, FollowMode, FollowProgress, Notification, PendingAlert, TopicStore } from '../../model/topics.ts';
import { stmt } from './statements.ts';

import { type FollowRow, type NotificationRow, type PendingRow, toFollow, toNotification, toPending } from '../rows/topics.ts';

export class SqliteTopicStore implements TopicStore {
  constructor(private readonly db: Database.Database) {}

  async follow(
    f: { userId: string; subscriberId: string; savedSearchId: string; mode: FollowMode; notify: boolean; cursor: number },
    now = new Date(),
  ): Promise<Follow> {
    // Following again changes how, not from where: the cursor of an existing follow stays.
    stmt(
      this.db,
      `INSERT INTO topic_follows (id, user_id, subscriber_id, saved_search_id, mode, notify, cursor, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, saved_search_id) DO UPDATE SET mode = excluded.mode, notify = excluded.notify`,
    ).run(newId(now.getTime()), f.userId, f.subscriberId, f.savedSearchId, f.mode, f.notify ? 1 : 0, f.cursor, now.toISOString());
    const row = stmt(this.db, `SELECT * FROM topic_follows WHERE user_id = ? AND saved_search_id = ?`).get(f.userId, f.savedSearchId) as FollowRow;
    return toFollow(row);
  }

  async getFollow(id: string): Promise<Follow | null> {
    const r = stmt(this.db, `SELECT * FROM topic_follows WHERE id = ?`).get(id) as FollowRow | undefined;
    return r ? toFollow(r) : null;
  }

  async listFollows(userId: string): Promise<Follow[]> {
    return (stmt(this.db, `SELECT * FROM topic_follows WHERE user_id = ? ORDER BY created_at, id`).all(userId) as FollowRow[]).map(toFollow);
  }

  async followsBehind(head: number): Promise<Follow[]> {
    return (stmt(this.db, `SELECT * FROM topic_follows WHERE cursor < ? ORDER BY cursor, id`).all(head) as FollowRow[]).map(toFollow);
  }

  async unfollow(id: string): Promise<boolean> {
    return stmt(this.db, `DELETE FROM topic_follows WHERE id = ?`).run(id).changes === 1;
  }

  async advance(followId: string, p: FollowProgress): Promise<void> {
    await this.advanceAll([{ followId, progress: p }]);
  }

  async advanceAll(all: { followId: string; progress: FollowProgress }[]): Promise<void> {
    if (all.length === 0) return;
    this.db
      .transaction(() => {
        for (const { followId, progress } of all) this.advanceRow(followId, progress);
      })
      .immediate();
  }

  private advanceRow(followId: string, p: FollowProgress): void {
    const follow = stmt(this.db, `SELECT user_id, saved_search_id FROM topic_follows WHERE id = ?`).get(followId) as
      | { user_id: string; saved_search_id: string }
      | undefined;
    // Unfollowed while the scan ran: nothing to record.
    if (!follow) return;
    for (const n of p.notifications) {
      stmt(
        this.db,
        `INSERT OR IGNORE INTO topic_notifications (user_id, follow_id, saved_search_id, story_id, version, headline, language, seen, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      ).run(follow.user_id, followId, follow.saved_search_id, n.storyId, n.version, n.headline, n.language, n.at);
    }
    for (const a of p.pending) {
      stmt(
        this.db,
        `INSERT OR IGNORE INTO topic_pending (follow_id, story_id, version, seq, kind, headline, language, urgency, embargo_until, at, due_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(followId, a.storyId, a.version, a.seq, a.kind, a.headline, a.language, a.urgency, a.embargoUntil, a.at, a.dueAt);
    }
    // Never backwards: two scans racing cannot make a follow examine events twice.
    stmt(this.db, `UPDATE topic_follows SET cursor = max(cursor, ?) WHERE id = ?`).run(p.cursor, followId);
  }

  async followsWithDueAlerts(now: Date): Promise<string[]> {
    return (
      stmt(this.db, `SELECT DISTINCT follow_id FROM topic_pending WHERE due_at <= ? AND sent_at IS NULL ORDER BY follow_id`).all(now.toISOString()) as {
        follow_id: string;
      }[]
    ).map((r) => r.follow_id);
  }

  async nextAlertDue(): Promise<string | null> {
    const r = stmt(this.db, `SELECT min(due_at) AS due FROM topic_pending WHERE sent_at IS NULL`).get() as { due: string | null };
    return r.due;
  }

  async pendingAlerts(followId: string, now: Date): Promise<PendingAlert[]> {
    return (
      stmt(this.db, `SELECT * FROM topic_pending WHERE follow_id = ? AND sent_at IS NULL AND due_at <= ? ORDER BY seq`).all(
        followId,
        now.toISOString(),
      ) as PendingRow[]
    ).map(toPending);
  }

  async markSent(followId: string, sent: { storyId: string; version: number }[], now = new Date()): Promise<void> {
    this.db.transaction(() => {
      for (const s of sent)
        stmt(this.db, `UPDATE topic_pending SET sent_at = ? WHERE follow_id = ? AND story_id = ? AND version = ?`).run(
          now.toISOString(),
          followId,
          s.storyId,
          s.version,
        );
    })();
  }

  async postpone(followId: string, until: Date): Promise<void> {
    const at = until.toISOString();
    stmt(this.db, `UPDATE topic_pending SET due_at = ? WHERE follow_id = ? AND sent_at IS NULL AND due_at < ?`).run(at, followId, at);
  }

  async pruneSent(before: Date): Promise<number> {
    return stmt(this.db, `DELETE FROM topic_pending WHERE sent_at IS NOT NULL AND sent_at < ?`).run(before.toISOString()).changes;
  }

  async notifications(userId: string, opts: { unseenOnly?: boolean; limit?: number } = {}): Promise<Notification[]> {
    const limit = Math.max(1, Math.min(opts.limit ?? 50, 500));
    const sql = opts.unseenOnly
      ? `SELECT * FROM topic_notifications WHERE user_id = ? AND seen = 0 ORDER BY id DESC LIMIT ?`
      : `SELECT * FROM topic_notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?`;
    return (stmt(this.db, sql).all(userId, limit) as NotificationRow[]).map(toNotification);
  }

  async markSeen(userId: string, ids: number[]): Promise<number> {
    let changed = 0;
    this.db.transaction(() => {
      for (const id of ids)
        changed += stmt(this.db, `UPDATE topic_notifications SET seen = 1 WHERE id = ? AND user_id = ? AND seen = 0`).run(id, userId).changes;
    })();
    return changed;
  }
}
