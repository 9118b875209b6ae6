// The whole HTTP surface of one server: the API (src/http) and, beside it, the public site (src/web),
// on services the composition root built. Tests and benchmarks build it here too, so what they run is
// what `npm start` runs.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Runtime } from '../flow/runtime.ts';
import { StreamFanout } from '../flow/streams.ts';
import { buildApp, type ApiDeps, type AppOptions } from '../http/app.ts';
import type { HtmlNotFound } from '../http/errors.ts';
import { quota } from '../http/rate-limit.ts';
import { Accounts } from '../flow/accounts.ts';
import { clientAssetsPlugin } from '../web/client-assets.ts';
import { sitePlugin } from '../web/site.ts';
import { configWith, type Config } from './config.ts';
import { createMetrics } from './metrics.ts';
import { serveOnDemand } from './on-demand.ts';

export interface WebApp {
  app: FastifyInstance;
  /** The live stream fan-out (closed with the app: its streams get a final comment first). */
  fanout: StreamFanout;
  metrics: Registry;
}

export interface WebAppOptions {
  logger?: AppOptions['logger'];
  extraRoutes?: FastifyPluginAsync<ApiDeps>[];
}

/** Builds the API and the public site on `rt`, configured by `config` (every default when not given). */
export async function buildWebApp(rt: Runtime, config: Config = configWith(), opts: WebAppOptions = {}): Promise<WebApp> {
  const fanout = new StreamFanout(rt.store, rt.hub, rt.deliveries, {
    heartbeatMs: config.streams.heartbeatMs,
    maxBufferedBytes: config.streams.maxBufferedBytes,
  });
  const metrics = createMetrics(rt.store, fanout, config.nodeName);
  let notFoundPage: HtmlNotFound | undefined;
  const app = await buildApp(
    {
      baseUrl: rt.baseUrl,
      store: rt.store,
      hub: rt.hub,
      keys: rt.keys,
      newsroom: rt.newsroom,
      deliveries: rt.deliveries,
      admin: rt.admin,
      media: rt.media,
      fanout,
      metrics,
      retentionDays: config.retentionDays,
      allowPrivateWebhooks: config.allowPrivateWebhooks,
      streamsPerSubscriber: config.streams.perSubscriber,
      longPollsPerSubscriber: config.longPollsPerSubscriber,
      heartbeatMs: config.streams.heartbeatMs,
      nodeName: config.nodeName,
    },
    { logger: opts.logger, htmlNotFound: () => notFoundPage, extraRoutes: opts.extraRoutes },
  );
  // Open streams end with a final comment before the server stops listening (closing waits for them).
  app.addHook('preClose', async () => fanout.close());
  // The public forms count against one quota per address on the API's rate limiter (a friendly page
  // answers a refused reader; see src/web/site.ts).
  const formQuota = quota(app, { name: 'site-form', max: config.formQuota.max, windowMs: config.formQuota.windowMs });
  await app.register(
    sitePlugin({
      base: config.publicUrl,
      budget: config.siteBudget,
      cache: config.siteCache,
      formQuota,
      mediaMaxWidth: config.media.publicMaxWidth,
      onNotFoundPage: (page) => {
        notFoundPage = page;
      },
    }),
    { store: rt.store, hub: rt.hub, media: rt.media },
  );
  // Page scripts (esbuild bundles) for the desk and the portal, at /assets/.
  await app.register(clientAssetsPlugin);
  // The newsroom desk: signed-in staff only, sessions and CSRF in its own scope, built on first use.
  const accounts = new Accounts(rt.store, config.signInLimits);
  const sessions = { idleMs: config.sessions.idleMs, maxMs: config.sessions.maxMs, secureCookies: config.publicUrl.startsWith('https:') };
  await serveOnDemand(app, '/desk', async (area) => {
    const { deskPlugin } = await import('../web/desk/desk.ts');
    await area.register(deskPlugin({ sessions, rt, publicUrl: config.publicUrl, allowPrivateWebhooks: config.allowPrivateWebhooks }), {
      prefix: '/desk',
      store: rt.store,
      accounts,
    });
  });
  // The subscriber portal: signed-in seats only, the same sessions, its own scope, built on first use.
  await serveOnDemand(app, '/portal', async (area) => {
    const { portalPlugin } = await import('../web/portal/portal.ts');
    await area.register(portalPlugin({ sessions, rt, publicUrl: config.publicUrl, allowPrivateWebhooks: config.allowPrivateWebhooks }), {
      prefix: '/portal',
      store: rt.store,
      accounts,
    });
  });
  return { app, fanout, metrics };
}
