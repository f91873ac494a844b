// Posting lists of the audit term index (migration 8): the events carrying a term, grouped by
// chunks of CHUNK_SIZE sequence numbers, each stored as the events' offsets in the chunk
// (little-endian uint16, ascending). A flush appends to a chunk's row, so a row is the
// concatenation of ascending runs; readers normalize (sort, drop duplicates) before use.

export const CHUNK_BITS = 12;
export const CHUNK_SIZE = 1 << CHUNK_BITS;

export const chunkOf = (seq: number): number => Math.floor(seq / CHUNK_SIZE);

/** A term's offsets in one chunk, for one flush. */
export interface ChunkPostings {
  readonly chunk: number;
  readonly byTerm: Map<number, number[]>;
}

/**
 * Groups events' terms into per-chunk posting lists. `events` are in ascending sequence order
 * (as the writer queues them); each event's terms are distinct.
 */
export function groupPostings(events: readonly { readonly seq: number; readonly terms: readonly number[] }[]): ChunkPostings[] {
  const out: ChunkPostings[] = [];
  let current: ChunkPostings | undefined;
  for (const e of events) {
    const chunk = chunkOf(e.seq);
    if (current?.chunk !== chunk) {
      current = out.find((c) => c.chunk === chunk);
      if (!current) out.push((current = { chunk, byTerm: new Map() }));
    }
    const offset = e.seq - chunk * CHUNK_SIZE;
    for (const term of e.terms) {
      const list = current.byTerm.get(term);
      if (list) list.push(offset);
      else current.byTerm.set(term, [offset]);
    }
  }
  return out;
}

export function encodeOffsets(offsets: readonly number[]): Buffer {
  const buf = Buffer.allocUnsafe(offsets.length * 2);
  for (let i = 0; i < offsets.length; i++) buf.writeUInt16LE(offsets[i] as number, i * 2);
  return buf;
}

/** The offsets of a stored row, ascending and distinct. A damaged (odd-length) row yields its whole pairs. */
export function decodeOffsets(blob: Uint8Array): Uint16Array {
  const n = blob.length >> 1;
  const out = new Uint16Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    out[i] = (blob[2 * i] as number) | ((blob[2 * i + 1] as number) << 8);
    if (i > 0 && (out[i] as number) <= (out[i - 1] as number)) sorted = false;
  }
  if (sorted) return out;
  out.sort();
  let w = 0;
  for (let i = 0; i < n; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i] as number;
  return out.subarray(0, w);
}

/** The offsets present in both ascending lists. */
export function intersectOffsets(a: Uint16Array, b: Uint16Array): Uint16Array {
  const out = new Uint16Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let w = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[w++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, w);
}
