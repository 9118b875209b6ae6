// The S3-compatible byte store for media (NEWSFLOW_MEDIA_S3_URL): the same content-addressed keys as the
// folder, as objects of one bucket, so several nodes share the files without a shared file system.
// Uploads are still written to a local temporary file (hashed and checked there) and sent with one PUT,
// which S3 makes visible all at once. Loaded only when configured: the idle SQLite server never carries
// the AWS SDK.
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type ByteSpan, isMediaKey, MediaRefusedError, type MediaFiles } from '../model/media.ts';
import { freshTempFolder, tempFileIn } from './media-files.ts';

/** Where the bucket is, as NEWSFLOW_MEDIA_S3_URL names it (src/server/config.ts reads it). */
export interface S3Location {
  /** `https://s3.example.com` (http for a server on loopback); buckets are addressed path-style. */
  endpoint: string;
  bucket: string;
  /** Put before every key (`newsflow/`), or empty. */
  prefix: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The object holding the key signed rendition links are signed with (not a media key, so never served). */
const LINK_SECRET = 'link-secret';

type S3Failure = Error & { $metadata?: { httpStatusCode?: number }; code?: string };

export class S3MediaFiles implements MediaFiles {
  private readonly client: S3Client;
  private readonly tmp: string;

  /** `localDir` holds only the temporary files of uploads in progress (each node its own). */
  constructor(
    readonly where: S3Location,
    localDir: string,
  ) {
    this.tmp = freshTempFolder(localDir);
    this.client = new S3Client({
      endpoint: where.endpoint,
      region: where.region,
      forcePathStyle: true,
      credentials: { accessKeyId: where.accessKeyId, secretAccessKey: where.secretAccessKey },
      // Checksums only where S3 requires them: the SDK's default (CRC32 trailers in aws-chunked bodies)
      // is not understood by every S3-compatible server, and the keys are content hashes already.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // An unreachable store answers a download in seconds with a 503, not after the client gave up.
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 5000, requestTimeout: 60_000 },
    });
  }

  /** Opens the bucket (checked with one request) and returns the store and the link-signing key. */
  static async open(where: S3Location, localDir: string): Promise<{ files: S3MediaFiles; linkSecret: Buffer }> {
    const files = new S3MediaFiles(where, localDir);
    try {
      await files.client.send(new HeadBucketCommand({ Bucket: where.bucket }));
      return { files, linkSecret: await files.linkSecret() };
    } catch (e) {
      files.client.destroy();
      throw new Error(`cannot use bucket ${where.bucket} at ${where.endpoint}: ${reasonOf(e)}`);
    }
  }

  tempPath(): string {
    return tempFileIn(this.tmp);
  }

  async discard(tempFile: string): Promise<void> {
    await rm(tempFile, { force: true });
  }

  async put(key: string, tempFile: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      const { size } = await stat(tempFile);
      // One PUT of a known length: S3 shows the object only once all of it arrived.
      await this.client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key, Body: createReadStream(tempFile), ContentLength: size }));
    } catch (e) {
      throw this.unavailable(e, 'storing the file');
    } finally {
      await rm(tempFile, { force: true });
    }
  }

  async write(key: string, bytes: Buffer): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key, Body: bytes, ContentLength: bytes.length }));
    } catch (e) {
      throw this.unavailable(e, 'storing a rendition');
    }
  }

  /** The bytes are in the bucket, never on this disk: downloads stream through `read`. */
  localPath(_key: string): null {
    return null;
  }

  async size(key: string): Promise<number | null> {
    const Key = this.objectKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.where.bucket, Key }));
      return head.ContentLength ?? null;
    } catch (e) {
      if (missing(e)) return null;
      throw this.unavailable(e, 'looking up the file');
    }
  }

  async read(key: string, span?: ByteSpan): Promise<Readable> {
    const Key = this.objectKey(key);
    try {
      const got = await this.client.send(
        new GetObjectCommand({ Bucket: this.where.bucket, Key, ...(span ? { Range: `bytes=${span.start}-${span.end}` } : {}) }),
      );
      return got.Body as Readable;
    } catch (e) {
      if (missing(e)) throw new MediaRefusedError(404, `no stored file ${key}`);
      throw this.unavailable(e, 'reading the file');
    }
  }

  async withLocalFile<T>(key: string, use: (path: string) => Promise<T>): Promise<T> {
    const copy = this.tempPath();
    try {
      await pipeline(await this.read(key), createWriteStream(copy, { flags: 'wx' }));
      return await use(copy);
    } finally {
      await rm(copy, { force: true });
    }
  }

  async remove(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.where.bucket, Key }));
    } catch (e) {
      throw this.unavailable(e, 'removing the file');
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /**
   * The key signed links are signed with, kept in the bucket so every node signs and checks alike. The
   * first node to start writes it (only if absent, where the server supports conditional writes); every
   * node then uses what the bucket holds.
   */
  private async linkSecret(): Promise<Buffer> {
    const Key = `${this.where.prefix}${LINK_SECRET}`;
    const stored = async (): Promise<Buffer | null> => {
      try {
        const got = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key }));
        const hex = (await got.Body!.transformToString()).trim();
        return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
      } catch (e) {
        if (missing(e)) return null;
        throw e;
      }
    };
    const found = await stored();
    if (found) return found;
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.where.bucket, Key, Body: randomBytes(32).toString('hex'), IfNoneMatch: '*' }));
    } catch (e) {
      // Another node wrote it first.
      const status = (e as S3Failure).$metadata?.httpStatusCode;
      if (status !== 412 && status !== 409) throw e;
    }
    const secret = await stored();
    if (!secret) throw new Error(`the link-signing key ${Key} could not be read back`);
    return secret;
  }

  private objectKey(key: string): string {
    // Keys are built by mediaKey (hex and fixed names); this check keeps that promise if a caller forgets.
    if (!isMediaKey(key)) throw new Error(`not a media key: ${key}`);
    return `${this.where.prefix}${key}`;
  }

  /** A failure of the store itself: the request gets a 503 saying so, the process goes on. */
  private unavailable(e: unknown, doing: string): MediaRefusedError {
    return new MediaRefusedError(503, `the media storage (S3) failed while ${doing}: ${reasonOf(e)}; try again later`);
  }
}

function missing(e: unknown): boolean {
  const err = e as S3Failure;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
}

/** One line on what went wrong: the HTTP status S3 answered, or the network error. */
function reasonOf(e: unknown): string {
  const err = e as S3Failure & { errors?: Error[] };
  const status = err.$metadata?.httpStatusCode;
  if (status) return `it answered ${status}${err.name && err.name !== 'Unknown' ? ` (${err.name})` : ''}`;
  // Node's connection errors carry the reason in `code` (an AggregateError when every address failed).
  const code = err.code ?? (err.errors?.[0] as S3Failure | undefined)?.code;
  return code ? `${code}${err.message ? ` ${err.message}` : ''}`.trim() : err.message || err.name;
}
