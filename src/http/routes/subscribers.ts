// The admin side of the subscriber flow: products, subscribers, their keys and their usage, and the audit
// trail. Every change goes through the admin acts (src/flow/admin.ts) with the request's key as the actor.
import { literalUnion, type TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { DELIVERY_FORMATS } from '../../flow/render.ts';
import type { Deliveries } from '../../flow/deliveries.ts';
import type { KeyRing } from '../../flow/keys.ts';
import { keyActor, type Admin } from '../../flow/admin.ts';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../../model/store.ts';
import { NotFoundError } from '../../model/errors.ts';
import { subscriberView } from '../../model/subscribers.ts';
import { requireRole } from '../auth.ts';
import { HttpError } from '../errors.ts';

const Id = Type.String({ pattern: '^[0-9a-hjkmnp-tv-z]{26}$' });
const IdParams = Type.Object({ id: Id });
// Spelled out, not mapped from a list: TypeBox infers a union's type only from a tuple of literals.
const MediaType = Type.Union([Type.Literal('text'), Type.Literal('photo'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('graphic')]);
const security = [{ bearer: [] }];
const tags = ['subscribers'];

const productFilters = {
  languages: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 35 }), { maxItems: 50 })),
  categories: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200 })),
  maxUrgency: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 9 }), Type.Null()])),
  mediaTypes: Type.Optional(Type.Array(MediaType, { maxItems: 5 })),
  embargoRights: Type.Optional(Type.Boolean()),
  delaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 86_400 })),
};

const ProductBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), ...productFilters }, { additionalProperties: false });

const ProductPatch = Type.Object(productFilters, {
  additionalProperties: false,
  minProperties: 1,
  description: 'the filters to change (the name stays); they take effect now, earlier events keep the filters of their time',
});

const ProductRefs = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100, description: 'product ids or names' });

const subscriberFields = {
  rateLimit: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  defaultFormat: Type.Optional(
    literalUnion(DELIVERY_FORMATS, {
      description: "the story format of this subscriber's feed, stream and webhooks (default ninjs, IPTC ninjs 3.2)",
    }),
  ),
  seatLimit: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()], { description: 'how many people may sign in to the portal' }),
  ),
};

const SubscriberBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), products: ProductRefs, ...subscriberFields },
  { additionalProperties: false },
);

const SubscriberPatch = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), products: Type.Optional(ProductRefs), ...subscriberFields },
  { additionalProperties: false, minProperties: 1 },
);

const TargetType = Type.Union([
  Type.Literal('product'),
  Type.Literal('subscriber'),
  Type.Literal('key'),
  Type.Literal('webhook'),
  Type.Literal('story'),
  Type.Literal('user'),
]);

const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "the actor's id (a key or user id, or `system`)" })),
    story: Type.Optional(Id),
    targetType: Type.Optional(TargetType),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'the `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

/** What the admin routes for products, subscribers and their keys use. */
export interface SubscriberRouteDeps {
  store: Store;
  keys: KeyRing;
  deliveries: Deliveries;
  admin: Admin;
}

/** The request's key as the actor of an admin act. */
const actorOf = (req: FastifyRequest) => keyActor(req.apiKey!);

export async function subscriberRoutes(app: TypedApp, rt: SubscriberRouteDeps): Promise<void> {
  const admin = requireRole(rt.keys, 'admin');
  const subscriberOrAdmin = requireRole(rt.keys, 'subscriber');
  const store = rt.store.subscribers;

  app.post(
    '/v1/products',
    { onRequest: admin, schema: { tags, security, summary: 'Define a product (a filter on the flow)', body: ProductBody } },
    async (req, reply) => reply.status(201).send(await rt.admin.createProduct(actorOf(req), req.body)),
  );

  app.get('/v1/products', { onRequest: admin, schema: { tags, security, summary: 'List products' } }, async () => ({ products: await store.listProducts() }));

  app.patch(
    '/v1/products/:id',
    {
      onRequest: admin,
      schema: { tags, security, params: IdParams, summary: "Change a product's filters from now on (recorded in its history)", body: ProductPatch },
    },
    async (req) => rt.admin.updateProduct(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/v1/products/:id/history',
    { onRequest: admin, schema: { tags, security, params: IdParams, summary: "A product's filters over time, each with when it took effect" } },
    async (req) => ({ versions: await store.productHistory(req.params.id) }),
  );

  app.post(
    '/v1/subscribers',
    { onRequest: admin, schema: { tags, security, summary: 'Create a subscriber entitled to products', body: SubscriberBody } },
    async (req, reply) => {
      const s = await rt.admin.createSubscriber(actorOf(req), req.body);
      return reply.status(201).header('location', `/v1/subscribers/${s.id}`).send(subscriberView(s));
    },
  );

  app.patch(
    '/v1/subscribers/:id',
    {
      onRequest: admin,
      schema: { tags, security, params: IdParams, summary: "Change a subscriber's name, rate limit, format, seat limit or products", body: SubscriberPatch },
    },
    async (req) => {
      const { products, ...changes } = req.body;
      const actor = actorOf(req);
      let s = Object.keys(changes).length > 0 ? await rt.admin.updateSubscriber(actor, req.params.id, changes) : null;
      if (products) s = await rt.admin.setSubscriberProducts(actor, req.params.id, products);
      return subscriberView(s!);
    },
  );

  app.put(
    '/v1/subscribers/:id/products',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "Set the subscriber's products from now on (stories it had keep reaching it with their follow-ups)",
        body: Type.Object({ products: ProductRefs }, { additionalProperties: false }),
      },
    },
    async (req) => subscriberView(await rt.admin.setSubscriberProducts(actorOf(req), req.params.id, req.body.products)),
  );

  app.get('/v1/subscribers', { onRequest: admin, schema: { tags, security, summary: 'List subscribers' } }, async () => ({
    subscribers: (await store.listSubscribers()).map(subscriberView),
  }));

  app.get(
    '/v1/audit',
    { onRequest: admin, schema: { tags: ['audit'], security, summary: 'Who changed what, newest first; `next` pages on', querystring: AuditQuery } },
    async (req) => {
      const q = req.query;
      const limit = q.limit ?? 50;
      const entries = await rt.admin.auditTrail({ actorId: q.actor, storyId: q.story, targetType: q.targetType, targetId: q.target, before: q.before, limit });
      return { entries, next: entries.length === limit ? entries[entries.length - 1].id : null };
    },
  );

  app.get(
    '/v1/subscribers/:id',
    { onRequest: admin, schema: { tags, security, params: IdParams, summary: 'A subscriber with its products, keys and webhooks' } },
    async (req) => {
      const { id } = req.params;
      const s = await store.getSubscriber(id);
      if (!s) throw new NotFoundError(`no subscriber ${id}`);
      return {
        ...subscriberView(s),
        productHistory: await store.subscriptionHistory(id),
        keys: await rt.store.listKeys({ subscriberId: id }),
        webhooks: await store.listWebhooks(id),
      };
    },
  );

  app.post(
    '/v1/subscribers/:id/keys',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Issue a key for the subscriber (the secret is shown only in this answer)',
        body: Type.Optional(Type.Object({ label: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })),
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { secret, key } = await rt.admin.createKey(actorOf(req), 'subscriber', { subscriberId: id, label: req.body?.label });
      return reply.status(201).send({ secret, key });
    },
  );

  app.get(
    '/v1/subscribers/:id/keys',
    { onRequest: admin, schema: { tags, security, params: IdParams, summary: "The subscriber's keys (never their secrets)" } },
    async (req) => {
      const { id } = req.params;
      if (!(await store.getSubscriber(id))) throw new NotFoundError(`no subscriber ${id}`);
      return { keys: await rt.store.listKeys({ subscriberId: id }) };
    },
  );

  app.delete(
    '/v1/keys/:id',
    { onRequest: admin, schema: { tags, security, params: IdParams, summary: 'Revoke a key; its open streams close within a second' } },
    async (req) => rt.admin.revokeKey(actorOf(req), req.params.id),
  );

  app.get(
    '/v1/subscribers/:id/usage',
    {
      onRequest: subscriberOrAdmin,
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Stories delivered per channel per day (admin, or the subscriber itself)',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
            to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
            access_token: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const { id } = req.params;
      const key = req.apiKey!;
      if (key.role !== 'admin' && key.subscriberId !== id) throw new HttpError(403, 'a subscriber key can read only its own usage');
      if (!(await store.getSubscriber(id))) throw new NotFoundError(`no subscriber ${id}`);
      await rt.deliveries.flush();
      const { from, to } = req.query;
      const days = await store.usage(id, from, to);
      const totals: Record<string, number> = {};
      for (const d of days) totals[d.channel] = (totals[d.channel] ?? 0) + d.count;
      return { subscriberId: id, days, totals };
    },
  );
}
