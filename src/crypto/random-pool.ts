// Small random values (nonces, IVs, data keys) cut from a pool filled by one CSPRNG call, as node
// does for randomUUID: a randomBytes call costs about 5 µs whatever its size, and Encrypt alone
// needs two. Bytes handed out are copied and erased from the pool, so the pool never holds a value
// that is in use.

import type { RandomBytes } from './symmetric.ts';

export const DEFAULT_POOL_BYTES = 4096;

/** Wraps a random source; requests over an eighth of the pool go straight to the source. */
export function pooledRandom(source: RandomBytes, poolBytes: number = DEFAULT_POOL_BYTES): RandomBytes {
  const largest = Math.floor(poolBytes / 8);
  let pool: Buffer = Buffer.alloc(0);
  let offset = 0;
  return (size: number): Buffer => {
    if (size > largest) return source(size);
    if (offset + size > pool.length) {
      pool.fill(0);
      pool = source(poolBytes);
      offset = 0;
    }
    const out = Buffer.allocUnsafeSlow(size);
    pool.copy(out, 0, offset, offset + size);
    pool.fill(0, offset, offset + size);
    offset += size;
    return out;
  };
}
