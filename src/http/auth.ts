// Authentication by API key (Authorization: Bearer <key>, or ?access_token= for EventSource, which
// cannot set headers) and authorisation by role.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { KeyRing } from '../flow/keys.ts';
import type { Actor } from '../model/actor.ts';
import type { ApiKey, Role } from '../model/keys.ts';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/**
 * The only routes a key may reach as ?access_token=: what a browser's EventSource or WebSocket (which
 * cannot set headers) or a feed reader asks for, all GETs that read. A key in a URL ends up in
 * histories, proxies and referrers, so it must never be able to write, or to administer.
 */
export const QUERY_TOKEN_ROUTES: ReadonlySet<string> = new Set(['/v1/feed', '/v1/stream', '/v1/ws', '/v1/subscribers/:id/usage']);

/** True when the request may authenticate with ?access_token=. */
function queryTokenAllowed(req: FastifyRequest): boolean {
  return req.method === 'GET' && QUERY_TOKEN_ROUTES.has(req.routeOptions.url ?? '');
}

/** The secret a request carries, if any. */
export function secretOf(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m ? m[1] : null;
  }
  if (!queryTokenAllowed(req)) return null;
  // Runs before validation: the query string is whatever the client sent.
  const query: unknown = req.query;
  const q = query && typeof query === 'object' && 'access_token' in query ? query.access_token : undefined;
  return typeof q === 'string' ? q : null;
}

/**
 * Who is acting: the key that authenticated the request, named by its label (or its prefix when it has
 * none), so versions and log events record which key did what. Only for routes behind requireRole.
 */
export function actorOf(req: FastifyRequest): Actor {
  const key = req.apiKey;
  if (!key) throw new HttpError(401, 'missing API key: send "Authorization: Bearer <key>"');
  return { type: 'key', id: key.id, name: key.label ?? key.prefix };
}

/**
 * An onRequest hook that lets through only keys of the given roles (admin passes everywhere). It runs
 * before the body is read or validated: an unauthenticated caller learns nothing about the API but 401.
 */
export function requireRole(keys: KeyRing, ...roles: Role[]): preHandlerAsyncHookHandler {
  return async function authorise(req: FastifyRequest, reply: FastifyReply) {
    const secret = secretOf(req);
    if (!secret) {
      void reply.header('www-authenticate', 'Bearer realm="newsflow"');
      if ((req.query as Record<string, unknown> | undefined)?.access_token !== undefined) {
        throw new HttpError(401, `?access_token= is accepted only by GET ${[...QUERY_TOKEN_ROUTES].join(', ')}; send "Authorization: Bearer <key>"`);
      }
      throw new HttpError(401, 'missing API key: send "Authorization: Bearer <key>"');
    }
    const key = await keys.authenticate(secret);
    if (!key) {
      void reply.header('www-authenticate', 'Bearer realm="newsflow", error="invalid_token"');
      throw new HttpError(401, 'invalid or revoked API key');
    }
    if (key.role !== 'admin' && !roles.includes(key.role)) {
      throw new HttpError(403, `this route needs the ${roles.join(' or ')} role; your key has the ${key.role} role`);
    }
    req.apiKey = key;
  };
}
