// Photos and media files: upload (multipart or the raw body), the asset with its metadata and renditions,
// editors' corrections, and downloads (an API key, or a signed expiring link) with Range and ETag.
import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { KeyRing } from '../../flow/keys.ts';
import { byteRange, etagOf, type Downloader, type MediaDesk } from '../../flow/media.ts';
import { MediaRefusedError, type MediaAsset } from '../../model/media.ts';
import { requireRole, secretOf } from '../auth.ts';
import { HttpError } from '../errors.ts';

export interface MediaRouteDeps {
  keys: KeyRing;
  media: MediaDesk;
}

const AssetId = Type.String({ pattern: '^m[0-9a-f]{32}$' });
const RenditionName = Type.String({ pattern: '^[a-z0-9-]{1,40}$' });

/** Raw uploads: any body whose type is not JSON or a form is the file itself (its type is read from the bytes). */
const RAW_TYPES = /^(image|video|audio|application\/octet-stream|application\/pdf|application\/postscript)/;

function refused(e: unknown): never {
  if (e instanceof MediaRefusedError) throw new HttpError(e.status, e.message);
  throw e;
}

export async function mediaRoutes(app: FastifyInstance, rt: MediaRouteDeps): Promise<void> {
  const { default: multipart } = await import('@fastify/multipart');
  await app.register(multipart, { limits: { fileSize: rt.media.opts.maxBytes, files: 1, fields: 5 } });
  // The raw body is handed over as a stream; the desk counts it against the size limit itself.
  app.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));

  app.post(
    '/v1/media',
    {
      onRequest: requireRole(rt.keys, 'editor'),
      bodyLimit: rt.media.opts.maxBytes,
      schema: {
        tags: ['media'],
        security: [{ bearer: [] }],
        summary: 'Upload a photo, video, audio or graphics file (multipart field `file`, or the raw body with ?filename=)',
        querystring: Type.Object({ filename: Type.Optional(Type.String({ maxLength: 255 })) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const q = req.query as { filename?: string };
      let result: { asset: MediaAsset; created: boolean };
      try {
        if (req.isMultipart()) {
          const part = await req.file();
          if (!part) throw new MediaRefusedError(400, 'the multipart body has no file part');
          result = await rt.media.ingest(part.file, part.filename || q.filename || null);
        } else if (req.body && typeof (req.body as NodeJS.ReadableStream).pipe === 'function') {
          result = await rt.media.ingest(req.body as import('node:stream').Readable, q.filename ?? null);
        } else {
          throw new MediaRefusedError(
            415,
            'send the file as multipart/form-data (field `file`) or as the raw body (Content-Type image/*, video/*, audio/* or application/octet-stream)',
          );
        }
      } catch (e) {
        refused(e);
      }
      void reply.code(result.created ? 201 : 200).header('location', `/v1/media/${result.asset.id}`);
      return { id: result.asset.id, created: result.created, asset: result.asset };
    },
  );

  app.get(
    '/v1/media/:id',
    {
      onRequest: requireRole(rt.keys, 'editor', 'subscriber'),
      schema: {
        tags: ['media'],
        security: [{ bearer: [] }],
        summary: 'A media asset with its metadata and renditions (for a subscriber: signed, expiring links)',
        params: Type.Object({ id: AssetId }),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const key = req.apiKey!;
      if (key.role !== 'subscriber') {
        const a = await rt.media.asset(id);
        if (!a) throw new HttpError(404, `no media asset ${id}`);
        return a;
      }
      const { asset } = await rt.media.authorise(id, 'original', { role: 'subscriber', subscriberId: key.subscriberId! }).catch(refused);
      const renditions = asset.renditions.map((r) => {
        const link = rt.media.signedLink(asset.id, r.name, key.subscriberId!);
        return { ...r, href: link.href, expires: link.expires };
      });
      return { id: asset.id, kind: asset.kind, contentType: asset.contentType, metadata: publicMetadata(asset), renditions, state: asset.state };
    },
  );

  app.patch(
    '/v1/media/:id',
    {
      onRequest: requireRole(rt.keys, 'editor'),
      schema: {
        tags: ['media'],
        security: [{ bearer: [] }],
        summary: 'Correct a photo’s caption, credit, copyright or headline (every rendition and format carries them)',
        params: Type.Object({ id: AssetId }),
        body: Type.Object(
          {
            caption: Type.Optional(Type.String({ maxLength: 2000 })),
            credit: Type.Optional(Type.String({ maxLength: 300 })),
            copyright: Type.Optional(Type.String({ maxLength: 500 })),
            headline: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      if (!(await rt.media.asset(id))) throw new HttpError(404, `no media asset ${id}`);
      return rt.media.correct(id, req.body as Record<string, string>);
    },
  );

  app.get(
    '/v1/media/:id/:rendition',
    {
      schema: {
        tags: ['media'],
        summary: 'Download a rendition: with an editor’s or subscriber’s key, or a signed link (?sub=&exp=&sig=); Range, ETag and If-None-Match',
        params: Type.Object({ id: AssetId, rendition: RenditionName }),
        querystring: Type.Object(
          {
            sub: Type.Optional(Type.String({ maxLength: 100 })),
            exp: Type.Optional(Type.String({ maxLength: 20 })),
            sig: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { id, rendition } = req.params as { id: string; rendition: string };
      const q = req.query as { sub?: string; exp?: string; sig?: string };
      let who: Downloader;
      if (q.sig !== undefined) {
        who = {
          role: 'subscriber',
          subscriberId: (() => {
            try {
              return rt.media.verifyLink(id, rendition, q);
            } catch (e) {
              refused(e);
            }
          })(),
        };
      } else {
        const secret = secretOf(req);
        const key = secret ? await rt.keys.authenticate(secret) : null;
        if (!key) {
          void reply.header('www-authenticate', 'Bearer realm="newsflow"');
          throw new HttpError(401, 'a rendition needs an API key (Authorization: Bearer <key>) or a signed link from GET /v1/media/:id');
        }
        who = key.role === 'subscriber' ? { role: 'subscriber', subscriberId: key.subscriberId! } : { role: 'staff' };
      }
      const found = await rt.media.authorise(id, rendition, who).catch(refused);
      return sendStored(req, reply, rt.media, found, who);
    },
  );
}

/** The metadata a subscriber sees: what a photo desk publishes, never where the photo was taken. */
function publicMetadata(a: MediaAsset): Record<string, unknown> {
  const { hasGps: _gps, ...rest } = a.metadata;
  return rest;
}

async function sendStored(
  req: FastifyRequest,
  reply: FastifyReply,
  media: MediaDesk,
  found: Awaited<ReturnType<MediaDesk['authorise']>>,
  who: Downloader,
): Promise<FastifyReply> {
  const { asset, rendition, key } = found;
  const size = await media.files.size(key);
  if (size === null) throw new HttpError(404, `the ${rendition.name} rendition of ${asset.id} is not stored`);
  const etag = etagOf(asset.sha256, rendition.name, rendition.name === 'original' ? asset.createdAt : asset.updatedAt);
  void reply.header('etag', etag).header('accept-ranges', 'bytes').header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff');
  // Only photos' own renditions may be shown inline; every other file (an SVG could carry script) is a download.
  const inline = asset.kind === 'photo' && rendition.contentType !== 'image/svg+xml';
  void reply.header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${asset.id}-${rendition.name}"`);
  if (!inline) void reply.header('content-security-policy', "sandbox; default-src 'none'");
  const inm = req.headers['if-none-match'];
  if (inm?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();
  const range = byteRange(req.headers.range, size);
  if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
  // A download is counted once, at its start: not a later Range of it, a revalidation or a HEAD, nor one
  // the store could not open (it answered 404 or 503 before this is reached).
  const count = async () => {
    if (who.role === 'subscriber' && (!range || range.start === 0) && req.method !== 'HEAD') await media.countDownload(who.subscriberId);
  };
  void reply.type(rendition.contentType);
  if (range) void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
  const span = range ?? { start: 0, end: size - 1 };
  const local = media.files.localPath(key);
  if (local) {
    await count();
    return sendFile(req, reply, local, span.start, span.end);
  }
  // A remote store (S3): its stream, in 1 MiB pieces rather than Node's 64 KiB.
  const bytes = await media.files.read(key, range || undefined, { highWaterMark: PIECE });
  await count();
  return reply.header('content-length', span.end - span.start + 1).send(bytes);
}

/** Bytes read and written at a time: a 10 MB rendition in 10 reads and writes (Node's streams use 64 KiB). */
const PIECE = 1 << 20;
/** Pieces in flight per download: one read while the other is written. */
const PIECES = 2;
/** Idle pieces kept for the next download, so a busy server does not allocate (and fault in) 1 MiB each time. */
const spare: Buffer[] = [];
const SPARE_MAX = 8;

/**
 * Sends bytes `start`…`end` of a file on the raw response, through a few reused 1 MiB buffers: a fresh
 * buffer per piece (what a read stream makes) cost page faults and garbage collection that showed in a
 * CPU profile of 10 MB downloads beside nginx's sendfile. A buffer is read into again only once the
 * socket has taken its previous bytes (the write's callback). A reader that goes away ends it.
 */
async function sendFile(req: FastifyRequest, reply: FastifyReply, path: string, start: number, end: number): Promise<FastifyReply> {
  const fh = await open(path, 'r');
  const length = end - start + 1;
  reply.hijack();
  const res = reply.raw;
  const headers = reply.getHeaders();
  headers['content-length'] = String(length);
  const pieces: Buffer[] = [];
  // The write under way for each piece; a piece whose write never settled is not reused.
  const writes: (Promise<boolean> | null)[] = [];
  let gone = false;
  const closed = new Promise<false>((resolve) =>
    res.once('close', () => {
      gone = true;
      resolve(false);
    }),
  );
  try {
    res.writeHead(reply.statusCode, headers as OutgoingHttpHeaders);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return reply;
    }
    for (let i = 0; i < Math.min(PIECES, Math.ceil(length / PIECE)); i++) {
      pieces.push(spare.pop() ?? Buffer.allocUnsafeSlow(PIECE));
      writes.push(null);
    }
    let pos = start;
    for (let i = 0; pos <= end && !gone; i = (i + 1) % pieces.length) {
      const before = writes[i];
      if (before && !(await Promise.race([before, closed]))) break;
      writes[i] = null;
      const want = Math.min(PIECE, end + 1 - pos);
      // A read from the page cache takes a fraction of a millisecond: done in place, it saves the thread
      // pool's round trip (two thread switches per piece on a busy 2-core machine).
      const bytesRead = readSync(fh.fd, pieces[i], 0, want, pos);
      if (bytesRead === 0) throw new Error(`${path} ended at byte ${pos}, before byte ${end}`);
      pos += bytesRead;
      const bytes = bytesRead === PIECE ? pieces[i] : pieces[i].subarray(0, bytesRead);
      writes[i] = new Promise<boolean>((resolve) => res.write(bytes, (e) => resolve(!e)));
    }
    const settled = await Promise.race([Promise.all(writes.map((w) => w ?? true)), closed]);
    if (settled !== false && settled.every(Boolean) && !gone) res.end();
    // Pieces whose writes have all settled (the socket holds none of them) go back for the next download.
    if (settled !== false) for (const b of pieces) if (spare.length < SPARE_MAX) spare.push(b);
  } catch (e) {
    reply.log.warn({ err: e }, 'a download stopped part way');
    res.destroy(e as Error);
  } finally {
    await fh.close();
  }
  return reply;
}
