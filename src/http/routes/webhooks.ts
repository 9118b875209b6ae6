// Webhook subscriptions of a subscriber: create (the signing secret is shown once), list, delete, the
// delivery attempts, and redeliver (retry now, optionally from an earlier cursor).
import type { FastifyRequest } from 'fastify';
import type { TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { checkWebhookUrl } from '../../flow/ssrf.ts';
import type { KeyRing } from '../../flow/keys.ts';
import { keyActor, type Admin } from '../../flow/admin.ts';
import type { Store } from '../../model/store.ts';
import { newWebhookSecret } from '../../flow/webhooks.ts';
import { NotFoundError } from '../../model/errors.ts';
import type { Webhook } from '../../model/subscribers.ts';
import { requireRole } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { startPosition } from '../cursor-position.ts';

const Id = Type.String({ pattern: '^[0-9a-hjkmnp-tv-z]{26}$' });
const IdParams = Type.Object({ id: Id });
// Spelled out, not mapped from a list: TypeBox infers a union's type only from a tuple of literals.
const Kind = Type.Union([
  Type.Literal('published'),
  Type.Literal('updated'),
  Type.Literal('corrected'),
  Type.Literal('killed'),
  Type.Literal('embargo-lifted'),
]);
const security = [{ bearer: [] }];
const tags = ['webhooks'];

/** What the webhook routes use. */
export interface WebhookRouteDeps {
  store: Store;
  keys: KeyRing;
  /** Creating and deleting a subscription are admin acts, recorded in the audit trail. */
  admin: Admin;
  /** Webhook URLs may point at private networks (NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS; tests). */
  allowPrivateWebhooks: boolean;
  retentionDays: number;
}

export async function webhookRoutes(app: TypedApp, rt: WebhookRouteDeps): Promise<void> {
  const subscriberKey = requireRole(rt.keys, 'subscriber');
  const store = rt.store.subscribers;

  /** The webhook, if the request's key may see it (its subscriber's, or any for admin). */
  async function ownWebhook(req: Pick<FastifyRequest, 'apiKey'> & { params: { id: string } }): Promise<Webhook> {
    const { id } = req.params;
    const hook = await store.getWebhook(id);
    if (!hook || (req.apiKey!.role !== 'admin' && hook.subscriberId !== req.apiKey!.subscriberId)) throw new NotFoundError(`no webhook ${id}`);
    return hook;
  }

  app.post(
    '/v1/webhooks',
    {
      onRequest: subscriberKey,
      schema: {
        tags,
        security,
        summary: 'Subscribe a URL to the flow; the signing secret (whsec_…) is returned only here',
        body: Type.Object(
          {
            url: Type.String({ minLength: 8, maxLength: 2000 }),
            events: Type.Optional(Type.Array(Kind, { minItems: 1, maxItems: 5 })),
            cursor: Type.Optional(Type.String({ maxLength: 100, description: 'start after this cursor instead of now' })),
            subscriberId: Type.Optional(Id),
            alert: Type.Optional(Type.String({ maxLength: 40, description: 'a saved search id: deliver only what it matches (kills always pass)' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const subscriberId = req.apiKey!.role === 'admin' ? b.subscriberId : req.apiKey!.subscriberId;
      if (!subscriberId) throw new HttpError(400, 'an admin creating a webhook must name the subscriberId it delivers to');
      try {
        await checkWebhookUrl(b.url, rt.allowPrivateWebhooks);
      } catch (e) {
        throw new HttpError(400, (e as Error).message);
      }
      const secret = newWebhookSecret();
      const cursor = await startPosition(rt.store, { cursor: b.cursor }, { retentionDays: rt.retentionDays });
      if (b.alert) {
        const saved = await rt.store.savedSearches.get(b.alert);
        if (!saved || saved.subscriberId !== subscriberId) throw new HttpError(404, `no saved search ${b.alert}`);
      }
      const webhook = await rt.admin.createWebhook(keyActor(req.apiKey!), {
        subscriberId,
        url: b.url,
        secret,
        events: b.events ?? null,
        cursor,
        alertId: b.alert ?? null,
      });
      return reply
        .status(201)
        .header('location', `/v1/webhooks/${webhook.id}`)
        .send({ ...webhook, secret });
    },
  );

  app.get('/v1/webhooks', { onRequest: subscriberKey, schema: { tags, security, summary: 'Your webhook subscriptions (admin: all)' } }, async (req) => ({
    webhooks: await store.listWebhooks(req.apiKey!.role === 'admin' ? undefined : (req.apiKey!.subscriberId ?? '')),
  }));

  app.get(
    '/v1/webhooks/:id',
    { onRequest: subscriberKey, schema: { tags, security, params: IdParams, summary: 'One subscription and its state' } },
    async (req) => ownWebhook(req),
  );

  app.delete(
    '/v1/webhooks/:id',
    { onRequest: subscriberKey, schema: { tags, security, params: IdParams, summary: 'Stop a subscription' } },
    async (req, reply) => {
      await rt.admin.deleteWebhook(keyActor(req.apiKey!), await ownWebhook(req));
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      onRequest: subscriberKey,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Delivery attempts, newest first: status codes, latency, errors',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const hook = await ownWebhook(req);
      return { webhook: hook, attempts: await store.listAttempts(hook.id, req.query.limit ?? 100) };
    },
  );

  app.post(
    '/v1/webhooks/:id/redeliver',
    {
      onRequest: subscriberKey,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Retry now (a failed subscription becomes active again); with a cursor, deliver again from there',
        body: Type.Optional(Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false })),
      },
    },
    async (req, reply) => {
      const hook = await ownWebhook(req);
      const c = req.body?.cursor;
      const cursor = c ? await startPosition(rt.store, { cursor: c }, { retentionDays: rt.retentionDays }) : undefined;
      return reply.status(202).send(await rt.admin.redeliverWebhook(keyActor(req.apiKey!), hook, cursor));
    },
  );
}
