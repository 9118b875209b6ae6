// Several nodes behind a load balancer (issue 15, point 7): /healthz says whether this node reaches its
// database (503 when not, so the balancer takes it out) and names the node; every metric carries the
// node's name so one scrape of several nodes tells them apart.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { after, it } from 'node:test';
import { configWith, ConfigError } from '../../src/server/config.ts';
import { startServer } from '../../src/server/server.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { freshDatabase, privateCluster } from '../postgres.ts';
import { tempDbFile } from '../helpers.ts';

const quiet = { stdout: { write: () => true } as unknown as NodeJS.WritableStream };

it('/healthz names the node and says the SQLite file is reachable; 503 once the file is gone', async () => {
  const file = tempDbFile();
  const config = configWith({
    PORT: '0',
    HOST: '127.0.0.1',
    NEWSFLOW_DATA: file,
    NEWSFLOW_DEMO: '0',
    NEWSFLOW_QUIET: '1',
    NEWSFLOW_NODE_NAME: 'node-a',
    NEWSFLOW_METRICS_ADDR: '127.0.0.1:0',
  });
  const s = await startServer(config, quiet);
  after(() => s.stop());
  const ok = await fetch(`${s.url}/healthz`);
  assert.equal(ok.status, 200);
  const body = (await ok.json()) as { ok: boolean; node: string; database: { reachable: boolean } };
  assert.equal(body.ok, true);
  assert.equal(body.node, 'node-a');
  assert.deepEqual(body.database, { reachable: true });

  const metrics = await (await fetch(`http://127.0.0.1:${s.metricsPort}/metrics`)).text();
  assert.match(metrics, /^newsflow_log_head\{node="node-a"\} \d+$/m);
  assert.match(metrics, /^process_resident_memory_bytes\{node="node-a"\} \d+/m);

  rmSync(file);
  const down = await fetch(`${s.url}/healthz`);
  assert.equal(down.status, 503);
  const why = (await down.json()) as { ok: boolean; node: string; database: { reachable: boolean; error: string } };
  assert.equal(why.ok, false);
  assert.equal(why.node, 'node-a');
  assert.equal(why.database.reachable, false);
  assert.match(why.database.error, /ENOENT|no such file/);
});

it('NEWSFLOW_NODE_NAME defaults to host:port and refuses what is not a label value', () => {
  assert.equal(configWith({ PORT: '8123' }).nodeName, `${hostname()}:8123`);
  assert.equal(configWith({ NEWSFLOW_NODE_NAME: 'web-1:8080' }).nodeName, 'web-1:8080');
  assert.throws(
    () => configWith({ NEWSFLOW_NODE_NAME: 'two words' }),
    (e) => e instanceof ConfigError && e.variable === 'NEWSFLOW_NODE_NAME',
  );
});

it('on PostgreSQL the health check is a SELECT 1 that fails within its timeout when the server is down', async () => {
  const cluster = await privateCluster();
  const store = await PostgresStore.open(await freshDatabase(cluster));
  after(() => store.close());
  await store.reach(1000);
  cluster.ctl('stop', '-m', 'fast');
  const t0 = performance.now();
  await assert.rejects(store.reach(1000));
  assert.ok(performance.now() - t0 < 1500, 'answered within the timeout');
  // Started again the way it ran before (pg_ctl restart reads postmaster.opts): reachable again.
  cluster.ctl('restart');
  await store.reach(5000);
});
