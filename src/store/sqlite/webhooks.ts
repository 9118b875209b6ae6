// Webhook subscriptions (each an outbox cursor) and their delivery attempts.
import type Database from 'better-sqlite3';
import type { EventKind } from '../../model/story.ts';
import type { AttemptOutcome, Webhook, WebhookAttempt, WebhookWithSecret } from '../../model/subscribers.ts';
import { stmt } from './statements.ts';

interface WebhookRow {
  id: string;
  subscriber_id: string;
  url: string;
  secret: string;
  events: string | null;
  alert_id: string | null;
  cursor: number;
  status: Webhook['status'];
  attempt: number;
  next_attempt_at: string;
  failing_since: string | null;
  last_error: string | null;
  created_at: string;
  paused_at: string | null;
}

function toWebhook(r: WebhookRow): WebhookWithSecret {
  return {
    id: r.id,
    subscriberId: r.subscriber_id,
    url: r.url,
    secret: r.secret,
    events: r.events ? (JSON.parse(r.events) as EventKind[]) : null,
    alertId: r.alert_id ?? null,
    cursor: r.cursor,
    status: r.status,
    attempt: r.attempt,
    nextAttemptAt: r.next_attempt_at,
    failingSince: r.failing_since,
    lastError: r.last_error,
    createdAt: r.created_at,
    pausedAt: r.paused_at ?? null,
  };
}

/** The subscription without its secret, as its owner sees it. */
export function withoutSecret(w: WebhookWithSecret): Webhook {
  const { secret: _secret, ...rest } = w;
  return rest;
}

/** Inserts a subscription, due now. */
export function insertWebhook(
  db: Database.Database,
  w: { id: string; subscriberId: string; url: string; secret: string; events: EventKind[] | null; cursor: number; alertId?: string | null },
  now: string,
): void {
  stmt(
    db,
    `INSERT INTO webhooks (id, subscriber_id, url, secret, events, cursor, next_attempt_at, created_at, alert_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(w.id, w.subscriberId, w.url, w.secret, w.events ? JSON.stringify(w.events) : null, w.cursor, now, now, w.alertId ?? null);
}

/** Reads one subscription that was not deleted. */
export function selectWebhook(db: Database.Database, id: string): WebhookWithSecret | null {
  const r = stmt(db, `SELECT * FROM webhooks WHERE id = ? AND status != 'deleted'`).get(id) as WebhookRow | undefined;
  return r ? toWebhook(r) : null;
}

/** Lists subscriptions that were not deleted, optionally of one subscriber, oldest first. */
export function selectWebhooks(db: Database.Database, subscriberId?: string): WebhookWithSecret[] {
  const rows = subscriberId
    ? stmt(db, `SELECT * FROM webhooks WHERE subscriber_id = ? AND status != 'deleted' ORDER BY created_at, id`).all(subscriberId)
    : stmt(db, `SELECT * FROM webhooks WHERE status != 'deleted' ORDER BY created_at, id`).all();
  return (rows as WebhookRow[]).map(toWebhook);
}

/** Marks a subscription deleted (its attempts stay for the record). */
export function markWebhookDeleted(db: Database.Database, id: string): boolean {
  return stmt(db, `UPDATE webhooks SET status = 'deleted' WHERE id = ? AND status != 'deleted'`).run(id).changes === 1;
}

/** Active subscriptions whose next attempt is due; with `owner`, only those no other worker holds a live lease on. */
export function selectDueWebhooks(db: Database.Database, now: string, owner?: string): WebhookWithSecret[] {
  if (owner === undefined) {
    return (
      stmt(db, `SELECT * FROM webhooks WHERE status = 'active' AND paused_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at`).all(
        now,
      ) as WebhookRow[]
    ).map(toWebhook);
  }
  return (
    stmt(
      db,
      `SELECT * FROM webhooks WHERE status = 'active' AND paused_at IS NULL AND next_attempt_at <= ?
                      AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until < ?)
                    ORDER BY next_attempt_at`,
    ).all(now, owner, now) as WebhookRow[]
  ).map(toWebhook);
}

/**
 * Takes the lease of a due, active subscription for `owner` until `until`, unless another owner holds an
 * unexpired one; run it in an IMMEDIATE transaction so two workers cannot both win. True when claimed.
 */
export function claimWebhookLease(db: Database.Database, id: string, owner: string, until: string, now: string): boolean {
  return (
    stmt(
      db,
      `UPDATE webhooks SET lease_owner = ?, lease_until = ?
                   WHERE id = ? AND status = 'active' AND paused_at IS NULL AND next_attempt_at <= ?
                     AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until < ?)`,
    ).run(owner, until, id, now, owner, now).changes === 1
  );
}

/**
 * Extends the lease `owner` holds (false when it lost it to another worker, or the subscription is gone
 * or paused: a pause stops the worker before its next message).
 */
export function renewWebhookLease(db: Database.Database, id: string, owner: string, until: string): boolean {
  return (
    stmt(db, `UPDATE webhooks SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status != 'deleted' AND paused_at IS NULL`).run(until, id, owner)
      .changes === 1
  );
}

/** Gives the lease back, if `owner` still holds it. */
export function releaseWebhookLease(db: Database.Database, id: string, owner: string): void {
  stmt(db, `UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`).run(id, owner);
}

/** Moves the cursor forward past events the subscription does not get. */
export function updateWebhookCursor(db: Database.Database, id: string, cursor: number, nextAttemptAt: string | null): void {
  stmt(db, `UPDATE webhooks SET cursor = max(cursor, ?), next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?`).run(cursor, nextAttemptAt, id);
}

/** Writes the subscription's state after an attempt. */
export function updateWebhookState(db: Database.Database, id: string, s: AttemptOutcome['state']): void {
  stmt(
    db,
    `UPDATE webhooks SET cursor = ?, status = CASE WHEN status = 'deleted' THEN status ELSE ? END, attempt = ?,
              next_attempt_at = ?, failing_since = ?, last_error = ? WHERE id = ?`,
  ).run(s.cursor, s.status, s.attempt, s.nextAttemptAt, s.failingSince, s.lastError, id);
}

/** Makes a subscription active and due now, optionally moving its cursor (redeliver). */
export function resetWebhookRow(db: Database.Database, id: string, cursor: number | null, now: string): boolean {
  return (
    stmt(
      db,
      `UPDATE webhooks SET status = 'active', attempt = 0, failing_since = NULL, last_error = NULL,
                     next_attempt_at = ?, cursor = coalesce(?, cursor) WHERE id = ? AND status != 'deleted'`,
    ).run(now, cursor, id).changes === 1
  );
}

/** Pauses (no delivery, the cursor waits) or resumes (due at once) a subscription; false when there is none. */
export function setWebhookPausedRow(db: Database.Database, id: string, paused: boolean, now: string): boolean {
  return (
    stmt(
      db,
      `UPDATE webhooks SET paused_at = CASE WHEN ? THEN coalesce(paused_at, ?) ELSE NULL END,
                     next_attempt_at = CASE WHEN ? THEN next_attempt_at ELSE ? END
                   WHERE id = ? AND status != 'deleted'`,
    ).run(paused ? 1 : 0, now, paused ? 1 : 0, now, id).changes === 1
  );
}

interface AttemptRow {
  id: number;
  webhook_id: string;
  seq: number;
  message_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  latency_ms: number;
  ok: number;
  error: string | null;
}

/** Appends one delivery attempt. */
export function insertAttempt(db: Database.Database, a: Omit<WebhookAttempt, 'id'>): void {
  stmt(
    db,
    `INSERT INTO webhook_attempts (webhook_id, seq, message_id, attempt, at, status_code, latency_ms, ok, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(a.webhookId, a.seq, a.messageId, a.attempt, a.at, a.statusCode, a.latencyMs, a.ok ? 1 : 0, a.error);
}

/** A subscription's attempts, newest first. */
export function selectAttempts(db: Database.Database, webhookId: string, limit: number): WebhookAttempt[] {
  return (stmt(db, `SELECT * FROM webhook_attempts WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`).all(webhookId, limit) as AttemptRow[]).map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    seq: r.seq,
    messageId: r.message_id,
    attempt: r.attempt,
    at: r.at,
    statusCode: r.status_code,
    latencyMs: r.latency_ms,
    ok: r.ok === 1,
    error: r.error,
  }));
}
