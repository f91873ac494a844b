// A batch of audit events packed into one transferable buffer for the writer thread: handing
// over an ArrayBuffer costs nothing, where structured-cloning events with their index entries
// cost more than building them. Index entries travel as their integer terms (audit-term.ts).
//
// Layout (little-endian): u32 count, then per event:
//   f64 seq | f64 time | 32 bytes hash | u32 body length | body (UTF-8) | u16 term count | f64 terms...

import type { AuditAppend } from '../audit-repository.ts';
import { termOf } from './audit-term.ts';

export interface PackedEvent {
  readonly seq: number;
  readonly time: number;
  readonly body: string;
  readonly hash: Buffer;
  readonly terms: readonly number[];
}

const HASH_BYTES = 32;

export function packEvents(events: readonly AuditAppend[]): ArrayBuffer {
  const terms = events.map((e) => [...new Set(e.index.map(termOf))]);
  const lengths = events.map((e) => Buffer.byteLength(e.body, 'utf8'));
  let size = 4;
  for (let i = 0; i < events.length; i++) size += 8 + 8 + HASH_BYTES + 4 + (lengths[i] as number) + 2 + 8 * (terms[i] as number[]).length;
  const buf = Buffer.from(new ArrayBuffer(size));
  let at = buf.writeUInt32LE(events.length, 0);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as AuditAppend;
    if (e.hash.length !== HASH_BYTES) throw new Error(`Audit event hash must be ${HASH_BYTES} bytes`);
    at = buf.writeDoubleLE(e.seq, at);
    at = buf.writeDoubleLE(e.time, at);
    at += e.hash.copy(buf, at);
    at = buf.writeUInt32LE(lengths[i] as number, at);
    at += buf.write(e.body, at, 'utf8');
    const t = terms[i] as number[];
    at = buf.writeUInt16LE(t.length, at);
    for (const term of t) at = buf.writeDoubleLE(term, at);
  }
  return buf.buffer as ArrayBuffer;
}

export function* unpackEvents(packed: ArrayBuffer): Generator<PackedEvent> {
  const buf = Buffer.from(packed);
  const count = buf.readUInt32LE(0);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const seq = buf.readDoubleLE(at);
    const time = buf.readDoubleLE(at + 8);
    const hash = buf.subarray(at + 16, at + 16 + HASH_BYTES);
    at += 16 + HASH_BYTES;
    const length = buf.readUInt32LE(at);
    at += 4;
    const body = buf.toString('utf8', at, at + length);
    at += length;
    const n = buf.readUInt16LE(at);
    at += 2;
    const terms: number[] = [];
    for (let j = 0; j < n; j++, at += 8) terms.push(buf.readDoubleLE(at));
    yield { seq, time, body, hash, terms };
  }
}
