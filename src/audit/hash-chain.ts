// The event hash chain: hash(n) = SHA-256(hash(n-1) || seq(n) as 8 bytes big-endian || body(n)),
// starting from 32 zero bytes. Binding the sequence number makes a moved event fail even when its
// neighbours happen to agree.

import { createHash } from 'node:crypto';

export const GENESIS_HASH: Buffer = Buffer.alloc(32);
export const CHAIN_HASH_ALGORITHM = 'SHA-256';

export function chainHash(prev: Buffer, seq: number, body: string): Buffer {
  const seqBytes = Buffer.allocUnsafe(8);
  // Sequence numbers are safe integers (< 2^53): two 32-bit halves, no BigInt per event.
  seqBytes.writeUInt32BE(Math.floor(seq / 0x1_0000_0000), 0);
  seqBytes.writeUInt32BE(seq >>> 0, 4);
  return createHash('sha256').update(prev).update(seqBytes).update(body, 'utf8').digest();
}

/**
 * The canonical text of an event: compact JSON in the builder's key order. A stored body is
 * already canonical; verification re-canonicalizes so an export that was reformatted (not
 * changed) still verifies.
 */
export const canonicalBody = (text: string): string => JSON.stringify(JSON.parse(text));

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
