// SubscriberStore on PostgreSQL (the SQLite twin: ../sqlite/subscribers.ts, ../sqlite/webhooks.ts,
// ../sqlite/usage.ts): products with their version history, subscribers with their entitlements over
// time, a story's history for the entitlement rule, webhook outboxes and usage counters. Same results,
// order, errors and messages as the twin; text is ordered COLLATE "C" so it sorts as SQLite's bytes do.
//
// Webhook delivery on several nodes (issue 15 point 4, docs/decisions.md): SQLite's home-made lease
// (lease_owner/lease_until, expiring after 30 s) is replaced here by the database's own locking. Claiming a
// subscription locks its row (`FOR UPDATE SKIP LOCKED`, so two nodes claiming at once never wait on each
// other) and takes a session-level advisory lock on it (`pg_try_advisory_lock`) on one dedicated
// connection of this process, held for as long as the node delivers it; releasing is `pg_advisory_unlock`.
// A node that dies closes its connections, and PostgreSQL frees its locks at once: another node claims the
// subscription on its next tick, from the stored cursor, and the repeated message has the same webhook-id
// (derived from the subscription and the log position). `until` (the lease's expiry) means nothing here:
// the lock lasts exactly as long as the session. The flow (../../flow/webhooks.ts) is the same for both.
import pg from 'pg';
import { SYSTEM_ACTOR } from '../../model/actor.ts';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import { newId } from '../../model/ids.ts';
import type { EventKind, FlowEvent } from '../../model/story.ts';
import {
  type AttemptOutcome,
  entitlementTimeline,
  type NewProduct,
  type NewSubscriber,
  type Product,
  type ProductFilters,
  type ProductVersion,
  type Subscriber,
  type SubscriberChanges,
  type SubscriberStore,
  type SubscriptionChange,
  type UsageRow,
  type Webhook,
  type WebhookAttempt,
  type WebhookWithSecret,
} from '../../model/subscribers.ts';
import { readWith, type Sql, writeWith } from './database.ts';
import { StoreError } from '../errors.ts';
import { type EventRow, toEvent } from '../rows/events.ts';

/** The first key of every webhook's advisory lock (the second is webhooks.lock_key, migration 003). */
export const WEBHOOK_LOCK_CLASS = 7_301_003;

// ---------------------------------------------------------------------------------------------- products

interface ProductRow {
  id: string;
  name: string;
  languages: string;
  categories: string;
  max_urgency: number | null;
  media_types: string;
  embargo_rights: number;
  delay_seconds: number;
  created_at: string;
  updated_at: string | null;
}

function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    name: r.name,
    languages: JSON.parse(r.languages),
    categories: JSON.parse(r.categories),
    maxUrgency: r.max_urgency,
    mediaTypes: JSON.parse(r.media_types),
    embargoRights: r.embargo_rights === 1,
    delaySeconds: r.delay_seconds,
    createdAt: r.created_at,
    updatedAt: r.updated_at ?? r.created_at,
  };
}

/** Records a version of a product's filters from its `updatedAt` (a second change in the same millisecond replaces the first). */
async function insertProductVersion(sql: Sql, p: Product): Promise<void> {
  await sql.query(
    `INSERT INTO product_versions (product_id, effective_at, product) VALUES ($1, $2, $3)
     ON CONFLICT (product_id, effective_at) DO UPDATE SET product = excluded.product`,
    [p.id, p.updatedAt, JSON.stringify(p)],
  );
}

async function insertProduct(sql: Sql, p: Product): Promise<void> {
  await sql.query(
    `INSERT INTO products (id, name, languages, categories, max_urgency, media_types, embargo_rights, delay_seconds, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      p.id,
      p.name,
      JSON.stringify(p.languages),
      JSON.stringify(p.categories),
      p.maxUrgency,
      JSON.stringify(p.mediaTypes),
      p.embargoRights ? 1 : 0,
      p.delaySeconds,
      p.createdAt,
      p.updatedAt,
    ],
  );
  await insertProductVersion(sql, p);
}

/** A product by id or by name (the id wins when one product's name is another's id, as in SQLite's first row). */
async function selectProduct(sql: Sql, idOrName: string): Promise<Product | null> {
  const r = (await sql.query<ProductRow>(`SELECT * FROM products WHERE id = $1 OR name = $1 ORDER BY (id = $1) DESC LIMIT 1`, [idOrName])).rows[0];
  return r ? toProduct(r) : null;
}

async function selectProducts(sql: Sql): Promise<Product[]> {
  return (await sql.query<ProductRow>(`SELECT * FROM products ORDER BY name COLLATE "C"`)).rows.map(toProduct);
}

/** The versions of these products, each product's oldest first. */
async function selectProductVersions(sql: Sql, productIds: readonly string[]): Promise<ProductVersion[]> {
  if (productIds.length === 0) return [];
  const rows = (
    await sql.query<{ product_id: string; effective_at: string; product: string }>(
      `SELECT product_id, effective_at, product FROM product_versions WHERE product_id = ANY($1::text[])
        ORDER BY array_position($1::text[], product_id), effective_at COLLATE "C"`,
      [productIds],
    )
  ).rows;
  return rows.map((r) => ({ productId: r.product_id, effectiveAt: r.effective_at, product: JSON.parse(r.product) as Product }));
}

// ------------------------------------------------------------------------------------------- subscribers

interface SubscriberRow {
  id: string;
  name: string;
  rate_limit: number | null;
  default_format: string;
  seat_limit: number | null;
  created_at: string;
}

async function selectSubscriptionChanges(sql: Sql, subscriberId: string): Promise<SubscriptionChange[]> {
  return (
    await sql.query<{ effective_at: string; product_ids: string }>(
      `SELECT effective_at, product_ids FROM subscription_changes WHERE subscriber_id = $1 ORDER BY effective_at COLLATE "C"`,
      [subscriberId],
    )
  ).rows.map((r) => ({ effectiveAt: r.effective_at, productIds: JSON.parse(r.product_ids) as string[] }));
}

/**
 * Subscribers with their products and timelines: `ids` null for every one, oldest first. Four queries
 * whatever the number of subscribers (a round trip per subscriber would make listing thousands slow).
 */
async function selectSubscribersWith(sql: Sql, ids: string[] | null): Promise<Subscriber[]> {
  const only = ids === null ? '' : 'WHERE id = ANY($1::text[])';
  const rows = (await sql.query<SubscriberRow>(`SELECT * FROM subscribers ${only} ORDER BY created_at COLLATE "C", id COLLATE "C"`, ids === null ? [] : [ids]))
    .rows;
  if (rows.length === 0) return [];
  const wanted = rows.map((r) => r.id);
  const changes = new Map<string, SubscriptionChange[]>();
  for (const r of (
    await sql.query<{ subscriber_id: string; effective_at: string; product_ids: string }>(
      `SELECT subscriber_id, effective_at, product_ids FROM subscription_changes WHERE subscriber_id = ANY($1::text[]) ORDER BY effective_at COLLATE "C"`,
      [wanted],
    )
  ).rows) {
    const list = changes.get(r.subscriber_id) ?? [];
    list.push({ effectiveAt: r.effective_at, productIds: JSON.parse(r.product_ids) as string[] });
    changes.set(r.subscriber_id, list);
  }
  const current = new Map<string, Product[]>();
  for (const r of (
    await sql.query<ProductRow & { subscriber_id: string }>(
      `SELECT p.*, sp.subscriber_id FROM products p JOIN subscriber_products sp ON sp.product_id = p.id
        WHERE sp.subscriber_id = ANY($1::text[]) ORDER BY p.name COLLATE "C"`,
      [wanted],
    )
  ).rows) {
    const list = current.get(r.subscriber_id) ?? [];
    list.push(toProduct(r));
    current.set(r.subscriber_id, list);
  }
  const productIds = new Set([...changes.values()].flat().flatMap((c) => c.productIds));
  const versions = new Map<string, ProductVersion[]>();
  for (const v of await selectProductVersions(sql, [...productIds])) {
    const list = versions.get(v.productId) ?? [];
    list.push(v);
    versions.set(v.productId, list);
  }
  return rows.map((r) => {
    const mine = changes.get(r.id) ?? [];
    const ids = [...new Set(mine.flatMap((c) => c.productIds))];
    return {
      id: r.id,
      name: r.name,
      products: current.get(r.id) ?? [],
      rateLimit: r.rate_limit,
      defaultFormat: r.default_format,
      seatLimit: r.seat_limit,
      createdAt: r.created_at,
      entitlements: entitlementTimeline(
        mine,
        ids.flatMap((id) => versions.get(id) ?? []),
      ),
    };
  });
}

async function selectSubscriber(sql: Sql, id: string): Promise<Subscriber | null> {
  return (await selectSubscribersWith(sql, [id]))[0] ?? null;
}

/** Makes `productIds` the subscriber's current products and records the set in its history from `at`. */
async function linkProducts(sql: Sql, subscriberId: string, productIds: string[], at: string): Promise<void> {
  const unique = [...new Set(productIds)];
  await sql.query(`DELETE FROM subscriber_products WHERE subscriber_id = $1`, [subscriberId]);
  if (unique.length > 0) {
    await sql.query(`INSERT INTO subscriber_products (subscriber_id, product_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [subscriberId, unique]);
  }
  await sql.query(
    `INSERT INTO subscription_changes (subscriber_id, effective_at, product_ids) VALUES ($1, $2, $3)
     ON CONFLICT (subscriber_id, effective_at) DO UPDATE SET product_ids = excluded.product_ids`,
    [subscriberId, at, JSON.stringify(unique)],
  );
}

// ---------------------------------------------------------------------------------- the log, for the rule

/**
 * The story's events before `seq`, oldest first. A history missing its first publish (pruned by
 * retention) is rebuilt from the versions, which are never pruned (as selectStoryEventsBefore in SQLite).
 */
async function selectStoryEventsBefore(sql: Sql, storyId: string, seq: number): Promise<FlowEvent[]> {
  const logged = (await sql.query<EventRow>(`SELECT * FROM events WHERE story_id = $1 AND seq < $2 ORDER BY seq`, [storyId, seq])).rows.map(toEvent);
  if (logged.length > 0 && logged[0].version === 1 && logged[0].kind !== 'embargo-lifted') return logged;
  const current = (await sql.query<{ kind: FlowEvent['kind']; version: number; at: string }>(`SELECT kind, version, at FROM events WHERE seq = $1`, [seq]))
    .rows[0];
  if (!current) return logged;
  const versions = (
    await sql.query<{
      version: number;
      kind: FlowEvent['kind'];
      content: string;
      version_created_at: string;
      embargo_until: string | null;
      embargo_lifted_at: string | null;
    }>(
      `SELECT version, kind, content, version_created_at, embargo_until, embargo_lifted_at FROM versions
        WHERE story_id = $1 AND (version < $2 OR (version = $2 AND $3 = 'embargo-lifted')) ORDER BY version`,
      [storyId, current.version, current.kind],
    )
  ).rows;
  const rebuilt: FlowEvent[] = [];
  for (const v of versions) {
    const c = JSON.parse(v.content) as Pick<FlowEvent, 'language' | 'categories' | 'urgency' | 'mediaType'>;
    const routing = {
      storyId,
      version: v.version,
      language: c.language,
      categories: c.categories,
      urgency: c.urgency,
      mediaType: c.mediaType,
      embargoUntil: v.embargo_until,
      // The derivation asks only order and routing, never who did it.
      by: SYSTEM_ACTOR,
    };
    // seq 0: these positions are gone; only their order and routing matter to the derivation.
    rebuilt.push({ seq: 0, kind: v.kind, at: v.version_created_at, ...routing });
    if (v.embargo_lifted_at && v.embargo_lifted_at < current.at) rebuilt.push({ seq: 0, kind: 'embargo-lifted', at: v.embargo_lifted_at, ...routing });
  }
  return rebuilt;
}

/** The position just before the first event at or after `at` (the head when there is none). */
async function selectPositionBefore(sql: Sql, at: string): Promise<number> {
  const r = (await sql.query<{ seq: number | null }>(`SELECT min(seq) AS seq FROM events WHERE at >= $1`, [at])).rows[0];
  if (r.seq !== null) return r.seq - 1;
  return (await sql.query<{ head: number }>(`SELECT coalesce(max(seq), 0) AS head FROM events`)).rows[0].head;
}

// ----------------------------------------------------------------------------------------------- webhooks

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
  lock_key: number;
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

function withoutSecret(w: WebhookWithSecret): Webhook {
  const { secret: _secret, ...rest } = w;
  return rest;
}

async function selectWebhook(sql: Sql, id: string): Promise<WebhookWithSecret | null> {
  const r = (await sql.query<WebhookRow>(`SELECT * FROM webhooks WHERE id = $1 AND status != 'deleted'`, [id])).rows[0];
  return r ? toWebhook(r) : null;
}

async function insertAttempt(sql: Sql, a: Omit<WebhookAttempt, 'id'>): Promise<void> {
  await sql.query(
    `INSERT INTO webhook_attempts (webhook_id, seq, message_id, attempt, at, status_code, latency_ms, ok, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [a.webhookId, a.seq, a.messageId, a.attempt, a.at, a.statusCode, a.latencyMs, a.ok ? 1 : 0, a.error],
  );
}

/** The condition of a subscription a worker may deliver now ($2: now). */
const DUE = `status = 'active' AND paused_at IS NULL AND next_attempt_at <= $2`;
const DUE_NOW_1 = `status = 'active' AND paused_at IS NULL AND next_attempt_at <= $1`;

/**
 * The advisory locks this process holds on webhooks, on one dedicated connection (not from the pool: a pool
 * busy with queries must never keep a node from renewing or releasing, and a session lock is only ever as
 * good as the one session that holds it). The connection's backend pid tells our locks from other nodes'.
 */
class WebhookLocks {
  private conn: Promise<pg.Client> | null = null;
  private pid = 0;
  /** Webhook id → the worker (owner) of this process delivering it, and its lock key. */
  readonly held = new Map<string, { owner: string; key: number }>();
  /**
   * Webhooks whose lock went with a lost connection, until this process claims them again: another node
   * may deliver them now, so this one must not record an attempt it finished late (its cursor would go
   * back over the other node's).
   */
  readonly lost = new Set<string>();
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: pg.ClientConfig) {}

  /**
   * One query on the lock connection, after the ones asked before it: several workers claim, renew and
   * release at once, and a pg client given a query while another runs is deprecated (pg 9 refuses it).
   */
  query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const run = this.queue.then(async () => (await this.client()).query<R>(text, values));
    this.queue = run.catch(() => {});
    return run;
  }

  /** The lock connection, opened on first use and again after it was lost. */
  client(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    if (this.conn) return this.conn;
    const c = new pg.Client({ ...this.config, application_name: 'newsflow webhook locks' });
    const lost = () => {
      c.end().catch(() => {});
      // Only the current connection's end matters: a late 'end' of an older one must not forget the
      // locks taken since on its successor.
      if (this.conn !== opening) return;
      // Every lock of the session went with it: the workers' next renewal says so and they stop.
      this.conn = null;
      for (const id of this.held.keys()) this.lost.add(id);
      this.held.clear();
      this.pid = 0;
    };
    c.on('error', lost);
    c.on('end', lost);
    const opening = (async () => {
      await c.connect();
      // A machine that vanishes (no FIN) is noticed by PostgreSQL's keepalives within ~15 s instead of
      // the system's two hours, so its locks are freed that soon too (no effect on a Unix socket).
      await c.query(`SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 5`);
      this.pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      return c;
    })();
    this.conn = opening;
    opening.catch(() => lost());
    return opening;
  }

  /** The backend pid of the lock connection (0 when none is open): its locks are this process's. */
  get backendPid(): number {
    return this.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    const conn = this.conn;
    this.conn = null;
    this.held.clear();
    if (conn) await (await conn.catch(() => null))?.end().catch(() => {});
  }
}

// ------------------------------------------------------------------------------------------------- store

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export class PgSubscriberStore implements SubscriberStore {
  private readonly locks: WebhookLocks;

  constructor(private readonly pool: pg.Pool) {
    this.locks = new WebhookLocks(pool.options as pg.ClientConfig);
  }

  /** Ends the lock connection (PostgresStore.close, before the pool): a closed store holds no lock. */
  async release(): Promise<void> {
    await this.locks.close();
  }

  async createProduct(p: NewProduct, now = new Date()): Promise<Product> {
    return this.run(`creating product ${p.name}`, async (sql) => {
      if (await selectProduct(sql, p.name)) throw new ConflictError(`a product named "${p.name}" already exists`);
      const product: Product = { ...p, id: newId(now.getTime()), createdAt: now.toISOString(), updatedAt: now.toISOString() };
      try {
        await insertProduct(sql, product);
      } catch (e) {
        // Two admins creating the same name at once: the unique index says what the check above says.
        if ((e as { code?: string }).code === '23505') throw new ConflictError(`a product named "${p.name}" already exists`);
        throw e;
      }
      return product;
    });
  }

  async listProducts(): Promise<Product[]> {
    return readWith('listing products', () => selectProducts(this.pool));
  }

  async getProduct(idOrName: string): Promise<Product | null> {
    return readWith(`reading product ${idOrName}`, () => selectProduct(this.pool, idOrName));
  }

  async updateProduct(id: string, filters: ProductFilters, now = new Date()): Promise<Product> {
    return this.run(`changing product ${id}`, async (sql) => {
      const current = await selectProduct(sql, id);
      if (!current) throw new NotFoundError(`no product ${id}`);
      // Never earlier than the version in force, so the history stays in order even if clocks step back.
      const at = new Date(Math.max(now.getTime(), Date.parse(current.updatedAt) + 1)).toISOString();
      const product: Product = { ...current, ...filters, id: current.id, name: current.name, createdAt: current.createdAt, updatedAt: at };
      await sql.query(
        `UPDATE products SET languages = $1, categories = $2, max_urgency = $3, media_types = $4, embargo_rights = $5, delay_seconds = $6, updated_at = $7
          WHERE id = $8`,
        [
          JSON.stringify(product.languages),
          JSON.stringify(product.categories),
          product.maxUrgency,
          JSON.stringify(product.mediaTypes),
          product.embargoRights ? 1 : 0,
          product.delaySeconds,
          product.updatedAt,
          product.id,
        ],
      );
      await insertProductVersion(sql, product);
      return product;
    });
  }

  async productHistory(id: string): Promise<ProductVersion[]> {
    return readWith(`reading the history of product ${id}`, async () => {
      const p = await selectProduct(this.pool, id);
      if (!p) throw new NotFoundError(`no product ${id}`);
      return selectProductVersions(this.pool, [p.id]);
    });
  }

  async updateSubscriber(id: string, changes: SubscriberChanges): Promise<Subscriber> {
    return this.run(`changing subscriber ${id}`, async (sql) => {
      const current = (await sql.query<SubscriberRow>(`SELECT * FROM subscribers WHERE id = $1 FOR UPDATE`, [id])).rows[0];
      if (!current) throw new NotFoundError(`no subscriber ${id}`);
      await sql.query(`UPDATE subscribers SET name = $1, rate_limit = $2, default_format = $3, seat_limit = $4 WHERE id = $5`, [
        changes.name ?? current.name,
        changes.rateLimit !== undefined ? changes.rateLimit : current.rate_limit,
        changes.defaultFormat ?? current.default_format,
        changes.seatLimit !== undefined ? changes.seatLimit : current.seat_limit,
        id,
      ]);
      return (await selectSubscriber(sql, id))!;
    });
  }

  async setSubscriberProducts(id: string, products: string[], now = new Date()): Promise<Subscriber> {
    return this.run(`setting the products of subscriber ${id}`, async (sql) => {
      // The row lock orders two concurrent changes, so each starts after the one before it.
      if ((await sql.query(`SELECT 1 FROM subscribers WHERE id = $1 FOR UPDATE`, [id])).rowCount === 0) throw new NotFoundError(`no subscriber ${id}`);
      const productIds = await this.productIds(sql, products);
      const last = (await selectSubscriptionChanges(sql, id)).at(-1);
      const at = new Date(Math.max(now.getTime(), last ? Date.parse(last.effectiveAt) + 1 : 0)).toISOString();
      await linkProducts(sql, id, productIds, at);
      return (await selectSubscriber(sql, id))!;
    });
  }

  async subscriptionHistory(id: string): Promise<SubscriptionChange[]> {
    return readWith(`reading the product history of subscriber ${id}`, async () => {
      if ((await this.pool.query(`SELECT 1 FROM subscribers WHERE id = $1`, [id])).rowCount === 0) throw new NotFoundError(`no subscriber ${id}`);
      return selectSubscriptionChanges(this.pool, id);
    });
  }

  /** The ids of products named by id or name; NotFoundError naming the first missing one. */
  private async productIds(sql: Sql, refs: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const ref of refs) {
      const p = await selectProduct(sql, ref);
      if (!p) throw new NotFoundError(`no product "${ref}"; create it first (newsflow product add ${ref} …)`);
      ids.push(p.id);
    }
    return ids;
  }

  async createSubscriber(s: NewSubscriber, now = new Date()): Promise<Subscriber> {
    return this.run(`creating subscriber ${s.name}`, async (sql) => {
      const productIds = await this.productIds(sql, s.products);
      const id = newId(now.getTime());
      const createdAt = now.toISOString();
      await sql.query(`INSERT INTO subscribers (id, name, rate_limit, default_format, seat_limit, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        id,
        s.name,
        s.rateLimit ?? null,
        s.defaultFormat ?? 'ninjs',
        s.seatLimit ?? null,
        createdAt,
      ]);
      await linkProducts(sql, id, productIds, createdAt);
      return (await selectSubscriber(sql, id))!;
    });
  }

  async getSubscriber(id: string): Promise<Subscriber | null> {
    return readWith(`reading subscriber ${id}`, () => selectSubscriber(this.pool, id));
  }

  async listSubscribers(): Promise<Subscriber[]> {
    return readWith('listing subscribers', () => selectSubscribersWith(this.pool, null));
  }

  async storyEventsBefore(storyId: string, seq: number): Promise<FlowEvent[]> {
    return readWith(`reading the log of story ${storyId}`, () => selectStoryEventsBefore(this.pool, storyId, seq));
  }

  async positionBefore(at: string): Promise<number> {
    return readWith(`finding the log position at ${at}`, () => selectPositionBefore(this.pool, at));
  }

  async pruneLog(before: Date): Promise<number> {
    return this.run('pruning the flow log', async (sql) => {
      const r = await sql.query(`DELETE FROM events WHERE at < $1 AND seq < (SELECT max(seq) FROM events)`, [before.toISOString()]);
      return r.rowCount ?? 0;
    });
  }

  async revokedKeys(keyIds: string[]): Promise<string[]> {
    if (keyIds.length === 0) return [];
    return readWith('checking keys for revocation', async () => {
      const live = new Set(
        (await this.pool.query<{ id: string }>(`SELECT id FROM api_keys WHERE revoked_at IS NULL AND id = ANY($1::text[])`, [keyIds])).rows.map((r) => r.id),
      );
      return keyIds.filter((id) => !live.has(id));
    });
  }

  async createWebhook(
    w: { subscriberId: string; url: string; secret: string; events: EventKind[] | null; cursor: number; alertId?: string | null },
    now = new Date(),
  ): Promise<Webhook> {
    return this.run(`creating a webhook for ${w.url}`, async (sql) => {
      if ((await sql.query(`SELECT 1 FROM subscribers WHERE id = $1`, [w.subscriberId])).rowCount === 0)
        throw new NotFoundError(`no subscriber ${w.subscriberId}`);
      const id = newId(now.getTime());
      const at = now.toISOString();
      await sql.query(
        `INSERT INTO webhooks (id, subscriber_id, url, secret, events, cursor, next_attempt_at, created_at, alert_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, w.subscriberId, w.url, w.secret, w.events ? JSON.stringify(w.events) : null, w.cursor, at, at, w.alertId ?? null],
      );
      return withoutSecret((await selectWebhook(sql, id))!);
    });
  }

  async getWebhook(id: string): Promise<Webhook | null> {
    return readWith(`reading webhook ${id}`, async () => {
      const w = await selectWebhook(this.pool, id);
      return w ? withoutSecret(w) : null;
    });
  }

  async listWebhooks(subscriberId?: string): Promise<Webhook[]> {
    return readWith('listing webhooks', async () => {
      const rows = subscriberId
        ? await this.pool.query<WebhookRow>(
            `SELECT * FROM webhooks WHERE subscriber_id = $1 AND status != 'deleted' ORDER BY created_at COLLATE "C", id COLLATE "C"`,
            [subscriberId],
          )
        : await this.pool.query<WebhookRow>(`SELECT * FROM webhooks WHERE status != 'deleted' ORDER BY created_at COLLATE "C", id COLLATE "C"`);
      return rows.rows.map((r) => withoutSecret(toWebhook(r)));
    });
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.run(`deleting webhook ${id}`, async (sql) => {
      const r = await sql.query(`UPDATE webhooks SET status = 'deleted' WHERE id = $1 AND status != 'deleted'`, [id]);
      if (r.rowCount !== 1) throw new NotFoundError(`no webhook ${id}`);
    });
  }

  /**
   * Active subscriptions whose next attempt is due; with `owner`, leaving out those another worker holds:
   * another node's (its advisory lock is held by another session, pg_locks says) or another worker's of
   * this process (the lock connection is shared, so this process's map says).
   */
  async dueWebhooks(now: Date, owner?: string): Promise<WebhookWithSecret[]> {
    return readWith('finding webhooks due for delivery', async () => {
      if (owner === undefined) {
        return (
          await this.pool.query<WebhookRow>(`SELECT * FROM webhooks WHERE ${DUE_NOW_1} ORDER BY next_attempt_at COLLATE "C"`, [now.toISOString()])
        ).rows.map(toWebhook);
      }
      const rows = (
        await this.pool.query<WebhookRow>(
          `SELECT w.* FROM webhooks w WHERE ${DUE_NOW_1}
              AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                                AND l.classid = $2::oid AND l.objid = w.lock_key::oid AND l.objsubid = 2 AND l.pid != $3)
            ORDER BY w.next_attempt_at COLLATE "C"`,
          [now.toISOString(), WEBHOOK_LOCK_CLASS, this.locks.backendPid],
        )
      ).rows;
      return rows.filter((r) => (this.locks.held.get(r.id)?.owner ?? owner) === owner).map(toWebhook);
    });
  }

  /**
   * Takes a due, active subscription for `owner`: its row locked while claiming (a node claiming it at the
   * same moment skips it), then the session-level advisory lock on the lock connection, kept until
   * `releaseWebhook` or until this process's connection ends. `until` is not needed: no lease expires.
   */
  async claimWebhook(id: string, owner: string, _until: Date, now = new Date()): Promise<WebhookWithSecret | null> {
    const doing = `claiming webhook ${id}`;
    const mine = this.locks.held.get(id);
    if (mine && mine.owner !== owner) return null;
    await readWith(doing, () => this.locks.client());
    let taken: { owner: string; key: number } | null = null;
    try {
      return await writeWith(this.pool, doing, async (sql) => {
        const row = (await sql.query<WebhookRow>(`SELECT * FROM webhooks WHERE id = $1 AND ${DUE} FOR UPDATE SKIP LOCKED`, [id, now.toISOString()])).rows[0];
        if (!row) return null;
        // Already ours (this owner claims again): the lock is held once, and stays so.
        if (this.locks.held.get(id)?.owner === owner) return toWebhook(row);
        const got = (await this.locks.query<{ got: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS got`, [WEBHOOK_LOCK_CLASS, row.lock_key])).rows[0].got;
        if (!got) return null;
        if (this.locks.held.has(id)) {
          // Another worker of this process took it meanwhile (the session lock counts twice): give ours back.
          await this.locks.query(`SELECT pg_advisory_unlock($1, $2)`, [WEBHOOK_LOCK_CLASS, row.lock_key]);
          return null;
        }
        taken = { owner, key: row.lock_key };
        this.locks.held.set(id, taken);
        this.locks.lost.delete(id);
        // The row as locked is the latest: the previous holder committed its cursor before it unlocked.
        return toWebhook(row);
      });
    } catch (e) {
      // Not claimed after all (the commit failed): a lock nobody will release must not stay held.
      if (taken && this.locks.held.get(id) === taken) await this.releaseWebhook(id, owner).catch(() => {});
      throw e;
    }
  }

  /** True while `owner` holds the subscription's lock on a live connection and it is neither deleted nor paused. */
  async renewWebhook(id: string, owner: string, _until: Date): Promise<boolean> {
    const mine = this.locks.held.get(id);
    if (mine?.owner !== owner) return false;
    return readWith(`renewing the lease of webhook ${id}`, async () => {
      const r = await this.locks.query<{ ok: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                          AND classid = $1::oid AND objid = $2::oid AND objsubid = 2)
                AND EXISTS (SELECT 1 FROM webhooks WHERE id = $3 AND status != 'deleted' AND paused_at IS NULL) AS ok`,
        [WEBHOOK_LOCK_CLASS, mine.key, id],
      );
      return r.rows[0].ok && this.locks.held.get(id) === mine;
    });
  }

  async releaseWebhook(id: string, owner: string): Promise<void> {
    const mine = this.locks.held.get(id);
    if (mine?.owner !== owner) return;
    this.locks.held.delete(id);
    await readWith(`releasing webhook ${id}`, async () => {
      await this.locks.query(`SELECT pg_advisory_unlock($1, $2)`, [WEBHOOK_LOCK_CLASS, mine.key]);
    });
  }

  async skipWebhook(id: string, cursor: number, nextAttemptAt?: string): Promise<void> {
    await this.run(`moving the cursor of webhook ${id}`, (sql) =>
      sql.query(`UPDATE webhooks SET cursor = GREATEST(cursor, $2), next_attempt_at = coalesce($3, next_attempt_at) WHERE id = $1`, [
        id,
        cursor,
        nextAttemptAt ?? null,
      ]),
    );
  }

  /**
   * Records an attempt and moves the cursor, fenced by the delivery lock: a node whose lock went with a
   * lost connection (another node may deliver the subscription now) records nothing, so a late attempt
   * can never move the cursor back over the new holder's. The refusal rolls back the attempt row too.
   */
  async recordAttempt(webhookId: string, o: AttemptOutcome): Promise<void> {
    const doing = `recording a delivery attempt of webhook ${webhookId}`;
    const lostLock = () => new StoreError(doing, new Error('this node lost the delivery lock (its database connection ended); another node delivers it now'));
    if (this.locks.lost.has(webhookId)) throw lostLock();
    const mine = this.locks.held.get(webhookId);
    await this.run(doing, async (sql) => {
      await insertAttempt(sql, o.attempt);
      const s = o.state;
      const r = await sql.query(
        `UPDATE webhooks SET cursor = $1, status = CASE WHEN status = 'deleted' THEN status ELSE $2 END, attempt = $3,
                next_attempt_at = $4, failing_since = $5, last_error = $6
          WHERE id = $7
            AND ($8::int IS NULL OR EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = $8
                                              AND l.classid = $9::oid AND l.objid = webhooks.lock_key::oid AND l.objsubid = 2))`,
        [s.cursor, s.status, s.attempt, s.nextAttemptAt, s.failingSince, s.lastError, webhookId, mine ? this.locks.backendPid : null, WEBHOOK_LOCK_CLASS],
      );
      if (mine && r.rowCount === 0) throw lostLock();
    });
  }

  async resetWebhook(id: string, cursor?: number, now = new Date()): Promise<Webhook> {
    return this.run(`resetting webhook ${id}`, async (sql) => {
      const r = await sql.query(
        `UPDATE webhooks SET status = 'active', attempt = 0, failing_since = NULL, last_error = NULL,
                next_attempt_at = $1, cursor = coalesce($2, cursor) WHERE id = $3 AND status != 'deleted'`,
        [now.toISOString(), cursor ?? null, id],
      );
      if (r.rowCount !== 1) throw new NotFoundError(`no webhook ${id}`);
      return withoutSecret((await selectWebhook(sql, id))!);
    });
  }

  async listAttempts(webhookId: string, limit = 100): Promise<WebhookAttempt[]> {
    return readWith(`listing attempts of webhook ${webhookId}`, async () =>
      (
        await this.pool.query<{
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
        }>(`SELECT * FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`, [webhookId, limit])
      ).rows.map((r) => ({
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
      })),
    );
  }

  async setWebhookPaused(id: string, paused: boolean, now = new Date()): Promise<Webhook> {
    return this.run(`${paused ? 'pausing' : 'resuming'} webhook ${id}`, async (sql) => {
      const r = await sql.query(
        `UPDATE webhooks SET paused_at = CASE WHEN $1 THEN coalesce(paused_at, $2) ELSE NULL END,
                next_attempt_at = CASE WHEN $1 THEN next_attempt_at ELSE $2 END
          WHERE id = $3 AND status != 'deleted'`,
        [paused, now.toISOString(), id],
      );
      if (r.rowCount !== 1) throw new NotFoundError(`no webhook ${id}`);
      return withoutSecret((await selectWebhook(sql, id))!);
    });
  }

  async webhookSecret(id: string): Promise<string | null> {
    return readWith(`reading the secret of webhook ${id}`, async () => (await selectWebhook(this.pool, id))?.secret ?? null);
  }

  async addAttempt(attempt: Omit<WebhookAttempt, 'id'>): Promise<void> {
    await this.run(`recording a test attempt of webhook ${attempt.webhookId}`, (sql) => insertAttempt(sql, attempt));
  }

  async addUsage(rows: UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.run('adding usage', async (sql) => {
      // One statement for the batch; rows naming the same counter are summed first (ON CONFLICT may not
      // touch one row twice in a statement).
      await sql.query(
        `INSERT INTO usage_counters (subscriber_id, channel, day, count)
         SELECT s, c, d, sum(n) FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(s, c, d, n) GROUP BY s, c, d
         ON CONFLICT (subscriber_id, channel, day) DO UPDATE SET count = usage_counters.count + excluded.count`,
        [rows.map((r) => r.subscriberId), rows.map((r) => r.channel), rows.map((r) => r.day), rows.map((r) => r.count)],
      );
    });
  }

  async usage(subscriberId: string, from?: string, to?: string): Promise<UsageRow[]> {
    return readWith(`reading usage of subscriber ${subscriberId}`, async () =>
      (
        await this.pool.query<{ subscriber_id: string; channel: UsageRow['channel']; day: string; count: number }>(
          `SELECT subscriber_id, channel, day, count FROM usage_counters
            WHERE subscriber_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day COLLATE "C", channel COLLATE "C"`,
          [subscriberId, from ?? '0000-00-00', to ?? today(new Date(Date.now() + 86_400_000))],
        )
      ).rows.map((r) => ({ subscriberId: r.subscriber_id, channel: r.channel, day: r.day, count: r.count })),
    );
  }

  private run<T>(doing: string, fn: (sql: pg.PoolClient) => Promise<T>): Promise<T> {
    return writeWith(this.pool, doing, fn);
  }
}

export function pgSubscriberStore(pool: pg.Pool): PgSubscriberStore {
  return new PgSubscriberStore(pool);
}
