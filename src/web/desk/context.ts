// What every desk page module is handed: the services, the guard by role, and the one way to answer
// with a page in the desk's frame (CSRF token included). Pages others add (wire monitor, editor, admin,
// audit) are functions `(app, desk: DeskContext) => void` registered in src/web/desk/desk.ts.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Runtime } from '../../flow/runtime.ts';
import type { StaffRole } from '../../model/users.ts';
import type { SafeHtml } from '../html.ts';
import type { AccountDeps } from '../account/sessions.ts';
import type { DeskStrings } from './strings.ts';

export interface DeskContext {
  deps: AccountDeps;
  /** The newsroom's services (newsroom acts, hub, deliveries, admin acts, key ring) on the one store. */
  rt: Runtime;
  /** The public site's address (previews, links in e-mails). */
  publicUrl: string;
  /** Signed-in staff of these roles (any staff role when none is named). */
  guard: (...roles: StaffRole[]) => preHandlerAsyncHookHandler;
  /** Answers with a page in the desk's frame for the signed-in user (`req.user`, set by the guard). */
  page: (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    title: (t: DeskStrings) => string,
    body: (csrf: string, t: DeskStrings) => SafeHtml,
  ) => FastifyReply;
}
