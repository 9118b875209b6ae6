// The page a seat lands on: the live wire (a placeholder in the skeleton).
import type { FastifyInstance } from 'fastify';
import { html } from '../html.ts';
import type { PortalContext } from './context.ts';

export function wireRoutes(app: FastifyInstance, portal: PortalContext): void {
  app.get('/', { preHandler: portal.guard() }, async (req, reply) =>
    portal.page(
      req,
      reply,
      200,
      (t) => t.wireTitle,
      (_csrf, t) => html`<h1>${t.wireTitle}</h1><p>${t.wireLive}</p>`,
    ),
  );
}
