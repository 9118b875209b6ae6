// Health and metrics: what an operator and a load balancer look at.
import type { TypedApp } from '../type-provider.ts';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Runtime } from '../../flow/runtime.ts';

export async function systemRoutes(app: TypedApp, rt: Runtime): Promise<void> {
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

  app.get('/metrics', { schema: { tags: ['system'], summary: 'Prometheus metrics' } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()));
}
