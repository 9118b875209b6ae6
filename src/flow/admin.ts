// The agency's admin acts: products, subscribers and their products, keys, webhooks. Every act takes the
// actor that made it (a signed-in user, an API key) and records an audit entry; acts that change what a
// subscriber is entitled to drop the cached entitlements, so every channel judges by them at once. The
// API routes, the CLI and the desk all act through here, so none can change the agency without a trace.
import type { Actor } from '../model/actor.ts';
import type { AuditEntry, AuditFilter, NewAuditEntry } from '../model/audit.ts';
import { NotFoundError } from '../model/errors.ts';
import type { ApiKey, Role } from '../model/keys.ts';
import { validLanguageTags } from '../model/language.ts';
import type { Store } from '../model/store.ts';
import {
  productFrom,
  type NewProduct,
  type NewSubscriber,
  type Product,
  type ProductFilters,
  type Subscriber,
  type SubscriberChanges,
  type Webhook,
} from '../model/subscribers.ts';
import type { EventKind } from '../model/story.ts';
import type { Deliveries } from './deliveries.ts';
import { issueKey, type KeyRing } from './keys.ts';

/** The actor an API key acts as: its label, or its prefix when it has none. */
export function keyActor(key: Pick<ApiKey, 'id' | 'label' | 'prefix'>): Actor {
  return { type: 'key', id: key.id, name: key.label ?? key.prefix };
}

export class Admin {
  constructor(
    private readonly store: Store,
    private readonly keys: KeyRing,
    private readonly deliveries: Deliveries,
  ) {}

  async createProduct(actor: Actor, fields: Partial<NewProduct> & { name: string }): Promise<Product> {
    const product = await this.store.subscribers.createProduct(productFrom(fields));
    await this.audit(actor, 'product.create', 'product', product.id, { product });
    return product;
  }

  /** Changes a product's filters from now on; earlier events keep being judged by the filters of their time. */
  async updateProduct(actor: Actor, idOrName: string, changes: Partial<ProductFilters>): Promise<Product> {
    const before = await this.store.subscribers.getProduct(idOrName);
    if (!before) throw new NotFoundError(`no product ${idOrName}`);
    const filters: ProductFilters = {
      languages: changes.languages !== undefined ? validLanguageTags(changes.languages, '/languages') : before.languages,
      categories: changes.categories ?? before.categories,
      maxUrgency: changes.maxUrgency !== undefined ? changes.maxUrgency : before.maxUrgency,
      mediaTypes: changes.mediaTypes ?? before.mediaTypes,
      embargoRights: changes.embargoRights ?? before.embargoRights,
      delaySeconds: changes.delaySeconds ?? before.delaySeconds,
    };
    const after = await this.store.subscribers.updateProduct(before.id, filters);
    // Every subscriber holding the product is affected: forget them all.
    this.deliveries.invalidate();
    await this.audit(actor, 'product.update', 'product', after.id, { before: filtersOf(before), after: filtersOf(after), effectiveAt: after.updatedAt });
    return after;
  }

  async createSubscriber(actor: Actor, s: NewSubscriber): Promise<Subscriber> {
    const subscriber = await this.store.subscribers.createSubscriber(s);
    await this.audit(actor, 'subscriber.create', 'subscriber', subscriber.id, {
      name: subscriber.name,
      products: subscriber.products.map((p) => p.name),
      rateLimit: subscriber.rateLimit,
      defaultFormat: subscriber.defaultFormat,
      seatLimit: subscriber.seatLimit,
    });
    return subscriber;
  }

  async updateSubscriber(actor: Actor, id: string, changes: SubscriberChanges): Promise<Subscriber> {
    const before = await this.subscriber(id);
    const after = await this.store.subscribers.updateSubscriber(id, changes);
    this.deliveries.invalidate(id);
    const changed: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of ['name', 'rateLimit', 'defaultFormat', 'seatLimit'] as const)
      if (before[k] !== after[k]) changed[k] = { before: before[k], after: after[k] };
    await this.audit(actor, 'subscriber.update', 'subscriber', id, changed);
    return after;
  }

  /** Sets the subscriber's products from now on; stories it already had still get their follow-ups. */
  async setSubscriberProducts(actor: Actor, id: string, products: string[]): Promise<Subscriber> {
    const before = await this.subscriber(id);
    const after = await this.store.subscribers.setSubscriberProducts(id, products);
    this.deliveries.invalidate(id);
    // When the new set took effect, so a history of the subscriber's products can name who set each.
    const history = await this.store.subscribers.subscriptionHistory(id);
    await this.audit(actor, 'subscriber.products', 'subscriber', id, {
      before: before.products.map((p) => p.name),
      after: after.products.map((p) => p.name),
      effectiveAt: history[history.length - 1]?.effectiveAt ?? null,
    });
    return after;
  }

  /** Issues a key; the secret is returned once and never recorded (the audit keeps the prefix). */
  async createKey(actor: Actor, role: Role, opts: { subscriberId?: string | null; label?: string | null } = {}): Promise<{ secret: string; key: ApiKey }> {
    if (opts.subscriberId) await this.subscriber(opts.subscriberId);
    const issued = await issueKey(this.store, role, opts);
    await this.audit(actor, 'key.create', 'key', issued.key.id, {
      role,
      subscriberId: issued.key.subscriberId,
      label: issued.key.label,
      prefix: issued.key.prefix,
    });
    return issued;
  }

  async revokeKey(actor: Actor, id: string): Promise<ApiKey> {
    const key = await this.keys.revoke(id);
    await this.audit(actor, 'key.revoke', 'key', id, { prefix: key.prefix, subscriberId: key.subscriberId, label: key.label });
    return key;
  }

  /** Creates a webhook subscription (its URL already checked by the caller) whose cursor starts at `cursor`. */
  async createWebhook(
    actor: Actor,
    w: { subscriberId: string; url: string; secret: string; events: EventKind[] | null; cursor: number; alertId?: string | null },
  ): Promise<Webhook> {
    const hook = await this.store.subscribers.createWebhook(w);
    await this.audit(actor, 'webhook.create', 'webhook', hook.id, {
      subscriberId: hook.subscriberId,
      url: hook.url,
      events: hook.events,
      alertId: hook.alertId,
    });
    return hook;
  }

  async deleteWebhook(actor: Actor, hook: Webhook): Promise<void> {
    await this.store.subscribers.deleteWebhook(hook.id);
    await this.audit(actor, 'webhook.delete', 'webhook', hook.id, { subscriberId: hook.subscriberId, url: hook.url });
  }

  /** Pauses a subscription (nothing delivered, its cursor waits) or resumes it (delivery from where it stopped). */
  async pauseWebhook(actor: Actor, hook: Webhook, paused: boolean): Promise<Webhook> {
    const after = await this.store.subscribers.setWebhookPaused(hook.id, paused);
    await this.audit(actor, paused ? 'webhook.pause' : 'webhook.resume', 'webhook', hook.id, { subscriberId: hook.subscriberId, url: hook.url });
    return after;
  }

  /** Retries now (a failed subscription becomes active again), from `cursor` when given (delivers again from there). */
  async redeliverWebhook(actor: Actor, hook: Webhook, cursor?: number): Promise<Webhook> {
    const after = await this.store.subscribers.resetWebhook(hook.id, cursor);
    await this.audit(actor, 'webhook.redeliver', 'webhook', hook.id, {
      subscriberId: hook.subscriberId,
      url: hook.url,
      cursor: after.cursor,
      from: cursor ?? hook.cursor,
    });
    return after;
  }

  /** The audit trail, newest first. */
  async auditTrail(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.store.audit.list(filter);
  }

  private async subscriber(id: string): Promise<Subscriber> {
    const s = await this.store.subscribers.getSubscriber(id);
    if (!s) throw new NotFoundError(`no subscriber ${id}`);
    return s;
  }

  private async audit(
    actor: Actor,
    action: string,
    targetType: NewAuditEntry['targetType'],
    targetId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.store.audit.record({ actor, action, targetType, targetId, details });
  }
}

function filtersOf(p: Product): ProductFilters {
  return {
    languages: p.languages,
    categories: p.categories,
    maxUrgency: p.maxUrgency,
    mediaTypes: p.mediaTypes,
    embargoRights: p.embargoRights,
    delaySeconds: p.delaySeconds,
  };
}
