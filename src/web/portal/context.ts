// What every portal page module is handed: the services, the guard by seat role, the signed-in seat's
// subscriber, and the one way to answer with a page in the portal's frame (CSRF token included). Page
// modules are functions `(app, portal: PortalContext) => void` listed in registerPortalPages (src/web/portal/portal.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Runtime } from '../../flow/runtime.ts';
import type { Subscriber } from '../../model/subscribers.ts';
import type { SeatRole } from '../../model/users.ts';
import type { SafeHtml } from '../html.ts';
import type { AccountDeps } from '../account/sessions.ts';
import type { PortalStrings } from './strings.ts';

export interface PortalContext {
  deps: AccountDeps;
  /** The agency's services (hub, deliveries, media, admin acts, key ring) on the one store. */
  rt: Runtime;
  /** The public site's address (links in e-mails). */
  publicUrl: string;
  /** Webhook URLs may point at private networks (NEWSFLOW_ALLOW_PRIVATE_WEBHOOKS; tests). */
  allowPrivateWebhooks?: boolean;
  /**
   * Signed-in seats of these roles (any seat role when none is named). It also loads the seat's
   * subscriber, read afterwards with `subscriber(req)`; a seat whose subscriber is gone is signed out.
   */
  guard: (...roles: SeatRole[]) => preHandlerAsyncHookHandler;
  /** The signed-in seat's subscriber (set by the guard; throws when used on an unguarded route). */
  subscriber: (req: FastifyRequest) => Subscriber;
  /** Answers with a page in the portal's frame for the signed-in seat (`req.user`, set by the guard). */
  page: (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    title: (t: PortalStrings) => string,
    body: (csrf: string, t: PortalStrings) => SafeHtml,
  ) => FastifyReply;
  /** A page with a heading and one sentence (404s for other subscribers' things, refusals). */
  simple: (req: FastifyRequest, reply: FastifyReply, status: number, title: (t: PortalStrings) => string, text: (t: PortalStrings) => string) => FastifyReply;
}

/** A portal page module: adds its routes (relative to /portal) to the portal's scope. */
export type PortalPages = (app: FastifyInstance, portal: PortalContext) => void;
