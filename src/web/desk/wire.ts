// The page an editor lands on: a placeholder until the wire monitor replaces this one function.
import type { FastifyInstance } from 'fastify';
import { html } from '../html.ts';
import type { DeskContext } from './context.ts';

export function landingRoutes(app: FastifyInstance, desk: DeskContext): void {
  app.get('/', { preHandler: desk.guard() }, async (req, reply) =>
    desk.page(
      req,
      reply,
      200,
      (t) => t.wireTitle,
      (_csrf, t) => html`<h1>${t.wireTitle}</h1><p>${t.wirePlaceholder}</p>`,
    ),
  );
}
