// Products, subscribers, a story's history (what a subscriber received is derived from it), and the SQLite
// SubscriberStore that also serves webhooks (./webhooks.ts) and usage (./usage.ts).
import type Database from 'better-sqlite3';
import { newId } from '../../model/ids.ts';
import { SYSTEM_ACTOR } from '../../model/actor.ts';
import type { EventKind, FlowEvent } from '../../model/story.ts';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import type {
  AttemptOutcome,
  NewProduct,
  NewSubscriber,
  Product,
  ProductFilters,
  ProductVersion,
  Subscriber,
  SubscriberChanges,
  SubscriptionChange,
  SubscriberStore,
  UsageRow,
  Webhook,
  WebhookAttempt,
  WebhookWithSecret,
} from '../../model/subscribers.ts';
import { entitlementTimeline } from '../../model/subscribers.ts';
import { toEvent } from '../rows/events.ts';
import { stmt } from './statements.ts';
import { addUsageRow, selectUsage } from './usage.ts';
import { readWith, writeWith } from './guard.ts';
import {
  claimWebhookLease,
  insertAttempt,
  insertWebhook,
  markWebhookDeleted,
  releaseWebhookLease,
  renewWebhookLease,
  resetWebhookRow,
  setWebhookPausedRow,
  selectAttempts,
  selectDueWebhooks,
  selectWebhook,
  selectWebhooks,
  updateWebhookCursor,
  updateWebhookState,
  withoutSecret,
} from './webhooks.ts';

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

/** Records a version of a product's filters, in force from its `updatedAt` (a second change in the same millisecond replaces the first). */
function insertProductVersion(db: Database.Database, p: Product): void {
  stmt(db, `INSERT OR REPLACE INTO product_versions (product_id, effective_at, product) VALUES (?, ?, ?)`).run(p.id, p.updatedAt, JSON.stringify(p));
}

/** Records a subscriber's set of products, in force from `at`. */
function insertSubscriptionChange(db: Database.Database, subscriberId: string, at: string, productIds: string[]): void {
  stmt(db, `INSERT OR REPLACE INTO subscription_changes (subscriber_id, effective_at, product_ids) VALUES (?, ?, ?)`).run(
    subscriberId,
    at,
    JSON.stringify(productIds),
  );
}

function selectSubscriptionChanges(db: Database.Database, subscriberId: string): SubscriptionChange[] {
  return (
    stmt(db, `SELECT effective_at, product_ids FROM subscription_changes WHERE subscriber_id = ? ORDER BY effective_at`).all(subscriberId) as {
      effective_at: string;
      product_ids: string;
    }[]
  ).map((r) => ({ effectiveAt: r.effective_at, productIds: JSON.parse(r.product_ids) as string[] }));
}

function selectProductVersions(db: Database.Database, productIds: readonly string[]): ProductVersion[] {
  const out: ProductVersion[] = [];
  for (const id of productIds) {
    const rows = stmt(db, `SELECT effective_at, product FROM product_versions WHERE product_id = ? ORDER BY effective_at`).all(id) as {
      effective_at: string;
      product: string;
    }[];
    for (const r of rows) out.push({ productId: id, effectiveAt: r.effective_at, product: JSON.parse(r.product) as Product });
  }
  return out;
}

/** Inserts a product. */
export function insertProduct(db: Database.Database, p: Product): void {
  stmt(
    db,
    `INSERT INTO products (id, name, languages, categories, max_urgency, media_types, embargo_rights, delay_seconds, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
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
  );
  insertProductVersion(db, p);
}

/** Reads a product by id or by name. */
export function selectProduct(db: Database.Database, idOrName: string): Product | null {
  const r = stmt(db, `SELECT * FROM products WHERE id = ? OR name = ?`).get(idOrName, idOrName) as ProductRow | undefined;
  return r ? toProduct(r) : null;
}

/** Lists products by name. */
export function selectProducts(db: Database.Database): Product[] {
  return (stmt(db, `SELECT * FROM products ORDER BY name`).all() as ProductRow[]).map(toProduct);
}

interface SubscriberRow {
  id: string;
  name: string;
  rate_limit: number | null;
  default_format: string;
  seat_limit: number | null;
  created_at: string;
}

/** The products of one subscriber, by name. */
export function selectSubscriberProducts(db: Database.Database, subscriberId: string): Product[] {
  return (
    stmt(
      db,
      `SELECT p.* FROM products p JOIN subscriber_products sp ON sp.product_id = p.id
                    WHERE sp.subscriber_id = ? ORDER BY p.name`,
    ).all(subscriberId) as ProductRow[]
  ).map(toProduct);
}

function toSubscriber(db: Database.Database, r: SubscriberRow): Subscriber {
  const changes = selectSubscriptionChanges(db, r.id);
  const ids = new Set(changes.flatMap((c) => c.productIds));
  return {
    id: r.id,
    name: r.name,
    products: selectSubscriberProducts(db, r.id),
    rateLimit: r.rate_limit,
    defaultFormat: r.default_format,
    seatLimit: r.seat_limit,
    createdAt: r.created_at,
    entitlements: entitlementTimeline(changes, selectProductVersions(db, [...ids])),
  };
}

/** Inserts a subscriber and links its products. */
export function insertSubscriber(
  db: Database.Database,
  s: { id: string; name: string; rateLimit: number | null; defaultFormat: string; seatLimit?: number | null; createdAt: string },
  productIds: string[],
): void {
  stmt(db, `INSERT INTO subscribers (id, name, rate_limit, default_format, seat_limit, created_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
    s.id,
    s.name,
    s.rateLimit,
    s.defaultFormat,
    s.seatLimit ?? null,
    s.createdAt,
  );
  linkProducts(db, s.id, productIds, s.createdAt);
}

/** Makes `productIds` the subscriber's current products and records the set in its history from `at`. */
function linkProducts(db: Database.Database, subscriberId: string, productIds: string[], at: string): void {
  const unique = [...new Set(productIds)];
  stmt(db, `DELETE FROM subscriber_products WHERE subscriber_id = ?`).run(subscriberId);
  for (const pid of unique) {
    stmt(db, `INSERT OR IGNORE INTO subscriber_products (subscriber_id, product_id) VALUES (?, ?)`).run(subscriberId, pid);
  }
  insertSubscriptionChange(db, subscriberId, at, unique);
}

/** Reads one subscriber with its products. */
export function selectSubscriber(db: Database.Database, id: string): Subscriber | null {
  const r = stmt(db, `SELECT * FROM subscribers WHERE id = ?`).get(id) as SubscriberRow | undefined;
  return r ? toSubscriber(db, r) : null;
}

/** Lists subscribers, oldest first. */
export function selectSubscribers(db: Database.Database): Subscriber[] {
  return (stmt(db, `SELECT * FROM subscribers ORDER BY created_at, id`).all() as SubscriberRow[]).map((r) => toSubscriber(db, r));
}

/**
 * The story's events before `seq`, oldest first. A history missing its first publish (pruned by
 * retention) is rebuilt from the versions, which are never pruned: each version as published at its
 * creation time, and its embargo lift when that came before the event at `seq`.
 */
export function selectStoryEventsBefore(db: Database.Database, storyId: string, seq: number): FlowEvent[] {
  const logged = (stmt(db, `SELECT * FROM events WHERE story_id = ? AND seq < ? ORDER BY seq`).all(storyId, seq) as Parameters<typeof toEvent>[0][]).map(
    toEvent,
  );
  if (logged.length > 0 && logged[0].version === 1 && logged[0].kind !== 'embargo-lifted') return logged;
  const current = stmt(db, `SELECT kind, version, at FROM events WHERE seq = ?`).get(seq) as
    | { kind: FlowEvent['kind']; version: number; at: string }
    | undefined;
  if (!current) return logged;
  const versions = stmt(
    db,
    `SELECT version, kind, content, version_created_at, embargo_until, embargo_lifted_at FROM versions
                             WHERE story_id = ? AND (version < ? OR (version = ? AND ? = 'embargo-lifted')) ORDER BY version`,
  ).all(storyId, current.version, current.version, current.kind) as {
    version: number;
    kind: FlowEvent['kind'];
    content: string;
    version_created_at: string;
    embargo_until: string | null;
    embargo_lifted_at: string | null;
  }[];
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
export function selectPositionBefore(db: Database.Database, at: string): number {
  const r = stmt(db, `SELECT min(seq) AS seq FROM events WHERE at >= ?`).get(at) as { seq: number | null };
  if (r.seq !== null) return r.seq - 1;
  return (stmt(db, `SELECT coalesce(max(seq), 0) AS head FROM events`).get() as { head: number }).head;
}

/** Deletes events older than `before`, always keeping the newest event so the head stays readable. */
export function deleteOldEvents(db: Database.Database, before: string): number {
  return stmt(db, `DELETE FROM events WHERE at < ? AND seq < (SELECT max(seq) FROM events)`).run(before).changes;
}

/** The ids among `ids` whose key is revoked or missing. */
export function selectRevokedKeys(db: Database.Database, ids: string[]): string[] {
  if (ids.length === 0) return [];
  const live = new Set(
    (db.prepare(`SELECT id FROM api_keys WHERE revoked_at IS NULL AND id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: string }[]).map(
      (r) => r.id,
    ),
  );
  return ids.filter((id) => !live.has(id));
}

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export class SqliteSubscriberStore implements SubscriberStore {
  constructor(private readonly db: Database.Database) {}

  async createProduct(p: NewProduct, now = new Date()): Promise<Product> {
    return this.run(`creating product ${p.name}`, () => {
      if (selectProduct(this.db, p.name)) throw new ConflictError(`a product named "${p.name}" already exists`);
      const product: Product = { ...p, id: newId(now.getTime()), createdAt: now.toISOString(), updatedAt: now.toISOString() };
      insertProduct(this.db, product);
      return product;
    });
  }

  async listProducts(): Promise<Product[]> {
    return this.read('listing products', () => selectProducts(this.db));
  }

  async getProduct(idOrName: string): Promise<Product | null> {
    return this.read(`reading product ${idOrName}`, () => selectProduct(this.db, idOrName));
  }

  async updateProduct(id: string, filters: ProductFilters, now = new Date()): Promise<Product> {
    return this.run(`changing product ${id}`, () => {
      const current = selectProduct(this.db, id);
      if (!current) throw new NotFoundError(`no product ${id}`);
      // Never earlier than the version in force, so the history stays in order even if clocks step back.
      const at = new Date(Math.max(now.getTime(), Date.parse(current.updatedAt) + 1)).toISOString();
      const product: Product = { ...current, ...filters, id: current.id, name: current.name, createdAt: current.createdAt, updatedAt: at };
      stmt(
        this.db,
        `UPDATE products SET languages = ?, categories = ?, max_urgency = ?, media_types = ?, embargo_rights = ?, delay_seconds = ?, updated_at = ?
                        WHERE id = ?`,
      ).run(
        JSON.stringify(product.languages),
        JSON.stringify(product.categories),
        product.maxUrgency,
        JSON.stringify(product.mediaTypes),
        product.embargoRights ? 1 : 0,
        product.delaySeconds,
        product.updatedAt,
        product.id,
      );
      insertProductVersion(this.db, product);
      return product;
    });
  }

  async productHistory(id: string): Promise<ProductVersion[]> {
    return this.read(`reading the history of product ${id}`, () => {
      const p = selectProduct(this.db, id);
      if (!p) throw new NotFoundError(`no product ${id}`);
      return selectProductVersions(this.db, [p.id]);
    });
  }

  async updateSubscriber(id: string, changes: SubscriberChanges): Promise<Subscriber> {
    return this.run(`changing subscriber ${id}`, () => {
      const current = selectSubscriber(this.db, id);
      if (!current) throw new NotFoundError(`no subscriber ${id}`);
      stmt(this.db, `UPDATE subscribers SET name = ?, rate_limit = ?, default_format = ?, seat_limit = ? WHERE id = ?`).run(
        changes.name ?? current.name,
        changes.rateLimit !== undefined ? changes.rateLimit : current.rateLimit,
        changes.defaultFormat ?? current.defaultFormat,
        changes.seatLimit !== undefined ? changes.seatLimit : current.seatLimit,
        id,
      );
      return selectSubscriber(this.db, id)!;
    });
  }

  async setSubscriberProducts(id: string, products: string[], now = new Date()): Promise<Subscriber> {
    return this.run(`setting the products of subscriber ${id}`, () => {
      if (!selectSubscriber(this.db, id)) throw new NotFoundError(`no subscriber ${id}`);
      const productIds = this.productIds(products);
      const last = selectSubscriptionChanges(this.db, id).at(-1);
      const at = new Date(Math.max(now.getTime(), last ? Date.parse(last.effectiveAt) + 1 : 0)).toISOString();
      linkProducts(this.db, id, productIds, at);
      return selectSubscriber(this.db, id)!;
    });
  }

  async subscriptionHistory(id: string): Promise<SubscriptionChange[]> {
    return this.read(`reading the product history of subscriber ${id}`, () => {
      if (!selectSubscriber(this.db, id)) throw new NotFoundError(`no subscriber ${id}`);
      return selectSubscriptionChanges(this.db, id);
    });
  }

  /** The ids of products named by id or name; NotFoundError naming the first missing one. */
  private productIds(refs: string[]): string[] {
    return refs.map((ref) => {
      const p = selectProduct(this.db, ref);
      if (!p) throw new NotFoundError(`no product "${ref}"; create it first (newsflow product add ${ref} …)`);
      return p.id;
    });
  }

  async createSubscriber(s: NewSubscriber, now = new Date()): Promise<Subscriber> {
    return this.run(`creating subscriber ${s.name}`, () => {
      const productIds = this.productIds(s.products);
      const id = newId(now.getTime());
      insertSubscriber(
        this.db,
        {
          id,
          name: s.name,
          rateLimit: s.rateLimit ?? null,
          defaultFormat: s.defaultFormat ?? 'ninjs',
          seatLimit: s.seatLimit ?? null,
          createdAt: now.toISOString(),
        },
        productIds,
      );
      return selectSubscriber(this.db, id)!;
    });
  }

  async getSubscriber(id: string): Promise<Subscriber | null> {
    return this.read(`reading subscriber ${id}`, () => selectSubscriber(this.db, id));
  }

  async listSubscribers(): Promise<Subscriber[]> {
    return this.read('listing subscribers', () => selectSubscribers(this.db));
  }

  async storyEventsBefore(storyId: string, seq: number): Promise<FlowEvent[]> {
    return this.read(`reading the log of story ${storyId}`, () => selectStoryEventsBefore(this.db, storyId, seq));
  }

  async positionBefore(at: string): Promise<number> {
    return this.read(`finding the log position at ${at}`, () => selectPositionBefore(this.db, at));
  }

  async pruneLog(before: Date): Promise<number> {
    return this.run('pruning the flow log', () => deleteOldEvents(this.db, before.toISOString()));
  }

  async revokedKeys(keyIds: string[]): Promise<string[]> {
    return this.read('checking keys for revocation', () => selectRevokedKeys(this.db, keyIds));
  }

  async createWebhook(
    w: { subscriberId: string; url: string; secret: string; events: EventKind[] | null; cursor: number; alertId?: string | null },
    now = new Date(),
  ): Promise<Webhook> {
    return this.run(`creating a webhook for ${w.url}`, () => {
      if (!selectSubscriber(this.db, w.subscriberId)) throw new NotFoundError(`no subscriber ${w.subscriberId}`);
      const id = newId(now.getTime());
      insertWebhook(this.db, { ...w, id }, now.toISOString());
      return withoutSecret(selectWebhook(this.db, id)!);
    });
  }

  async getWebhook(id: string): Promise<Webhook | null> {
    return this.read(`reading webhook ${id}`, () => {
      const w = selectWebhook(this.db, id);
      return w ? withoutSecret(w) : null;
    });
  }

  async listWebhooks(subscriberId?: string): Promise<Webhook[]> {
    return this.read('listing webhooks', () => selectWebhooks(this.db, subscriberId).map(withoutSecret));
  }

  async deleteWebhook(id: string): Promise<void> {
    this.run(`deleting webhook ${id}`, () => {
      if (!markWebhookDeleted(this.db, id)) throw new NotFoundError(`no webhook ${id}`);
    });
  }

  async dueWebhooks(now: Date, owner?: string): Promise<WebhookWithSecret[]> {
    return this.read('finding webhooks due for delivery', () => selectDueWebhooks(this.db, now.toISOString(), owner));
  }

  async claimWebhook(id: string, owner: string, until: Date, now = new Date()): Promise<WebhookWithSecret | null> {
    return this.run(`claiming webhook ${id}`, () =>
      claimWebhookLease(this.db, id, owner, until.toISOString(), now.toISOString()) ? selectWebhook(this.db, id) : null,
    );
  }

  async renewWebhook(id: string, owner: string, until: Date): Promise<boolean> {
    return this.run(`renewing the lease of webhook ${id}`, () => renewWebhookLease(this.db, id, owner, until.toISOString()));
  }

  async releaseWebhook(id: string, owner: string): Promise<void> {
    this.run(`releasing webhook ${id}`, () => releaseWebhookLease(this.db, id, owner));
  }

  async skipWebhook(id: string, cursor: number, nextAttemptAt?: string): Promise<void> {
    this.run(`moving the cursor of webhook ${id}`, () => updateWebhookCursor(this.db, id, cursor, nextAttemptAt ?? null));
  }

  async recordAttempt(webhookId: string, o: AttemptOutcome): Promise<void> {
    this.run(`recording a delivery attempt of webhook ${webhookId}`, () => {
      insertAttempt(this.db, o.attempt);
      updateWebhookState(this.db, webhookId, o.state);
    });
  }

  async resetWebhook(id: string, cursor?: number, now = new Date()): Promise<Webhook> {
    return this.run(`resetting webhook ${id}`, () => {
      if (!resetWebhookRow(this.db, id, cursor ?? null, now.toISOString())) throw new NotFoundError(`no webhook ${id}`);
      return withoutSecret(selectWebhook(this.db, id)!);
    });
  }

  async listAttempts(webhookId: string, limit = 100): Promise<WebhookAttempt[]> {
    return this.read(`listing attempts of webhook ${webhookId}`, () => selectAttempts(this.db, webhookId, limit));
  }

  async setWebhookPaused(id: string, paused: boolean, now = new Date()): Promise<Webhook> {
    return this.run(`${paused ? 'pausing' : 'resuming'} webhook ${id}`, () => {
      if (!setWebhookPausedRow(this.db, id, paused, now.toISOString())) throw new NotFoundError(`no webhook ${id}`);
      return withoutSecret(selectWebhook(this.db, id)!);
    });
  }

  async webhookSecret(id: string): Promise<string | null> {
    return this.read(`reading the secret of webhook ${id}`, () => selectWebhook(this.db, id)?.secret ?? null);
  }

  async addAttempt(attempt: Omit<WebhookAttempt, 'id'>): Promise<void> {
    this.run(`recording a test attempt of webhook ${attempt.webhookId}`, () => insertAttempt(this.db, attempt));
  }

  async addUsage(rows: UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.run('adding usage', () => {
      for (const r of rows) addUsageRow(this.db, r);
    });
  }

  async usage(subscriberId: string, from?: string, to?: string): Promise<UsageRow[]> {
    return this.read(`reading usage of subscriber ${subscriberId}`, () =>
      selectUsage(this.db, subscriberId, from ?? '0000-00-00', to ?? today(new Date(Date.now() + 86_400_000))),
    );
  }

  private read<T>(doing: string, fn: () => T): T {
    return readWith(doing, fn);
  }

  private run<T>(doing: string, fn: () => T): T {
    return writeWith(this.db, doing, fn);
  }
}
