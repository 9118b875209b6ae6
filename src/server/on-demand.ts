// The desk and the portal are built on the first request for them, in a Fastify instance of their own
// that the main app hands the request to (as the API does with /docs): their pages, sessions, CSRF and
// form parsing cost an idle server several MB of its 100 MB budget, and a wire server whose people
// never sign in never pays for them. The request body is left unread for the area to parse.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

/** Serves `prefix` and everything under it with the instance `build` fills in, built once on first use. */
export async function serveOnDemand(app: FastifyInstance, prefix: string, build: (area: FastifyInstance) => Promise<void>): Promise<void> {
  let area: Promise<FastifyInstance> | undefined;
  const open = async () => {
    const sub = Fastify({ loggerInstance: app.log, bodyLimit: app.initialConfig.bodyLimit, routerOptions: { maxParamLength: 200 } });
    await build(sub);
    await sub.ready();
    return sub;
  };
  const hand = async (req: FastifyRequest, reply: FastifyReply) => {
    area ??= open().catch((e) => {
      area = undefined;
      throw e;
    });
    const sub = await area;
    reply.hijack();
    sub.routing(req.raw, reply.raw);
  };
  // Closed first, so that its open streams (the live wire pages) end before the server stops listening.
  app.addHook('preClose', async () => {
    if (area) await (await area.catch(() => null))?.close();
  });
  await app.register(async (scope) => {
    // The body stays in the request stream for the area's own parsers (forms, JSON, uploads).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    scope.all(prefix, { schema: { hide: true } }, hand);
    scope.all(`${prefix}/*`, { schema: { hide: true } }, hand);
  });
}
