// Media assets: photos (with renditions), and video, audio and graphics files stored as they came.
// The metadata and the rendering jobs live in the Store (`MediaStore`), the bytes in `MediaFiles`, so a
// second byte store (S3) can sit beside the filesystem one without touching the newsroom.
import type { Readable } from 'node:stream';

/** What kind of file an asset is, decided from its bytes (never from its name). */
export type MediaKind = 'photo' | 'video' | 'audio' | 'graphic';

/** Rendition names, smallest first. `original` is the file as uploaded. */
export const RENDITION_SIZES = { thumbnail: 320, small: 640, preview: 1024, web: 2048 } as const;
export type RenditionSize = keyof typeof RENDITION_SIZES;

/** One made file of an asset: `thumbnail-webp`, `preview-jpeg`, …, `original`. */
export interface Rendition {
  name: string;
  /** The API path that serves it (entitled subscribers and editors; signed links add a signature). */
  href: string;
  width: number | null;
  height: number | null;
  contentType: string;
  sizeInBytes: number;
}

/** IPTC photo metadata as read from the file, and as the editors corrected it. */
export interface PhotoMetadata {
  headline?: string;
  caption?: string;
  creator?: string;
  credit?: string;
  copyright?: string;
  dateCreated?: string;
  city?: string;
  country?: string;
  keywords?: string[];
  width?: number;
  height?: number;
  /** EXIF orientation 1…8 of the original (renditions have it applied). */
  orientation?: number;
  /** True when the original carries GPS coordinates (never copied to a rendition). */
  hasGps?: boolean;
}

export type MediaJobState = 'queued' | 'running' | 'done' | 'failed';

export interface MediaAsset {
  /** `m` and the first 32 hex digits of the bytes' SHA-256: the same bytes are one asset. */
  id: string;
  sha256: string;
  kind: MediaKind;
  contentType: string;
  sizeInBytes: number;
  /** The name it was uploaded under, for people only (never used in a path). */
  filename: string | null;
  metadata: PhotoMetadata;
  renditions: Rendition[];
  /** Rendering state of a photo (other kinds are `done` at once). */
  state: MediaJobState;
  /** Why rendering failed, when it did. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Fields editors may correct; what they set is what every rendition and format carries. */
export type MetadataCorrection = Pick<PhotoMetadata, 'caption' | 'credit' | 'copyright' | 'headline'>;

/** A rendering job taken by a worker. */
export interface MediaJob {
  assetId: string;
  attempts: number;
}

/** The story a media asset appears in, as the download check needs it. */
export interface MediaUse {
  storyId: string;
  status: 'draft' | 'published' | 'killed';
  latestVersion: number;
}

export interface MediaStore {
  /** Records an asset and (for photos) its rendering job; an existing asset with that id is returned as it is. */
  createAsset(a: Omit<MediaAsset, 'createdAt' | 'updatedAt'>, now?: Date): Promise<{ asset: MediaAsset; created: boolean }>;
  getAsset(id: string): Promise<MediaAsset | null>;
  listAssets(limit?: number): Promise<MediaAsset[]>;
  correctMetadata(id: string, m: MetadataCorrection, now?: Date): Promise<MediaAsset>;
  /** Marks every `running` job queued again (the process that ran them is gone) and returns how many. */
  requeueRunning(): Promise<number>;
  /** Takes the oldest queued job (it becomes `running`), or null. */
  claimJob(now?: Date): Promise<MediaJob | null>;
  /** The job is done: the asset gets its renditions (false when the job was queued again meanwhile). */
  finishJob(job: MediaJob, renditions: Rendition[], now?: Date): Promise<boolean>;
  failJob(job: MediaJob, reason: string, now?: Date): Promise<void>;
  /** Queues an asset's job again (after a metadata correction, renditions are made again; a run in progress is superseded). */
  requeue(assetId: string, now?: Date): Promise<void>;
  /** Stories whose latest published version (or draft) shows this asset. */
  usesOf(assetId: string): Promise<MediaUse[]>;
}

/** A byte range of a stored file, both ends included (as HTTP `Range` counts). */
export interface ByteSpan {
  start: number;
  end: number;
}

/**
 * Where the bytes live: a folder (`FileMediaFiles`) or an S3-compatible bucket (`S3MediaFiles`), under
 * content-addressed keys made only of hex digits and fixed names. Uploads are written to a local
 * temporary file first (hashed and checked there), then `put` in whole.
 */
export interface MediaFiles {
  /** Stores a finished temporary file under `key` and removes it (atomic: a reader sees all of it or nothing). */
  put(key: string, tempFile: string): Promise<void>;
  /** Writes bytes under `key` (atomic). */
  write(key: string, bytes: Buffer): Promise<void>;
  /** A new local temporary file path for an upload in progress (removed by `discard` or at start). */
  tempPath(): string;
  discard(tempFile: string): Promise<void>;
  /** The file's size, or null when it does not exist. */
  size(key: string): Promise<number | null>;
  /**
   * The file's bytes (or `span` of them) as a stream, opened before it resolves: a missing file is a 404
   * MediaRefusedError, an unreachable store a 503 one, both before any byte is sent.
   */
  read(key: string, span?: ByteSpan, opts?: { highWaterMark?: number }): Promise<Readable>;
  /**
   * The file behind `key` when its bytes are on this machine's disk (the folder store), so a download can
   * be sent straight from it; null for a remote store (S3), which is read through `read`.
   */
  localPath(key: string): string | null;
  /** Runs `use` with a local file holding the bytes (sharp and exifr read files); a copy is removed after. */
  withLocalFile<T>(key: string, use: (path: string) => Promise<T>): Promise<T>;
  remove(key: string): Promise<void>;
  /** Lets go of connections (the S3 client); the folder has none. */
  close(): Promise<void>;
}

/** A media key: only hex digits, a slash and fixed names, so no name can climb out of the store. */
export function mediaKey(sha256: string, name: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  if (!/^[a-z0-9-]+(\.[a-z0-9]+)?$/.test(name)) throw new Error(`not a rendition name: ${name}`);
  return `${sha256.slice(0, 2)}/${sha256}/${name}`;
}

/** True for a key `mediaKey` makes; both byte stores check it so no caller can name anything else. */
export function isMediaKey(key: string): boolean {
  return /^[0-9a-f]{2}\/[0-9a-f]{64}\/[a-z0-9-]+(\.[a-z0-9]+)?$/.test(key);
}

/** The asset id of some bytes' SHA-256. */
export function assetIdOf(sha256: string): string {
  return `m${sha256.slice(0, 32)}`;
}

/** Why a file or a download was refused, with the HTTP status that says it (the CLI prints the message). */
export class MediaRefusedError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 410 | 413 | 415 | 422 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'MediaRefusedError';
  }
}

/** Widest rendition the public site shows unless configured (NEWSFLOW_MEDIA_PUBLIC_MAX_WIDTH). */
export const PUBLIC_MAX_WIDTH = 800;

/** The public site's address of a small rendition (the site serves nothing wider, and no original). */
export const publicMediaPath = (assetId: string, rendition: string) => `/media/${assetId}/${rendition}`;

/** A photo as the public may see it: a small rendition, its srcset, and its size (so nothing shifts). */
export interface PublicImage {
  url: string;
  srcset: string | null;
  width: number | null;
  height: number | null;
}

/**
 * The public image of a story photo. An uploaded photo shows only its WebP renditions up to `maxWidth`
 * (the original and large ones have no public address at all); one still without such a rendition
 * shows nothing. A photo given by URL (imported, demo) shows as it is.
 */
export function publicImage(
  photo: {
    url: string;
    mediaId?: string;
    renditions?: { name: string; width: number | null; height: number | null; contentType: string }[];
    width?: number;
    height?: number;
  },
  maxWidth: number = PUBLIC_MAX_WIDTH,
): PublicImage | null {
  if (!photo.mediaId) return { url: photo.url, srcset: null, width: photo.width ?? null, height: photo.height ?? null };
  const small = (photo.renditions ?? [])
    .filter((r) => r.name !== 'original' && r.contentType === 'image/webp' && r.width !== null && r.width <= maxWidth)
    .sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  if (!small.length) return null;
  const largest = small[small.length - 1];
  return {
    url: publicMediaPath(photo.mediaId, largest.name),
    srcset: small.map((r) => `${publicMediaPath(photo.mediaId!, r.name)} ${r.width}w`).join(', '),
    width: largest.width,
    height: largest.height,
  };
}
