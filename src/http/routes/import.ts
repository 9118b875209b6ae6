// POST /v1/import: standard news documents in (ninjs 2.x/3.x, a JSON array or JSON Lines of ninjs,
// NewsML-G2 newsItems), each item imported as a published story; a per-item report comes back.
import type { TypedApp } from '../type-provider.ts';
import { MAX_DOCUMENT_BYTES } from '../../formats/format-error.ts';
import { readDocuments } from '../../flow/documents.ts';
import { Importer } from '../../flow/importer.ts';
import type { Hub } from '../../flow/hub.ts';
import type { KeyRing } from '../../flow/keys.ts';
import type { Store } from '../../model/store.ts';
import { actorOf, requireRole } from '../auth.ts';
import { HttpError } from '../errors.ts';

const DOCUMENT_TYPES = [
  'application/json',
  'application/ninjs+json',
  'application/x-ndjson',
  'application/jsonl',
  'application/json-seq',
  'application/vnd.iptc.g2.newsitem+xml',
  'application/xml',
  'text/xml',
];

/** What the import route uses. */
export interface ImportRouteDeps {
  store: Store;
  hub: Hub;
  keys: KeyRing;
}

export async function importRoutes(app: TypedApp, rt: ImportRouteDeps): Promise<void> {
  // This plugin's scope reads bodies as text: the format reader, not Fastify, parses them, so its
  // errors (with line numbers and rules) reach the client.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(DOCUMENT_TYPES, { parseAs: 'string', bodyLimit: MAX_DOCUMENT_BYTES }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', (req, _payload, done) => {
    done(new HttpError(415, `unsupported content type "${req.headers['content-type'] ?? ''}"; send one of ${DOCUMENT_TYPES.join(', ')}`), undefined);
  });
  const importer = new Importer(rt.store, rt.hub);

  app.post(
    '/v1/import',
    {
      onRequest: requireRole(rt.keys, 'editor'),
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags: ['newsroom'],
        security: [{ bearer: [] }],
        summary: 'Import ninjs (2.x, 3.x; one object, an array or JSON Lines) or NewsML-G2 newsItems as published stories',
        description: `Body limit ${MAX_DOCUMENT_BYTES} bytes. The Content-Type helps detection; the document itself decides.`,
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string' || !req.body.trim()) throw new HttpError(400, 'empty body: send a ninjs or NewsML-G2 document');
      const read = readDocuments(req.body, req.headers['content-type']);
      const report = read.items.length ? await importer.importItems('request', read.format, read.items, { by: actorOf(req) }) : null;
      const imported = report?.events.map((e) => ({ id: e.storyId, version: e.version, seq: e.seq })) ?? [];
      const status = imported.length ? 201 : read.failed.length ? 422 : 200;
      return reply.status(status).send({
        format: read.format,
        imported,
        alreadyPresent: report?.skipped ?? 0,
        failed: read.failed,
        withdrawn: read.withdrawn,
      });
    },
  );
}
