// Opaque cursors: a log position with a checksum, base64url. Opaque so subscribers do not build them
// by hand; the checksum turns a garbled or truncated cursor into a clear 400 instead of a wrong position.
import { createHash } from 'node:crypto';

/** The cursor for the position just after `seq` was delivered. */
export function encodeCursor(seq: number): string {
  const buf = Buffer.alloc(12);
  buf.writeBigUInt64BE(BigInt(seq), 0);
  checksum(buf.subarray(0, 8)).copy(buf, 8);
  return buf.toString('base64url');
}

/** The log position a cursor names, or null when it is not a cursor this server made. */
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{16}$/.test(cursor)) return null;
  const buf = Buffer.from(cursor, 'base64url');
  if (buf.length !== 12 || !checksum(buf.subarray(0, 8)).equals(buf.subarray(8))) return null;
  const seq = buf.readBigUInt64BE(0);
  return seq > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(seq);
}

function checksum(seq: Buffer): Buffer {
  return createHash('sha256').update('newsflow-cursor:').update(seq).digest().subarray(0, 4);
}
