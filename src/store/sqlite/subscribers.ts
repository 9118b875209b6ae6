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
  Subscriber,
  SubscriberStore,
  UsageRow,
  Webhook,
  WebhookAttempt,
  WebhookWithSecret,
} from '../../model/subscribers.ts';
import { toEvent } from './events.ts';
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
  };
}

/** Inserts a product. */
export function insertProduct(db: Database.Database, p: Product): void {
  stmt(
    db,
    `INSERT INTO products (id, name, languages, categories, max_urgency, media_types, embargo_rights, delay_seconds, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
  );
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
  return {
    id: r.id,
    name: r.name,
    products: selectSubscriberProducts(db, r.id),
    rateLimit: r.rate_limit,
    defaultFormat: r.default_format,
    createdAt: r.created_at,
  };
}

/** Inserts a subscriber and links its products. */
export function insertSubscriber(
  db: Database.Database,
  s: { id: string; name: string; rateLimit: number | null; defaultFormat: string; createdAt: string },
  productIds: string[],
): void {
  stmt(db, `INSERT INTO subscribers (id, name, rate_limit, default_format, created_at) VALUES (?, ?, ?, ?, ?)`).run(
    s.id,
    s.name,
    s.rateLimit,
    s.defaultFormat,
    s.createdAt,
  );
  for (const pid of productIds) {
    stmt(db, `INSERT OR IGNORE INTO subscriber_products (subscriber_id, product_id) VALUES (?, ?)`).run(s.id, pid);
  }
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
      const product: Product = { ...p, id: newId(now.getTime()), createdAt: now.toISOString() };
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

  async createSubscriber(s: NewSubscriber, now = new Date()): Promise<Subscriber> {
    return this.run(`creating subscriber ${s.name}`, () => {
      const productIds = s.products.map((ref) => {
        const p = selectProduct(this.db, ref);
        if (!p) throw new NotFoundError(`no product "${ref}"; create it first (newsflow product add ${ref} …)`);
        return p.id;
      });
      const id = newId(now.getTime());
      insertSubscriber(
        this.db,
        {
          id,
          name: s.name,
          rateLimit: s.rateLimit ?? null,
          defaultFormat: s.defaultFormat ?? 'ninjs',
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
