// Saved searches: a subscriber names a query, runs it again later, and uses it as the filter of its
// own feed (`/v1/feed?alert=<id>`), stream (`/v1/stream?alert=<id>`) or webhook (`alert` field).
import type { TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { subscriberSearchFilter } from '../../flow/search-access.ts';
import type { Deliveries } from '../../flow/deliveries.ts';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import { parseQuery, QuerySyntaxError } from '../../search/index.ts';
import { requireRole } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { ownSavedSearch, subscriberOf } from '../subscriber-of-request.ts';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-hjkmnp-tv-z]{26}$' }) });

/** What the saved-search routes use. */
export interface SavedSearchRouteDeps {
  store: Store;
  keys: KeyRing;
  deliveries: Deliveries;
}

export async function savedSearchRoutes(app: TypedApp, rt: SavedSearchRouteDeps): Promise<void> {
  const subscriberOnly = requireRole(rt.keys, 'subscriber');
  const common = { tags: ['search'], security: [{ bearer: [] }] };

  app.post(
    '/v1/saved-searches',
    {
      onRequest: subscriberOnly,
      schema: {
        ...common,
        summary: 'Save a query (then use it as an alert: feed, stream or webhook filter)',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }), query: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const subscriber = await subscriberOf(rt, req);
      const { name, query } = req.body;
      try {
        parseQuery(query);
      } catch (e) {
        if (e instanceof QuerySyntaxError) throw new HttpError(400, `query: ${e.message}`);
        throw e;
      }
      const saved = await rt.store.savedSearches.create({ subscriberId: subscriber.id, name, query });
      return reply.status(201).send({
        ...saved,
        use: { feed: `/v1/feed?alert=${saved.id}`, stream: `/v1/stream?alert=${saved.id}`, webhook: { alert: saved.id } },
      });
    },
  );

  app.get('/v1/saved-searches', { onRequest: subscriberOnly, schema: { ...common, summary: 'Your saved searches' } }, async (req) => {
    const subscriber = await subscriberOf(rt, req);
    return { savedSearches: await rt.store.savedSearches.list(subscriber.id) };
  });

  app.get(
    '/v1/saved-searches/:id/results',
    {
      onRequest: subscriberOnly,
      schema: {
        ...common,
        params: IdParams,
        summary: 'Run a saved search now',
        querystring: Type.Object(
          { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const saved = await ownSavedSearch(rt, req, req.params.id);
      const subscriber = await subscriberOf(rt, req);
      const { page = 1, limit = 20 } = req.query;
      const result = await rt.store.search.query(saved.query, {
        ...subscriberSearchFilter(subscriber, await rt.store.search.embargoedStoryIds(new Date())),
        limit,
        offset: (page - 1) * limit,
        sort: 'recency',
      });
      return {
        savedSearch: saved,
        total: result.total,
        page,
        limit,
        hits: result.hits.map((h) => ({
          id: h.storyId,
          version: h.version,
          language: h.language,
          publishedAt: h.publishedAt,
          headline: h.headline,
          snippetHtml: h.snippetHtml,
        })),
      };
    },
  );

  app.delete(
    '/v1/saved-searches/:id',
    { onRequest: subscriberOnly, schema: { ...common, params: IdParams, summary: 'Delete a saved search' } },
    async (req, reply) => {
      const saved = await ownSavedSearch(rt, req, req.params.id);
      const users = (await rt.store.subscribers.listWebhooks(saved.subscriberId)).filter((w) => w.alertId === saved.id);
      if (users.length) throw new HttpError(409, `saved search ${saved.id} filters webhook ${users.map((w) => w.id).join(', ')}; delete the webhook first`);
      await rt.store.savedSearches.delete(saved.id);
      return reply.status(204).send();
    },
  );
}
