// Content negotiation for story endpoints: `?format=` or `Accept` picks the representation; anything
// else is a 406 that lists what this endpoint can serve.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiate, type OutputFormat } from '../formats/negotiate.ts';
import { renderList, renderVersion } from '../formats/render.ts';
import type { StoryVersion } from '../model/story.ts';

export const FORMAT_QUERY_DESCRIPTION = 'json (newsflow model), ninjs (IPTC ninjs 3.2), ninjs2 (2.3), newsml (NewsML-G2 2.35), html, text';

/** A request whose query string may name a format (its route's schema says so). */
type FormatRequest = Pick<FastifyRequest, 'headers'> & { query: { format?: string } };

/** The format a request asks for among `allowed`. */
export function pickFormat(req: FormatRequest, allowed: OutputFormat[], defaultFormat?: OutputFormat): OutputFormat {
  const format = req.query.format;
  return negotiate({ format, accept: req.headers.accept, allowed, defaultFormat }).format;
}

/** What one story version can be served as. */
export const VERSION_FORMATS: OutputFormat[] = ['json', 'ninjs', 'ninjs2', 'newsml', 'html', 'text'];

/** Sends one version in the negotiated format. */
export function sendVersion(req: FormatRequest, reply: FastifyReply, v: StoryVersion, baseUrl: string, defaultFormat: OutputFormat = 'json') {
  const format = pickFormat(req, VERSION_FORMATS, defaultFormat);
  const r = renderVersion(format as Exclude<OutputFormat, 'atom'>, v, { baseUrl });
  return reply.header('vary', 'accept').type(r.contentType).send(r.body);
}

/** Sends a list of versions: newsflow JSON, a ninjs array, or an Atom feed. */
export function sendVersionList(
  req: FormatRequest,
  reply: FastifyReply,
  versions: StoryVersion[],
  baseUrl: string,
  feed: { id: string; title: string; link: string },
) {
  const format = pickFormat(req, ['json', 'ninjs', 'ninjs2', 'atom'], 'json');
  if (format === 'json') return reply.header('vary', 'accept').send({ versions });
  const r = renderList(format as 'atom' | 'ninjs' | 'ninjs2', versions, {
    baseUrl,
    feed: { ...feed, updated: versions[versions.length - 1]?.versionCreatedAt },
  });
  return reply.header('vary', 'accept').type(r.contentType).send(r.body);
}
