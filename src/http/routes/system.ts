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
  /** This process's name among several nodes (NEWSFLOW_NODE_NAME). */
  nodeName?: string;
}

/** How long the health check waits for the database before it calls it unreachable. */
const REACH_TIMEOUT_MS = 2000;

export async function systemRoutes(app: TypedApp, rt: SystemRouteDeps): Promise<void> {
  // Still 200 while the index catches up: the server is alive and serving; `search` says what is missing.
  // 503 when the node cannot reach its database, so a load balancer sends its traffic elsewhere.
  app.get(
    '/healthz',
    { schema: { tags: ['system'], summary: 'Liveness, whether this node reaches the database, the log head, and whether the search index is complete' } },
    async (_req, reply) => {
      const node = rt.nodeName ? { node: rt.nodeName } : {};
      try {
        await rt.store.reach?.(REACH_TIMEOUT_MS);
      } catch (e) {
        const reason = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
        return reply.code(503).send({ ok: false, ...node, store: rt.store.kind, database: { reachable: false, error: reason } });
      }
      return {
        ok: true,
        ...node,
        store: rt.store.kind,
        database: { reachable: true },
        head: await rt.store.headSeq(),
        search: await rt.store.search.status(),
      };
    },
  );

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
