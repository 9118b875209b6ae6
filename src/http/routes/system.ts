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

  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness and the log head' } }, async () => ({
    ok: true, store: rt.store.kind, head: await rt.store.headSeq(),
  }));

  // Metrics name subscribers' activity and the process's insides: an admin's, not the public's.
  app.get('/metrics', {
    onRequest: requireRole(rt.keys, 'admin'),
    schema: { tags: ['system'], security: [{ bearer: [] }], summary: 'Prometheus metrics (admin key)' },
  }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()));
}
