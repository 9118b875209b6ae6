// One error shape for every API answer: { error, message, details? }. Bad input is a 4xx whose message
// says what is wrong; an unexpected failure is a 500 that leaks no internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../model/validate.ts';
import { ConflictError, NotFoundError } from '../model/errors.ts';
import { FormatError } from '../formats/format-error.ts';
import { NegotiationError } from '../formats/negotiate.ts';
import { MediaRefusedError } from '../model/media.ts';

/** An error with an HTTP status chosen by the route. */
export class HttpError extends Error {
  constructor(
    public readonly statusCode: number,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Renders the public site's own 404 page, when the site is mounted. */
export type HtmlNotFound = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** A byte count as people write it: `5 MiB (5242880 bytes)`, or bytes alone below 1 KiB. */
function sizeText(bytes: number): string {
  const unit = bytes >= 1024 * 1024 ? (['MiB', 1024 * 1024] as const) : bytes >= 1024 ? (['KiB', 1024] as const) : null;
  if (!unit) return `${bytes} bytes`;
  const n = bytes / unit[1];
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit[0]} (${bytes} bytes)`;
}

export function registerErrorHandling(app: FastifyInstance, htmlNotFound?: () => HtmlNotFound | undefined): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let status = 500;
    let message = 'internal error';
    let details: unknown;
    if (err.validation) {
      status = 400;
      const where = err.validationContext ?? 'request';
      details = err.validation.map((v) => ({
        field: `${where}${v.instancePath || ''}`,
        message: v.keyword === 'additionalProperties' ? `unknown field "${(v.params as { additionalProperty: string }).additionalProperty}"` : v.message,
      }));
      message = (details as { field: string; message: string }[]).map((d) => `${d.field} ${d.message}`).join('; ');
    } else if (err instanceof ValidationError) {
      status = 400;
      message = err.message;
      details = err.errors;
    } else if (err instanceof NotFoundError) {
      status = 404;
      message = err.message;
    } else if (err instanceof ConflictError) {
      status = 409;
      message = err.message;
      details = err.details;
    } else if (err instanceof NegotiationError) {
      status = 406;
      message = err.message;
      details = { supported: err.supported };
    } else if (err instanceof FormatError) {
      status = err.rule === 'size-limit' ? 413 : err.rule === 'schema' || err.rule === 'unsupported-item-class' || err.rule === 'unsupported-type' ? 422 : 400;
      message = err.message;
      details = { rule: err.rule, location: err.location, problems: err.problems };
    } else if (err instanceof MediaRefusedError) {
      // A refused file (4xx), or the media storage unreachable (503): said, never a bare 500.
      status = err.status;
      message = err.message;
      if (status >= 500) req.log.warn({ err }, 'media storage unavailable');
    } else if (err instanceof HttpError) {
      status = err.statusCode;
      message = err.message;
      details = err.details;
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, body too large, unsupported content type.
      status = err.statusCode;
      // The route's own limit (5 MiB for /v1/import), not the app's default.
      message =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `request body is larger than the limit of ${sizeText(req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0)}`
          : err.message;
    } else {
      req.log.error({ err }, 'unhandled error');
    }
    void reply
      .status(status)
      .type('application/json; charset=utf-8')
      .send({
        error: REASONS[status] ?? 'Error',
        message,
        ...(details !== undefined ? { details } : {}),
      });
  });
  app.setNotFoundHandler((req, reply) => {
    // A reader who follows a dead link gets the site's page in their language; API clients get JSON.
    const page = htmlNotFound?.();
    if (page && !req.url.startsWith('/v1/') && /text\/html/.test(req.headers.accept ?? '')) return page(req, reply);
    void reply.status(404).send({ error: 'Not Found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
}
