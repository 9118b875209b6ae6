// Health and metrics: what an operator and a load balancer look at.
import type { TypedApp } from '../type-provider.ts';
import type { Registry } from 'prom-client';
import type { Store } from '../../model/store.ts';

/** What the system routes use: the store (for the log head) and the metrics the composition root keeps. */
export interface SystemRouteDeps {
  store: Store;
  metrics: Registry;
}

export async function systemRoutes(app: TypedApp, rt: SystemRouteDeps): Promise<void> {
  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness and the log head' } }, async () => ({
    ok: true, store: rt.store.kind, head: await rt.store.headSeq(),
  }));

  app.get('/metrics', { schema: { tags: ['system'], summary: 'Prometheus metrics' } }, async (_req, reply) =>
    reply.type(rt.metrics.contentType).send(await rt.metrics.metrics()));
}
