// The HTTP API: Fastify with JSON-schema validation, the OpenAPI document at /openapi.json, browsable
// docs at /docs, and every API route plugin, each given only the services it uses. Routes only translate
// HTTP to the flow and back. The composition root (src/server) builds the services and adds the public site.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import cors from '@fastify/cors';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Runtime } from '../flow/runtime.ts';
import type { StreamFanout } from '../flow/streams.ts';
import { registerErrorHandling, type HtmlNotFound } from './errors.ts';
import { registerRateLimit } from './rate-limit.ts';
import { storyRoutes } from './routes/stories.ts';
import { systemRoutes } from './routes/system.ts';
import { importRoutes } from './routes/import.ts';
import { feedRoutes } from './routes/feed.ts';
import { searchRoutes } from './routes/search.ts';
import { savedSearchRoutes } from './routes/saved-searches.ts';
import { streamRoutes } from './routes/stream.ts';
import { subscriberRoutes } from './routes/subscribers.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { leadRoutes } from './routes/leads.ts';
import { mediaRoutes } from './routes/media.ts';

/** Largest request body accepted (stories with long bodies fit well inside it). */
export const BODY_LIMIT = 1024 * 1024;

// Unknown fields are an error, not silently dropped: a typo must not lose an editor's change. Bodies
// are JSON and must carry the right types (a headline of 123 is refused, not turned into "123");
// query strings and path parameters are text by nature and are coerced (`limit=20` is a number).
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const bodyAjv = addFormats(new Ajv({ removeAdditional: false, allErrors: true, coerceTypes: false, useDefaults: true, strict: false }));
const urlAjv = addFormats(new Ajv({ removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true, strict: false }));

/** A URL with the value of any access_token parameter hidden. */
export function maskToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&]*/g, '$1***');
}

/** The services the API routes use, built by the composition root. */
export interface ApiDeps extends Omit<Runtime, 'close'> {
  fanout: StreamFanout;
  metrics: Registry;
  retentionDays: number;
  allowPrivateWebhooks: boolean;
  streamsPerSubscriber: number;
  longPollsPerSubscriber: number;
  heartbeatMs: number;
  /** This server process's name among several (NEWSFLOW_NODE_NAME), shown by /healthz. */
  nodeName?: string;
}

/** How a logged error is written. */
export type ErrorSerializer = (e: Error) => { type: string; message: string; stack: string; [key: string]: unknown };

export interface AppOptions {
  /** The request log: off, or its level and where it goes (pretty lines in a terminal, JSON otherwise). */
  /** `err`: how a logged error is written (the composition root maps its stack to the sources). */
  logger?: false | { level: string; stream?: NodeJS.WritableStream; err?: ErrorSerializer };
  /** The public site's 404 page for browsers that follow a dead link (when the site is mounted). */
  htmlNotFound?: () => HtmlNotFound | undefined;
  /** Extra route plugins (benchmarks and tests add their own), registered after the API's routes. */
  extraRoutes?: FastifyPluginAsync<ApiDeps>[];
}

/**
 * The browsable docs at /docs, built on the first request for them: swagger-ui and the static-file
 * server under it (which lists all of swagger-ui's files when registered) cost an idle server about
 * 5 MB that most servers never use. They run in a small Fastify instance of their own, over the API's
 * OpenAPI document as it stands once every route is registered, and the API hands it the request.
 */
function serveDocsOnDemand(app: FastifyInstance): void {
  let docs: Promise<FastifyInstance> | undefined;
  const build = async () => {
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
    const sub = Fastify();
    await sub.register(swagger, { mode: 'static', specification: { document: app.swagger() as StaticDocumentSpec['document'] } });
    await sub.register(swaggerUi, { routePrefix: '/docs' });
    await sub.ready();
    return sub;
  };
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    docs ??= build().catch((e) => {
      docs = undefined;
      throw e;
    });
    const sub = await docs;
    reply.hijack();
    sub.routing(req.raw, reply.raw);
  };
  app.get('/docs', { schema: { hide: true } }, handler);
  app.get('/docs/*', { schema: { hide: true } }, handler);
}

export async function buildApp(deps: ApiDeps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    // Node refuses request heads over 16 KiB with a bare 431. A 10,000-character Arabic query is
    // ~60 KB once URL-encoded: let it reach the routes, which answer with a message (400, 414).
    http: { maxHeaderSize: 256 * 1024 },
    logger: opts.logger
      ? {
          level: opts.logger.level,
          ...(opts.logger.stream ? { stream: opts.logger.stream } : {}),
          // EventSource clients put their key in the URL (?access_token=): never write it to the log.
          serializers: {
            req: (req) => ({ method: req.method, url: maskToken(req.url), remoteAddress: req.ip }),
            err: opts.logger.err ?? ((e: Error) => ({ type: e.name, message: e.message, stack: e.stack ?? '' })),
          },
        }
      : false,
  });
  registerErrorHandling(app, opts.htmlNotFound);
  app.addHook('preClose', (done) => closeConnectionsAsTheyGoIdle(app, done));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : urlAjv).compile(schema));
  // Browsers on subscribers' own sites read the feed and the stream (EventSource) across origins;
  // the key travels in a header or ?access_token=, never in a cookie, so any origin may ask.
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'last-event-id', 'accept'],
    exposedHeaders: ['x-next-cursor', 'link', 'location', 'retry-after'],
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'newsflow API',
        version: '0.1.0',
        description: 'Newsroom, subscriber flow and admin API of newsflow. Authenticate with `Authorization: Bearer <key>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  serveDocsOnDemand(app);
  await registerRateLimit(app);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const { baseUrl, store, hub, keys, newsroom, deliveries, fanout } = deps;
  await app.register(systemRoutes, { store, keys, metrics: deps.metrics, nodeName: deps.nodeName });
  // the newsroom
  await app.register(storyRoutes, { baseUrl, store, newsroom, keys });
  await app.register(importRoutes, { store, hub, keys });
  // the subscriber flow
  await app.register(subscriberRoutes, { store, keys, deliveries, admin: deps.admin });
  await app.register(feedRoutes, {
    baseUrl,
    store,
    hub,
    keys,
    deliveries,
    fanout,
    retentionDays: deps.retentionDays,
    longPollsPerSubscriber: deps.longPollsPerSubscriber,
  });
  await app.register(streamRoutes, {
    store,
    keys,
    deliveries,
    fanout,
    retentionDays: deps.retentionDays,
    streamsPerSubscriber: deps.streamsPerSubscriber,
    heartbeatMs: deps.heartbeatMs,
  });
  await app.register(webhookRoutes, { store, keys, admin: deps.admin, allowPrivateWebhooks: deps.allowPrivateWebhooks, retentionDays: deps.retentionDays });
  await app.register(searchRoutes, { store, keys, deliveries });
  await app.register(savedSearchRoutes, { store, keys, deliveries });
  await app.register(leadRoutes, { store, keys });
  await app.register(mediaRoutes, { keys, media: deps.media });
  for (const plugin of opts.extraRoutes ?? []) await app.register(plugin, deps);
  return app;
}

/** How long a stopping server lets its open connections finish before it cuts them. */
export const CLOSE_GRACE_MS = 3000;

/**
 * Closing closes the keep-alive connections idle at that moment, and no other: one whose answer ends a
 * moment later (a long-poll woken by the close) would stay open until its keep-alive timeout (72 s), and a
 * connection that never sent a whole request (a browser's preconnect, a client gone quiet mid-request)
 * until Node's header timeout (60 s or more), and the stop with it. So idle connections are closed as
 * they appear, and whatever is still open after CLOSE_GRACE_MS is cut.
 */
function closeConnectionsAsTheyGoIdle(app: FastifyInstance, done: () => void): void {
  const cutAt = Date.now() + CLOSE_GRACE_MS;
  const reap = setInterval(() => {
    if (Date.now() < cutAt) app.server.closeIdleConnections();
    else app.server.closeAllConnections();
  }, 50).unref();
  app.server.once('close', () => clearInterval(reap));
  done();
}
