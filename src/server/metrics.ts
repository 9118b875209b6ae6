// Prometheus metrics: one registry for the process, served at /metrics on the API and, when
// NEWSFLOW_METRICS_ADDR is set, on a listen address of its own (operators scrape an internal port
// that the public never reaches).
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { StreamFanout } from '../flow/streams.ts';
import type { Store } from '../model/store.ts';
import type { ListenAddress } from './config.ts';

/** The process's metrics: Node's defaults, the log head, the search index's completeness and the open streams. */
export function createMetrics(store: Store, fanout?: StreamFanout, nodeName?: string): Registry {
  const registry = new Registry();
  // Every series carries the node's name, so one scrape config over several nodes tells them apart.
  if (nodeName) registry.setDefaultLabels({ node: nodeName });
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'newsflow_log_head',
    help: 'Highest sequence number in the flow log',
    registers: [registry],
    async collect() {
      this.set(await store.headSeq());
    },
  });
  new Gauge({
    name: 'newsflow_search_missing_stories',
    help: 'Published stories the search index lacks (an interrupted import) while it catches up',
    registers: [registry],
    async collect() {
      this.set((await store.search.status()).missing);
    },
  });
  new Gauge({
    name: 'newsflow_search_catching_up',
    help: '1 while the search index is being completed in the background',
    registers: [registry],
    async collect() {
      this.set((await store.search.status()).catchingUp ? 1 : 0);
    },
  });
  if (fanout) {
    new Gauge({
      name: 'newsflow_open_streams',
      help: 'Open subscriber streams (SSE and WebSocket)',
      registers: [registry],
      collect() {
        this.set(fanout.size);
      },
    });
  }
  return registry;
}

/** Serves GET /metrics (and nothing else) on `addr`; resolves with the listening server. */
export async function listenForMetrics(registry: Registry, addr: ListenAddress): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics is served here\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics could not be collected\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
