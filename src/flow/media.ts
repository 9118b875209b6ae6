// The media desk: files in (checked, hashed, stored once), metadata read, renditions made off the request
// path by a bounded pool of workers over the durable job table, and downloads decided by the one
// entitlement rule. sharp and exifr are loaded by src/media on first use, never at start.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createHash } from 'node:crypto';
import { claimedType, detectType, looksComplete } from '../media/detect.ts';
import {
  assetIdOf,
  MediaRefusedError,
  mediaKey,
  type MediaAsset,
  type MediaFiles,
  type MediaJob,
  type MetadataCorrection,
  type PhotoMetadata,
  type Rendition,
} from '../model/media.ts';
import type { Store } from '../model/store.ts';
import type { FlowEvent, MediaType, Photo, StoryContent } from '../model/story.ts';
import type { Channel } from '../model/subscribers.ts';
import { ConflictError } from '../model/errors.ts';
import { ValidationError } from '../model/validate.ts';
import { entitled } from './entitlement.ts';

export interface MediaOptions {
  /** Largest file accepted (NEWSFLOW_MEDIA_MAX_BYTES, 100 MB). */
  maxBytes: number;
  /** Largest photo accepted, in pixels (NEWSFLOW_MEDIA_MAX_PIXELS, 100 million). */
  maxPixels: number;
  /** Photos rendered at once (NEWSFLOW_MEDIA_WORKERS, 2). */
  workers: number;
  /** How long a signed rendition link works, in seconds (NEWSFLOW_MEDIA_LINK_TTL, 24 h). */
  linkTtlSeconds: number;
  /** Widest rendition the public site may show (NEWSFLOW_MEDIA_PUBLIC_MAX_WIDTH, 800). */
  publicMaxWidth: number;
  /** The key signed links are signed with. */
  linkSecret: Buffer;
}

export const MEDIA_DEFAULTS = { maxBytes: 100 * 1000 * 1000, maxPixels: 100_000_000, workers: 2, linkTtlSeconds: 24 * 3600, publicMaxWidth: 800 };

/** The API path of an asset's rendition. */
export const renditionPath = (assetId: string, name: string) => `/v1/media/${assetId}/${name}`;

/** File name of a rendition in the byte store. */
const FILE_EXT: Record<string, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg' };

/**
 * The usage counters downloads are counted in: the runtime's `Deliveries`, which keeps them in memory,
 * writes them in one batch each second and on a clean stop, and before the usage route reads them.
 */
export interface UsageCounter {
  count(subscriberId: string, channel: Channel, n: number, now?: Date): void;
}

/** Who is downloading: an editor (every asset) or a subscriber (the entitlement rule decides). */
export type Downloader = { role: 'staff' } | { role: 'subscriber'; subscriberId: string };

export class MediaDesk {
  private running = 0;
  private stopped = true;
  private idle: (() => void)[] = [];
  /** Called after each job ends (tests and the benchmark wait on it). */
  onJobDone?: (assetId: string, ok: boolean) => void;

  constructor(
    readonly store: Store,
    readonly files: MediaFiles,
    readonly opts: MediaOptions,
    /** Where downloads are counted; without one, each download is written to the store at once. */
    private readonly usage?: UsageCounter,
  ) {}

  // ---------------------------------------------------------------------------------------------
  // Ingest

  /**
   * Takes a file from a stream: written to a temporary file while it is hashed and counted, refused as
   * soon as it passes the size limit, checked from its bytes, then moved in under its hash. Whatever is
   * refused or cut off is deleted; the asset row is written only once its file is complete.
   */
  async ingest(source: Readable, filename: string | null): Promise<{ asset: MediaAsset; created: boolean }> {
    const temp = this.files.tempPath();
    const hash = createHash('sha256');
    let size = 0;
    const max = this.opts.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new MediaRefusedError(413, `the file is larger than the limit of ${max} bytes (NEWSFLOW_MEDIA_MAX_BYTES)`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(temp, { flags: 'wx' }));
      // A multipart stream that hit its own limit ends early but without an error.
      if ((source as Readable & { truncated?: boolean }).truncated) {
        throw new MediaRefusedError(413, `the file is larger than the limit of ${max} bytes (NEWSFLOW_MEDIA_MAX_BYTES)`);
      }
      if (size === 0) throw new MediaRefusedError(400, 'the file is empty (0 bytes): nothing to store');
      return await this.admit(temp, hash.digest('hex'), size, filename);
    } catch (e) {
      await this.files.discard(temp);
      if (e instanceof MediaRefusedError) throw e;
      throw new MediaRefusedError(400, `the upload did not complete (${(e as Error).message}); nothing was stored`);
    }
  }

  private async admit(temp: string, sha256: string, size: number, filename: string | null): Promise<{ asset: MediaAsset; created: boolean }> {
    const fh = await open(temp, 'r');
    const head = Buffer.alloc(Math.min(4096, size));
    const tail = Buffer.alloc(Math.min(1024, size));
    try {
      await fh.read(head, 0, head.length, 0);
      await fh.read(tail, 0, tail.length, size - tail.length);
    } finally {
      await fh.close();
    }
    const type = detectType(head);
    const name = filename ? filename.replace(/[\\/]/g, '_').slice(0, 200) : null;
    if (!type) {
      throw new MediaRefusedError(
        415,
        `${name ? `"${name}": ` : ''}these bytes are not a file type newsflow accepts (JPEG, PNG, WebP, TIFF, AVIF photos; MP4, MOV, WebM video; MP3, WAV, Ogg, FLAC, M4A audio; SVG, GIF, PDF, EPS graphics)`,
      );
    }
    const claimed = claimedType(name);
    if (claimed && claimed !== type.contentType) {
      throw new MediaRefusedError(415, `"${name}": the name says ${claimed} but the bytes are ${type.contentType}; rename the file or upload the right one`);
    }
    const id = assetIdOf(sha256);
    const existing = await this.store.media.getAsset(id);
    if (existing) {
      await this.files.discard(temp);
      return { asset: existing, created: false };
    }
    let metadata: PhotoMetadata = {};
    if (type.kind === 'photo') {
      if (!looksComplete(type.contentType, tail))
        throw new MediaRefusedError(422, `${name ? `"${name}": ` : ''}the ${type.extension.toUpperCase()} is truncated (its end is missing)`);
      const { probe } = await import('../media/renditions.ts');
      let dims: Awaited<ReturnType<typeof probe>>;
      try {
        dims = await probe(temp);
      } catch (e) {
        throw new MediaRefusedError(422, `${name ? `"${name}": ` : ''}the photo cannot be read: ${(e as Error).message}`);
      }
      if (!dims.width || !dims.height) throw new MediaRefusedError(422, `${name ? `"${name}": ` : ''}the photo has no width or height`);
      if (dims.width * dims.height > this.opts.maxPixels) {
        throw new MediaRefusedError(
          422,
          `${name ? `"${name}": ` : ''}${dims.width}×${dims.height} is ${dims.width * dims.height} pixels, above the limit of ${this.opts.maxPixels} (NEWSFLOW_MEDIA_MAX_PIXELS)`,
        );
      }
      const { readPhotoMetadata } = await import('../media/metadata.ts');
      metadata = { ...(await readPhotoMetadata(temp)), width: dims.width, height: dims.height };
    }
    const original: Rendition = {
      name: 'original',
      href: renditionPath(id, 'original'),
      width: metadata.width ?? null,
      height: metadata.height ?? null,
      contentType: type.contentType,
      sizeInBytes: size,
    };
    await this.files.put(mediaKey(sha256, 'original'), temp);
    const result = await this.store.media.createAsset({
      id,
      sha256,
      kind: type.kind,
      contentType: type.contentType,
      sizeInBytes: size,
      filename: name,
      metadata,
      renditions: [original],
      state: type.kind === 'photo' ? 'queued' : 'done',
      error: null,
    });
    if (result.created && type.kind === 'photo') this.wake();
    return result;
  }

  async asset(id: string): Promise<MediaAsset | null> {
    if (!/^m[0-9a-f]{32}$/.test(id)) return null;
    return this.store.media.getAsset(id);
  }

  /** Editors' corrections of caption, credit, copyright or headline; the renditions are made again with them. */
  async correct(id: string, m: MetadataCorrection): Promise<MediaAsset> {
    const a = await this.store.media.correctMetadata(id, m);
    if (a.kind === 'photo') {
      await this.store.media.requeue(id);
      this.wake();
    }
    return (await this.store.media.getAsset(id))!;
  }

  // ---------------------------------------------------------------------------------------------
  // The rendering workers

  /** Starts the workers: jobs a stopped process left running are queued again first. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.store.media.requeueRunning();
    this.wake();
  }

  /** Stops taking jobs and waits for those in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Lets idle workers look for queued jobs. */
  wake(): void {
    while (!this.stopped && this.running < this.opts.workers) {
      this.running++;
      void this.work().finally(() => {
        this.running--;
        if (this.running === 0) for (const f of this.idle.splice(0)) f();
      });
    }
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      const job = await this.store.media.claimJob();
      if (!job) return;
      let ok = false;
      try {
        await this.render(job);
        ok = true;
      } catch (e) {
        await this.store.media.failJob(job, `renditions could not be made: ${(e as Error).message}`);
      }
      this.onJobDone?.(job.assetId, ok);
    }
  }

  private async render(job: MediaJob): Promise<void> {
    const assetId = job.assetId;
    const asset = await this.store.media.getAsset(assetId);
    if (!asset) return;
    const { makeRenditions } = await import('../media/renditions.ts');
    // The original as a local file (a temporary copy when the bytes are in S3) while sharp reads it.
    const made = await this.files.withLocalFile(mediaKey(asset.sha256, 'original'), (original) =>
      makeRenditions(original, asset.metadata, this.opts.maxPixels),
    );
    const renditions: Rendition[] = [asset.renditions.find((r) => r.name === 'original')!];
    for (const r of made) {
      await this.files.write(mediaKey(asset.sha256, `${r.name}.${FILE_EXT[r.contentType]}`), r.bytes);
      renditions.push({
        name: r.name,
        href: renditionPath(assetId, r.name),
        width: r.width,
        height: r.height,
        contentType: r.contentType,
        sizeInBytes: r.bytes.length,
      });
    }
    await this.store.media.finishJob(job, renditions);
  }

  /** Resolves when the asset's job is no longer queued or running (tests, the benchmark, the CLI). */
  async settled(assetId: string, timeoutMs = 60_000): Promise<MediaAsset> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const a = await this.store.media.getAsset(assetId);
      if (!a) throw new Error(`no media asset ${assetId}`);
      if (a.state === 'done' || a.state === 'failed') return a;
      if (Date.now() > until) throw new Error(`media asset ${assetId} still ${a.state} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Photos in stories

  /**
   * Fills in the photos of `content` that name an uploaded asset: its address, size, type and
   * renditions, and caption and credit from the asset unless the story sets its own. A photo whose
   * renditions are not made yet stops the publish with the list of those pending.
   */
  async attachPhotos(content: StoryContent): Promise<StoryContent> {
    if (!content.photos.some((p) => p.mediaId)) return content;
    const pending: string[] = [];
    const photos: Photo[] = [];
    for (const [i, p] of content.photos.entries()) {
      if (!p.mediaId) {
        photos.push(p);
        continue;
      }
      const a = await this.store.media.getAsset(p.mediaId);
      if (!a) throw new ValidationError([{ field: `/photos/${i}/mediaId`, message: `no media asset ${p.mediaId}; upload it with POST /v1/media first` }]);
      if (a.state !== 'done') {
        pending.push(`${a.id} (${a.state}${a.error ? `: ${a.error}` : ''})`);
        continue;
      }
      const original = a.renditions.find((r) => r.name === 'original')!;
      const photo: Photo = { ...p, url: original.href, mimeType: a.contentType, renditions: a.renditions };
      if (original.width) photo.width = original.width;
      if (original.height) photo.height = original.height;
      if (!photo.caption && a.metadata.caption) photo.caption = a.metadata.caption;
      if (!photo.credit && a.metadata.credit) photo.credit = a.metadata.credit;
      photos.push(photo);
    }
    if (pending.length) {
      throw new ConflictError(`photos without renditions yet: ${pending.join(', ')}; publish again once they are ready`, { pendingPhotos: pending });
    }
    return { ...content, photos };
  }

  // ---------------------------------------------------------------------------------------------
  // Downloads

  /** A signed link to a rendition for a subscriber, valid for the configured time. */
  signedLink(assetId: string, rendition: string, subscriberId: string, now = Date.now()): { href: string; expires: string } {
    const exp = Math.floor(now / 1000) + this.opts.linkTtlSeconds;
    const sig = this.sign(assetId, rendition, subscriberId, exp);
    return {
      href: `${renditionPath(assetId, rendition)}?sub=${encodeURIComponent(subscriberId)}&exp=${exp}&sig=${sig}`,
      expires: new Date(exp * 1000).toISOString(),
    };
  }

  private sign(assetId: string, rendition: string, subscriberId: string, exp: number): string {
    return createHmac('sha256', this.opts.linkSecret).update(`${assetId}\n${rendition}\n${subscriberId}\n${exp}`).digest('base64url');
  }

  /** The subscriber a signed link was made for; 403 when it is forged, altered or expired. */
  verifyLink(assetId: string, rendition: string, q: { sub?: string; exp?: string; sig?: string }, now = Date.now()): string {
    const exp = Number(q.exp);
    if (!q.sub || !q.sig || !Number.isInteger(exp)) throw new MediaRefusedError(403, 'this rendition link is not signed: ask the API for a signed link');
    const good = Buffer.from(this.sign(assetId, rendition, q.sub, exp));
    const given = Buffer.from(q.sig);
    if (good.length !== given.length || !timingSafeEqual(good, given)) throw new MediaRefusedError(403, 'this rendition link has a wrong signature');
    if (exp * 1000 <= now) throw new MediaRefusedError(403, `this rendition link expired at ${new Date(exp * 1000).toISOString()}; ask the API for a new one`);
    return q.sub;
  }

  /**
   * May `who` download the rendition now? The entitlement rule again, at download time: the asset must
   * be in a published story the subscriber's products give them, as a photo (or video, audio,
   * graphic). A killed story's media is gone (410). Returns the asset and the rendition's byte key.
   */
  async authorise(
    assetId: string,
    renditionName: string,
    who: Downloader,
    now = Date.now(),
  ): Promise<{ asset: MediaAsset; rendition: Rendition; key: string }> {
    const asset = await this.asset(assetId);
    const rendition = asset?.renditions.find((r) => r.name === renditionName);
    if (!asset || !rendition) throw new MediaRefusedError(404, `no rendition ${renditionName} of media asset ${assetId}`);
    const key = mediaKey(asset.sha256, rendition.name === 'original' ? 'original' : `${rendition.name}.${FILE_EXT[rendition.contentType]}`);
    if (who.role === 'staff') return { asset, rendition, key };
    const uses = await this.store.media.usesOf(asset.id);
    const published = uses.filter((u) => u.status === 'published');
    if (!published.length) {
      if (uses.some((u) => u.status === 'killed'))
        throw new MediaRefusedError(410, `media asset ${assetId} belonged to a story that was killed; it must not be used`);
      throw new MediaRefusedError(404, `media asset ${assetId} is not in any published story`);
    }
    const subscriber = await this.store.subscribers.getSubscriber(who.subscriberId);
    if (!subscriber) throw new MediaRefusedError(403, 'the subscriber of this link no longer exists');
    const mediaType: MediaType = asset.kind;
    for (const use of published) {
      const v = await this.store.getVersion(use.storyId, use.latestVersion);
      if (!v) continue;
      const c = v.content;
      const stillEmbargoed = c.embargoUntil && Date.parse(c.embargoUntil) > now ? c.embargoUntil : null;
      const event: FlowEvent = {
        seq: 0,
        kind: 'published',
        storyId: v.storyId,
        version: v.version,
        at: v.versionCreatedAt,
        language: c.language,
        categories: c.categories,
        urgency: c.urgency,
        mediaType,
        embargoUntil: stillEmbargoed,
        by: v.by,
      };
      if (entitled(subscriber.entitlements, event, false, now)) return { asset, rendition, key };
    }
    throw new MediaRefusedError(403, `your products do not include this ${mediaType} (media type ${mediaType} of the story's language and categories)`);
  }

  /**
   * Counts one download in the subscriber's usage for the day. In memory when the desk has a counter:
   * a store write (a SQLite commit) per download cost as much CPU as serving a megabyte of the file.
   */
  async countDownload(subscriberId: string, now?: Date): Promise<void> {
    if (this.usage) return this.usage.count(subscriberId, 'download', 1, now);
    const day = (now ?? new Date()).toISOString().slice(0, 10);
    await this.store.subscribers.addUsage([{ subscriberId, channel: 'download', day, count: 1 }]);
  }

  /**
   * A rendition the public site may serve: a small one (never the original, nothing wider than the
   * public limit) of a photo in a live published story whose embargo has passed; null otherwise.
   */
  async publicRendition(
    assetId: string,
    name: string,
    maxWidth = this.opts.publicMaxWidth,
    now = Date.now(),
  ): Promise<{ asset: MediaAsset; rendition: Rendition; key: string } | null> {
    const asset = await this.asset(assetId);
    const rendition = asset?.renditions.find((r) => r.name === name);
    if (asset?.kind !== 'photo' || !rendition || rendition.name === 'original' || rendition.width === null || rendition.width > maxWidth) return null;
    for (const use of await this.store.media.usesOf(asset.id)) {
      if (use.status !== 'published') continue;
      const v = await this.store.getVersion(use.storyId, use.latestVersion);
      if (v && !(v.content.embargoUntil && Date.parse(v.content.embargoUntil) > now)) {
        return { asset, rendition, key: mediaKey(asset.sha256, `${rendition.name}.${FILE_EXT[rendition.contentType]}`) };
      }
    }
    return null;
  }
}

/**
 * The one byte range a `Range` header asks of a file of `size` bytes: null for the whole file (no header,
 * or one we do not serve, like several ranges), 'unsatisfiable' for a range outside the file.
 */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** The ETag of a stored file: content-addressed, so the key itself names the bytes. */
export function etagOf(sha256: string, rendition: string, updatedAt: string): string {
  // Renditions are made again after a metadata correction: the time keeps their tag new.
  return `"${sha256.slice(0, 32)}-${rendition}-${Date.parse(updatedAt).toString(36)}"`;
}
