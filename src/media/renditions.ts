// Renditions with sharp (libvips), loaded on first use. One decode per photo: the original is read once
// (JPEG shrink-on-load), turned upright and into sRGB at the largest size, and every smaller size and
// format is made from that. Nothing of the original's EXIF (so no GPS) is copied; the caption, credit and
// copyright the editors settled on are written into each file's XMP.
import type { PhotoMetadata } from '../model/media.ts';
import { RENDITION_SIZES, type RenditionSize } from '../model/media.ts';

type Sharp = typeof import('sharp').default;
let loaded: Promise<Sharp> | undefined;

/**
 * sharp, set up once: libvips' threads per image and its operation cache bounded, so that many large
 * uploads at once stay within memory (the job queue bounds how many images are open at a time).
 */
export function loadSharp(threads = 1): Promise<Sharp> {
  loaded ??= import('sharp').then((m) => {
    const sharp = (m.default ?? m) as unknown as Sharp;
    sharp.cache(false);
    sharp.concurrency(threads);
    return sharp;
  });
  return loaded;
}

export const RENDITION_FORMATS = [
  { format: 'webp', contentType: 'image/webp' },
  { format: 'jpeg', contentType: 'image/jpeg' },
] as const;

export interface MadeRendition {
  name: string;
  size: RenditionSize;
  width: number;
  height: number;
  contentType: string;
  bytes: Buffer;
}

/** The header facts of an image (width and height upright), without decoding its pixels. */
export async function probe(file: string): Promise<{ width: number; height: number; format: string; orientation?: number }> {
  const sharp = await loadSharp();
  const meta = await sharp(file, { limitInputPixels: false }).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  return { width: turned ? h : w, height: turned ? w : h, format: meta.format ?? 'unknown', orientation: meta.orientation };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An XMP packet with the photo's caption, credit, creator, headline and copyright. */
export function xmpPacket(m: PhotoMetadata): string {
  const alt = (tag: string, v?: string) => (v ? `<${tag}><rdf:Alt><rdf:li xml:lang="x-default">${esc(v)}</rdf:li></rdf:Alt></${tag}>` : '');
  const seq = (tag: string, v?: string) => (v ? `<${tag}><rdf:Seq><rdf:li>${esc(v)}</rdf:li></rdf:Seq></${tag}>` : '');
  const bag = (tag: string, v?: string[]) => (v?.length ? `<${tag}><rdf:Bag>${v.map((k) => `<rdf:li>${esc(k)}</rdf:li>`).join('')}</rdf:Bag></${tag}>` : '');
  const attr = (name: string, v?: string) => (v ? ` ${name}="${esc(v)}"` : '');
  return (
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"` +
    `${attr('photoshop:Credit', m.credit)}${attr('photoshop:Headline', m.headline)}${attr('photoshop:City', m.city)}${attr('photoshop:Country', m.country)}>` +
    `${alt('dc:description', m.caption)}${alt('dc:rights', m.copyright)}${seq('dc:creator', m.creator)}${bag('dc:subject', m.keywords)}` +
    `</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`
  );
}

/**
 * Every rendition of the photo in `file`: thumbnail, preview and web, each in WebP and JPEG, never
 * larger than the original. A truncated or corrupt file, or one above `maxPixels`, is an Error whose
 * message says so (the job records it).
 */
export async function makeRenditions(file: string, metadata: PhotoMetadata, maxPixels: number): Promise<MadeRendition[]> {
  const sharp = await loadSharp();
  const xmp = xmpPacket(metadata);
  const largest = RENDITION_SIZES.web;
  // `failOn: 'truncated'`: a photo cut short is an error, not a grey lower half.
  const base = await sharp(file, { limitInputPixels: maxPixels, failOn: 'truncated' })
    .rotate()
    .resize({ width: largest, height: largest, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = base.info;
  const out: MadeRendition[] = [];
  const sizes = Object.entries(RENDITION_SIZES).sort((a, b) => b[1] - a[1]) as [RenditionSize, number][];
  for (const [size, px] of sizes) {
    const img = () => sharp(base.data, { raw: { width, height, channels } }).resize({ width: px, height: px, fit: 'inside', withoutEnlargement: true });
    for (const f of RENDITION_FORMATS) {
      const pipeline = img().withXmp(xmp);
      const made = await (f.format === 'webp' ? pipeline.webp({ quality: 82 }) : pipeline.jpeg({ quality: 85, mozjpeg: false })).toBuffer({
        resolveWithObject: true,
      });
      out.push({ name: `${size}-${f.format}`, size, width: made.info.width, height: made.info.height, contentType: f.contentType, bytes: made.data });
    }
  }
  return out.reverse();
}

/**
 * A demo photo made by the project: one of the demo newsroom's own drawings (SVG) rendered to a JPEG,
 * with its caption, credit and copyright in XMP, so a fresh start shows real photos and real metadata.
 */
export async function drawDemoPhoto(svgFile: string, metadata: PhotoMetadata): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(svgFile, { density: 144 })
    .resize({ width: 1600, height: 900, fit: 'cover' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 88 })
    .withXmp(xmpPacket(metadata))
    .toBuffer();
}
