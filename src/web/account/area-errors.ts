// How the desk and the portal answer an unknown address and a failed request: a signed-out visitor is
// told nothing but "sign in" (an address's existence does not leak), an expired form gets its own page,
// and any other failure a page in the area's frame (the message of a 4xx, nothing of a 500).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../model/store.ts';
import { loadUser } from './sessions.ts';

type Answer = FastifyReply | Promise<FastifyReply>;

export interface AreaErrorPages {
  store: Store;
  /** Where a signed-out visitor of an unknown address is sent. */
  signInPath: string;
  /** For the log: `desk`, `portal`. */
  area: string;
  notFound: (req: FastifyRequest, reply: FastifyReply) => Answer;
  formExpired: (req: FastifyRequest, reply: FastifyReply) => Answer;
  failed: (req: FastifyRequest, reply: FastifyReply, status: number, message: string) => Answer;
}

export function answerErrors(app: FastifyInstance, o: AreaErrorPages): void {
  app.setNotFoundHandler(async (req, reply) => {
    const user = await loadUser(req, o.store);
    if (!user) return reply.code(303).header('location', o.signInPath).send();
    req.user = user;
    return o.notFound(req, reply);
  });
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
      req.user ??= await loadUser(req, o.store).catch(() => null);
      return o.formExpired(req, reply);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, `${o.area} page failed`);
    return o.failed(req, reply, status, status === 500 ? '' : err.message);
  });
}
