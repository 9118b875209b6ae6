// Rendered responses kept until the flow log moves (any publish, correction, kill or embargo lift
// clears everything), so a hot story page costs a map lookup and a publish shows on the next request.
import { createHash } from 'node:crypto';

export interface Rendered {
  status: number;
  type: string;
  body: string | Buffer;
  /** Last-Modified as an instant; omitted when the page has no meaningful modification time. */
  lastModified?: string;
  cacheControl: string;
  /** Extra headers (Location for redirects). */
  headers?: Record<string, string>;
}

export interface Entry extends Rendered {
  etag: string;
  bytes: Buffer;
  lastModifiedHttp?: string;
  at: number;
}

export function toEntry(r: Rendered): Entry {
  const bytes = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const etag = `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"`;
  const lm = r.lastModified ? new Date(r.lastModified) : null;
  return { ...r, bytes, etag, lastModifiedHttp: lm && !Number.isNaN(lm.getTime()) ? lm.toUTCString() : undefined, at: Date.now() };
}

export class PageCache {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly max = 5000,
    private readonly ttlMs = 30_000,
  ) {}

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Time alone can change a page (an embargo passing before its lift event lands): entries expire.
    if (Date.now() - e.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, e: Entry): void {
    if (this.entries.size >= this.max) {
      // Maps iterate in insertion order: dropping the oldest is enough for a cache emptied on every publish.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, e);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
