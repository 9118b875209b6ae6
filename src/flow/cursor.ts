// Opaque cursors: a log position with a checksum, base64url. Opaque so subscribers do not build them
// by hand; the checksum turns a garbled or truncated cursor into a clear 400 instead of a wrong position.
import { createHash } from 'node:crypto';

// Pollers at the head send and receive the same few cursors over and over: remember the recent ones
// rather than hash them again on every request.
const CACHE = 4096;
const encoded = new Map<number, string>();
const decoded = new Map<string, number>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

/** The cursor for the position just after `seq` was delivered. */
export function encodeCursor(seq: number): string {
  return encoded.get(seq) ?? remember(encoded, seq, encode(seq));
}

/** The log position a cursor names, or null when it is not a cursor this server made. */
export function decodeCursor(cursor: string): number | null {
  const hit = decoded.get(cursor);
  if (hit !== undefined) return hit;
  const seq = decode(cursor);
  return seq === null ? null : remember(decoded, cursor, seq);
}

function encode(seq: number): string {
  const buf = Buffer.alloc(12);
  buf.writeBigUInt64BE(BigInt(seq), 0);
  checksum(buf.subarray(0, 8)).copy(buf, 8);
  return buf.toString('base64url');
}

function decode(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{16}$/.test(cursor)) return null;
  const buf = Buffer.from(cursor, 'base64url');
  if (buf.length !== 12 || !checksum(buf.subarray(0, 8)).equals(buf.subarray(8))) return null;
  const seq = buf.readBigUInt64BE(0);
  return seq > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(seq);
}

function checksum(seq: Buffer): Buffer {
  return createHash('sha256').update('newsflow-cursor:').update(seq).digest().subarray(0, 4);
}
