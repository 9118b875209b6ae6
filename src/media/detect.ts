// What a file is, from its first bytes, never from its name: a name is only checked against them.
import type { MediaKind } from '../model/media.ts';

export interface Detected {
  kind: MediaKind;
  contentType: string;
  /** The extension files of this type carry. */
  extension: string;
}

const ascii = (b: Buffer, start: number, end: number) => b.subarray(start, end).toString('latin1');

/** The type of a file from its first (up to 4 KiB) bytes, or null when it is nothing we accept. */
export function detectType(head: Buffer): Detected | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'photo', contentType: 'image/jpeg', extension: 'jpg' };
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { kind: 'photo', contentType: 'image/png', extension: 'png' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { kind: 'photo', contentType: 'image/webp', extension: 'webp' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return { kind: 'audio', contentType: 'audio/wav', extension: 'wav' };
  if (ascii(head, 0, 4) === 'II*\0' || ascii(head, 0, 4) === 'MM\0*') return { kind: 'photo', contentType: 'image/tiff', extension: 'tif' };
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (brand === 'avif' || brand === 'avis') return { kind: 'photo', contentType: 'image/avif', extension: 'avif' };
    if (brand === 'qt  ') return { kind: 'video', contentType: 'video/quicktime', extension: 'mov' };
    if (brand.startsWith('M4A')) return { kind: 'audio', contentType: 'audio/mp4', extension: 'm4a' };
    return { kind: 'video', contentType: 'video/mp4', extension: 'mp4' };
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return { kind: 'video', contentType: 'video/webm', extension: 'webm' };
  if (ascii(head, 0, 3) === 'ID3' || (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0))
    return { kind: 'audio', contentType: 'audio/mpeg', extension: 'mp3' };
  if (ascii(head, 0, 4) === 'OggS') return { kind: 'audio', contentType: 'audio/ogg', extension: 'ogg' };
  if (ascii(head, 0, 4) === 'fLaC') return { kind: 'audio', contentType: 'audio/flac', extension: 'flac' };
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return { kind: 'graphic', contentType: 'image/gif', extension: 'gif' };
  if (ascii(head, 0, 5) === '%PDF-') return { kind: 'graphic', contentType: 'application/pdf', extension: 'pdf' };
  if (ascii(head, 0, 4) === '%!PS') return { kind: 'graphic', contentType: 'application/postscript', extension: 'eps' };
  // SVG is text: an XML prolog, comments or a doctype may come before the root element.
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(text)) {
    return { kind: 'graphic', contentType: 'image/svg+xml', extension: 'svg' };
  }
  return null;
}

/** What a file name's extension claims, when it is one we know. */
const CLAIMS: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  avif: 'image/avif',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  eps: 'application/postscript',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  flac: 'audio/flac',
};

/** The type a file name claims, or null for names without a known extension. */
export function claimedType(filename: string | null | undefined): string | null {
  const m = /\.([a-z0-9]{1,5})$/i.exec(filename ?? '');
  return m ? (CLAIMS[m[1].toLowerCase()] ?? null) : null;
}

/**
 * True when a photo's last bytes show it ends where its format ends (JPEG's EOI marker, PNG's IEND
 * chunk): a cut file is refused at the door rather than rendered grey.
 */
export function looksComplete(contentType: string, tail: Buffer): boolean {
  if (contentType === 'image/jpeg') {
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
    return false;
  }
  if (contentType === 'image/png') return tail.includes(Buffer.from('IEND', 'latin1'));
  return true;
}
