// TopicStore on PostgreSQL (the SQLite twin: ../sqlite/topics.ts): follows, the outbox of alert e-mails
// and in-portal notifications.
import type pg from 'pg';
import { newId } from '../../model/ids.ts';
import type { Follow, FollowMode, FollowProgress, Notification, PendingAlert, TopicStore } from '../../model/topics.ts';
import { readWith, writeWith } from './database.ts';

import { type FollowRow, type NotificationRow, type PendingRow, toFollow, toNotification, toPending } from '../rows/topics.ts';

// topic_follows as SQLite's SELECT * reads it.
const FOLLOW_COLUMNS = 'id, user_id, subscriber_id, saved_search_id, mode, notify, cursor, created_at';

/** Records one follow's progress inside the caller's transaction; the follow row is already locked. */
async function advanceRow(sql: pg.PoolClient, follow: { id: string; user_id: string; saved_search_id: string }, p: FollowProgress): Promise<void> {
  // Rows go in the order given (WITH ORDINALITY), so notification ids rise as SQLite's do, and a repeat
  // of follow+story+version, in this batch or an earlier one, is skipped like INSERT OR IGNORE.
  if (p.notifications.length > 0) {
    const n = p.notifications;
    await sql.query(
      `INSERT INTO topic_notifications (user_id, follow_id, saved_search_id, story_id, version, headline, language, seen, at)
       SELECT $1, $2, $3, story_id, version, headline, language, 0, at
         FROM unnest($4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS n(story_id, version, headline, language, at, ord)
        ORDER BY ord
       ON CONFLICT (follow_id, story_id, version) DO NOTHING`,
      [
        follow.user_id,
        follow.id,
        follow.saved_search_id,
        n.map((x) => x.storyId),
        n.map((x) => x.version),
        n.map((x) => x.headline),
        n.map((x) => x.language),
        n.map((x) => x.at),
      ],
    );
  }
  if (p.pending.length > 0) {
    const a = p.pending;
    await sql.query(
      `INSERT INTO topic_pending (follow_id, story_id, version, seq, kind, headline, language, urgency, embargo_until, at, due_at)
       SELECT $1, story_id, version, seq, kind, headline, language, urgency, embargo_until, at, due_at
         FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[])
              WITH ORDINALITY AS a(story_id, version, seq, kind, headline, language, urgency, embargo_until, at, due_at, ord)
        ORDER BY ord
       ON CONFLICT (follow_id, story_id, version) DO NOTHING`,
      [
        follow.id,
        a.map((x) => x.storyId),
        a.map((x) => x.version),
        a.map((x) => x.seq),
        a.map((x) => x.kind),
        a.map((x) => x.headline),
        a.map((x) => x.language),
        a.map((x) => x.urgency),
        a.map((x) => x.embargoUntil),
        a.map((x) => x.at),
        a.map((x) => x.dueAt),
      ],
    );
  }
  // Never backwards: two scans racing (two nodes) cannot make a follow examine events twice.
  await sql.query(`UPDATE topic_follows SET cursor = GREATEST(cursor, $1) WHERE id = $2`, [p.cursor, follow.id]);
}

export function pgTopicStore(pool: pg.Pool): TopicStore {
  const advanceAll = async (all: { followId: string; progress: FollowProgress }[]): Promise<void> => {
    if (all.length === 0) return;
    await writeWith(pool, 'recording topic alerts', async (sql) => {
      // Lock every follow of the pass at once, in id order: a concurrent unfollow waits (no insert
      // then refers to a deleted follow), and two nodes' passes cannot deadlock on each other.
      const ids = [...new Set(all.map((x) => x.followId))];
      const locked = await sql.query<{ id: string; user_id: string; saved_search_id: string }>(
        `SELECT id, user_id, saved_search_id FROM topic_follows WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
        [ids],
      );
      const follows = new Map(locked.rows.map((r) => [r.id, r]));
      for (const { followId, progress } of all) {
        const follow = follows.get(followId);
        // Unfollowed while the scan ran: nothing to record.
        if (follow) await advanceRow(sql, follow, progress);
      }
    });
  };

  return {
    async follow(
      f: { userId: string; subscriberId: string; savedSearchId: string; mode: FollowMode; notify: boolean; cursor: number },
      now = new Date(),
    ): Promise<Follow> {
      // Following again changes how, not from where: the cursor of an existing follow stays.
      return writeWith(pool, 'following a topic', async (sql) => {
        const r = await sql.query<FollowRow>(
          `INSERT INTO topic_follows (id, user_id, subscriber_id, saved_search_id, mode, notify, cursor, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (user_id, saved_search_id) DO UPDATE SET mode = excluded.mode, notify = excluded.notify
           RETURNING ${FOLLOW_COLUMNS}`,
          [newId(now.getTime()), f.userId, f.subscriberId, f.savedSearchId, f.mode, f.notify ? 1 : 0, f.cursor, now.toISOString()],
        );
        return toFollow(r.rows[0]);
      });
    },

    async getFollow(id: string): Promise<Follow | null> {
      return readWith('reading a follow', async () => {
        const r = await pool.query<FollowRow>(`SELECT ${FOLLOW_COLUMNS} FROM topic_follows WHERE id = $1`, [id]);
        return r.rows[0] ? toFollow(r.rows[0]) : null;
      });
    },

    async listFollows(userId: string): Promise<Follow[]> {
      return readWith("listing a user's follows", async () =>
        (
          await pool.query<FollowRow>(`SELECT ${FOLLOW_COLUMNS} FROM topic_follows WHERE user_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"`, [
            userId,
          ])
        ).rows.map(toFollow),
      );
    },

    async followsBehind(head: number): Promise<Follow[]> {
      return readWith('listing follows behind the log', async () =>
        (await pool.query<FollowRow>(`SELECT ${FOLLOW_COLUMNS} FROM topic_follows WHERE cursor < $1 ORDER BY cursor, id COLLATE "C"`, [head])).rows.map(
          toFollow,
        ),
      );
    },

    async unfollow(id: string): Promise<boolean> {
      return writeWith(pool, 'unfollowing a topic', async (sql) => (await sql.query(`DELETE FROM topic_follows WHERE id = $1`, [id])).rowCount === 1);
    },

    async advance(followId: string, p: FollowProgress): Promise<void> {
      await advanceAll([{ followId, progress: p }]);
    },

    advanceAll,

    async followsWithDueAlerts(now: Date): Promise<string[]> {
      return readWith('listing follows with due alerts', async () =>
        (
          await pool.query<{ follow_id: string }>(
            `SELECT follow_id FROM topic_pending WHERE due_at <= $1 AND sent_at IS NULL GROUP BY follow_id ORDER BY follow_id COLLATE "C"`,
            [now.toISOString()],
          )
        ).rows.map((r) => r.follow_id),
      );
    },

    async nextAlertDue(): Promise<string | null> {
      return readWith('reading the next alert due', async () => {
        const r = await pool.query<{ due: string | null }>(`SELECT min(due_at COLLATE "C") AS due FROM topic_pending WHERE sent_at IS NULL`);
        return r.rows[0].due;
      });
    },

    async pendingAlerts(followId: string, now: Date): Promise<PendingAlert[]> {
      return readWith('reading queued alerts', async () =>
        (
          await pool.query<PendingRow>(`SELECT * FROM topic_pending WHERE follow_id = $1 AND sent_at IS NULL AND due_at <= $2 ORDER BY seq`, [
            followId,
            now.toISOString(),
          ])
        ).rows.map(toPending),
      );
    },

    async markSent(followId: string, sent: { storyId: string; version: number }[], now = new Date()): Promise<void> {
      if (sent.length === 0) return;
      await writeWith(pool, 'marking alerts sent', (sql) =>
        sql.query(
          `UPDATE topic_pending p SET sent_at = $1
             FROM unnest($3::text[], $4::bigint[]) AS s(story_id, version)
            WHERE p.follow_id = $2 AND p.story_id = s.story_id AND p.version = s.version`,
          [now.toISOString(), followId, sent.map((s) => s.storyId), sent.map((s) => s.version)],
        ),
      );
    },

    async postpone(followId: string, until: Date): Promise<void> {
      const at = until.toISOString();
      await writeWith(pool, 'postponing alerts', (sql) =>
        sql.query(`UPDATE topic_pending SET due_at = $1 WHERE follow_id = $2 AND sent_at IS NULL AND due_at < $1`, [at, followId]),
      );
    },

    async pruneSent(before: Date): Promise<number> {
      return writeWith(
        pool,
        'pruning sent alerts',
        async (sql) => (await sql.query(`DELETE FROM topic_pending WHERE sent_at IS NOT NULL AND sent_at < $1`, [before.toISOString()])).rowCount ?? 0,
      );
    },

    async notifications(userId: string, opts: { unseenOnly?: boolean; limit?: number } = {}): Promise<Notification[]> {
      const limit = Math.max(1, Math.min(opts.limit ?? 50, 500));
      const text = opts.unseenOnly
        ? `SELECT * FROM topic_notifications WHERE user_id = $1 AND seen = 0 ORDER BY id DESC LIMIT $2`
        : `SELECT * FROM topic_notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2`;
      return readWith("reading a user's notifications", async () => (await pool.query<NotificationRow>(text, [userId, limit])).rows.map(toNotification));
    },

    async markSeen(userId: string, ids: number[]): Promise<number> {
      // An id that is no whole number matches no row (as on SQLite), rather than failing the bigint cast.
      const whole = ids.filter((id) => Number.isSafeInteger(id));
      if (whole.length === 0) return 0;
      return writeWith(
        pool,
        'marking notifications seen',
        async (sql) =>
          (await sql.query(`UPDATE topic_notifications SET seen = 1 WHERE id = ANY($1::bigint[]) AND user_id = $2 AND seen = 0`, [whole, userId])).rowCount ??
          0,
      );
    },
  };
}
