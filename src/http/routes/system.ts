// Health and metrics: what an operator and a load balancer look at.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Runtime } from '../../flow/runtime.ts';
import { requireRole } from '../auth.ts';

export async function systemRoutes(app: FastifyInstance, rt: Runtime): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'newsflow_log_head',
    help: 'Highest sequence number in the flow log',
    registers: [registry],
    async collect() {
      this.set(await rt.store.headSeq());
    },
  });

  new Gauge({
    name: 'newsflow_search_missing_stories',
    help: 'Published stories the search index lacks (an interrupted import) while it catches up',
    registers: [registry],
    collect() {
      this.set(rt.store.search.status().missing);
    },
  });
  new Gauge({
    name: 'newsflow_search_catching_up',
    help: '1 while the search index is being completed in the background',
    registers: [registry],
    collect() {
      this.set(rt.store.search.status().catchingUp ? 1 : 0);
    },
  });

  // Still 200 while the index catches up: the server is alive and serving; `search` says what is missing.
  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness, the log head, and whether the search index is complete' } }, async () => ({
    ok: true, store: rt.store.kind, head: await rt.store.headSeq(), search: rt.store.search.status(),
  }));

  // Metrics name subscribers' activity and the process's insides: an admin's, not the public's.
  app.get('/metrics', {
    onRequest: requireRole(rt.keys, 'admin'),
    schema: { tags: ['system'], security: [{ bearer: [] }], summary: 'Prometheus metrics (admin key)' },
  }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()));
}
