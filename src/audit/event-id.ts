// Event ids that carry their place in the chain: an RFC 9562 version-8 UUID holding the event
// time (48 bits), a per-process random tag (12 bits) and the sequence number (62 bits). A lookup
// by EventId then needs no index — the id names the row, and the row's body must agree — and
// the trail's write path skips the one index entry that is unique (and so randomly placed) for
// every event.
//
//   tttttttt-tttt-8rrr-[10]sss-ssssssssssss   t: epoch ms, r: tag, s: sequence

import { randomInt } from 'node:crypto';

const TAG = randomInt(0, 0x1000);

export function eventIdFor(seq: number, timeMs: number, tag: number = TAG): string {
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(Math.max(0, Math.min(timeMs, 0xffffffffffff)), 0, 6);
  b.writeUInt16BE(0x8000 | (tag & 0x0fff), 6);
  b.writeBigUInt64BE((BigInt(seq) & 0x3fffffffffffffffn) | 0x8000000000000000n, 8);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The sequence number an id of ours carries; undefined for any other string. */
export function seqOfEventId(id: string): number | undefined {
  const lower = id.toLowerCase();
  if (!SHAPE.test(lower)) return undefined;
  const seq = BigInt(`0x${lower.slice(19, 23)}${lower.slice(24)}`) & 0x3fffffffffffffffn;
  return seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seq) : undefined;
}
