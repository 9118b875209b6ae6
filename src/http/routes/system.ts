// Health and metrics: what an operator and a load balancer look at.
import type { TypedApp } from '../type-provider.ts';
import type { Registry } from 'prom-client';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import { requireRole } from '../auth.ts';

/** What the system routes use: the store (for the log head) and the metrics the composition root keeps. */
export interface SystemRouteDeps {
  store: Store;
  keys: KeyRing;
  metrics: Registry;
}

export async function systemRoutes(app: TypedApp, rt: SystemRouteDeps): Promise<void> {
  // Still 200 while the index catches up: the server is alive and serving; `search` says what is missing.
  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness, the log head, and whether the search index is complete' } }, async () => ({
    ok: true,
    store: rt.store.kind,
    head: await rt.store.headSeq(),
    search: await rt.store.search.status(),
  }));

  // Metrics name subscribers' activity and the process's insides: an admin's, not the public's
  // (NEWSFLOW_METRICS_ADDR serves them on an internal address of their own).
  app.get(
    '/metrics',
    {
      onRequest: requireRole(rt.keys, 'admin'),
      schema: { tags: ['system'], security: [{ bearer: [] }], summary: 'Prometheus metrics (admin key)' },
    },
    async (_req, reply) => reply.type(rt.metrics.contentType).send(await rt.metrics.metrics()),
  );
}
