// Reading a photo's EXIF, IPTC-IIM and XMP with exifr (loaded on first use: an idle server never pays
// for it). Where the same field is in several blocks, IPTC-IIM wins over XMP, as photo desks expect.
import type { PhotoMetadata } from '../model/media.ts';

type Raw = Record<string, unknown>;

/**
 * IPTC-IIM text is bytes in a character set the file may or may not declare; exifr reads undeclared
 * bytes as Latin-1. UTF-8 read that way shows as pairs like `Ã¼`: those are decoded again.
 */
function repaired(s: string): string {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
  const again = Buffer.from(s, 'latin1').toString('utf8');
  return again.includes('\ufffd') ? s : again;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return repaired(v.trim()) || undefined;
  if (Array.isArray(v)) return text(v[0]);
  if (v && typeof v === 'object' && 'value' in v) return text((v as { value: unknown }).value);
  return undefined;
}

function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const items = (Array.isArray(v) ? v : [v]).map(text).filter((s): s is string => !!s);
  return items.length ? items : undefined;
}

/** The IPTC photo metadata of a file on disk; an unreadable block is skipped, never fatal. */
export async function readPhotoMetadata(file: string): Promise<PhotoMetadata> {
  const { default: exifr } = await import('exifr');
  let raw: Raw = {};
  try {
    raw = ((await exifr.parse(file, { iptc: true, xmp: true, gps: true, tiff: true, exif: true, ifd0: true, translateValues: false } as never)) as Raw) ?? {};
  } catch {
    raw = {};
  }
  const m: PhotoMetadata = {};
  const set = <K extends keyof PhotoMetadata>(k: K, v: PhotoMetadata[K] | undefined) => {
    if (v !== undefined) m[k] = v;
  };
  set('headline', text(raw.Headline) ?? text(raw.headline));
  set('caption', text(raw.Caption) ?? text(raw.description) ?? text(raw.ImageDescription));
  set('creator', text(raw.Byline) ?? text(raw.creator) ?? text(raw.Artist));
  set('credit', text(raw.Credit) ?? text(raw.credit));
  set('copyright', text(raw.CopyrightNotice) ?? text(raw.rights) ?? text(raw.Copyright));
  const date = raw.DateTimeOriginal ?? raw.CreateDate ?? raw.DateCreated;
  set('dateCreated', date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : text(date));
  set('city', text(raw.City) ?? text(raw.city));
  set('country', text(raw.Country) ?? text(raw.country));
  set('keywords', list(raw.Keywords) ?? list(raw.subject));
  if (typeof raw.Orientation === 'number' && raw.Orientation >= 1 && raw.Orientation <= 8) m.orientation = raw.Orientation;
  if (typeof raw.latitude === 'number' || raw.GPSLatitude !== undefined) m.hasGps = true;
  return m;
}
