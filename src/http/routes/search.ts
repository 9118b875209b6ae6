// GET /v1/search: the archive, searched the way Arabic (and Turkish, and English) is written.
// The newsroom sees everything; a subscriber sees only what it is entitled to.
import type { TypedApp } from '../type-provider.ts';
import { Type } from 'typebox';
import { subscriberSearchFilter } from '../../flow/search-access.ts';
import type { Deliveries } from '../../flow/deliveries.ts';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import { QuerySyntaxError, MAX_QUERY_LENGTH, type SearchFilters } from '../../search/index.ts';
import { requireRole } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { subscriberOf } from '../subscriber-of-request.ts';

const PAGE_SIZE_MAX = 100;

/** What the search route uses. */
export interface SearchRouteDeps {
  store: Store;
  keys: KeyRing;
  deliveries: Deliveries;
}

export async function searchRoutes(app: TypedApp, rt: SearchRouteDeps): Promise<void> {
  app.get(
    '/v1/search',
    {
      onRequest: requireRole(rt.keys, 'editor', 'subscriber'),
      schema: {
        tags: ['search'],
        security: [{ bearer: [] }],
        summary: 'Search published stories',
        description:
          'Query language: words, "phrases", OR, NOT or -word, (grouping), headline: byline: dateline: category: keyword:, ' +
          'lang:ar, urgency:1..3, date:2026-01-01..2026-01-31. Arabic matching folds diacritics, tatweel, hamza forms, ta marbuta, ' +
          'clitics and every digit script.',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 20_000 })),
            lang: Type.Optional(Type.String({ maxLength: 35 })),
            category: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })])),
            from: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD' })),
            to: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD' })),
            urgency: Type.Optional(Type.Integer({ minimum: 1, maximum: 9, description: 'highest urgency number to include' })),
            sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('recency')])),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX, default: 20 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query;
      const text = q.q ?? '';
      if (text.length > MAX_QUERY_LENGTH) throw new HttpError(400, `query is ${text.length} characters long; the limit is ${MAX_QUERY_LENGTH}`);
      const limit = q.limit ?? 20;
      const page = q.page ?? 1;
      const filters: SearchFilters = {
        lang: q.lang,
        categories: q.category === undefined ? undefined : ([] as string[]).concat(q.category),
        from: q.from,
        to: q.to,
        urgencyMax: q.urgency,
        sort: q.sort,
        limit,
        offset: (page - 1) * limit,
      };
      if (req.apiKey!.role === 'subscriber') {
        const subscriber = await subscriberOf(rt, req);
        Object.assign(filters, subscriberSearchFilter(subscriber, await rt.store.search.embargoedStoryIds(new Date())));
      }
      try {
        const result = await rt.store.search.query(text, filters);
        return {
          query: text,
          total: result.total,
          page,
          limit,
          hits: result.hits.map((h) => ({
            id: h.storyId,
            version: h.version,
            language: h.language,
            categories: h.categories,
            urgency: h.urgency,
            publishedAt: h.publishedAt,
            score: h.score,
            headline: h.headline,
            headlineHtml: h.headlineHtml,
            snippetHtml: h.snippetHtml,
            links: { version: `/v1/stories/${h.storyId}/versions/${h.version}` },
          })),
          facets: result.facets,
        };
      } catch (e) {
        if (e instanceof QuerySyntaxError) {
          throw new HttpError(400, `query: ${e.message}`, e.position !== undefined ? { position: e.position } : undefined);
        }
        throw e;
      }
    },
  );
}
