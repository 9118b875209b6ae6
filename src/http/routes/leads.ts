// GET /v1/leads: the readers who asked about a subscription on the public site (its form stores them).
// An admin route of the API, so it lives with the API and not with the site that collects the leads.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import { requireRole } from '../auth.ts';

export interface LeadRouteDeps {
  store: Store;
  keys: KeyRing;
}

export async function leadRoutes(app: FastifyInstance, rt: LeadRouteDeps): Promise<void> {
  app.get(
    '/v1/leads',
    {
      onRequest: requireRole(rt.keys, 'admin'),
      schema: {
        tags: ['admin'],
        security: [{ bearer: [] }],
        summary: 'Readers who asked about a subscription on the public site, newest first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            before: Type.Optional(Type.String({ pattern: '^[0-9a-hjkmnp-tv-z]{26}$' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const q = req.query as { limit?: number; before?: string };
      const leads = await rt.store.site.listLeads(q.limit ?? 50, q.before);
      return { leads, next: leads.length === (q.limit ?? 50) ? (leads[leads.length - 1]?.id ?? null) : null };
    },
  );
}
