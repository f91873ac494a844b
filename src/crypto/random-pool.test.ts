import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pooledRandom } from './random-pool.ts';

/** A source that counts its calls and returns 1, 2, 3, ... so every byte is traceable. */
function countingSource() {
  let next = 1;
  const calls: number[] = [];
  const source = (size: number): Buffer => {
    calls.push(size);
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = next++ % 256;
    return b;
  };
  return { source, calls };
}

test('pooledRandom() serves consecutive requests from one source call', () => {
  const { source, calls } = countingSource();
  const random = pooledRandom(source, 64);
  assert.deepEqual([...random(4)], [1, 2, 3, 4]);
  assert.deepEqual([...random(3)], [5, 6, 7]);
  assert.deepEqual(calls, [64]);
});

test('pooledRandom() never hands out the same bytes twice and refills when the pool runs out', () => {
  const { source, calls } = countingSource();
  const random = pooledRandom(source, 64);
  const seen: number[] = [];
  for (let i = 0; i < 30; i++) seen.push(...random(8));
  assert.equal(new Set(seen).size, seen.length);
  // 8 requests of 8 bytes per 64-byte pool.
  assert.deepEqual(calls, [64, 64, 64, 64]);
});

test('pooledRandom() sends requests over an eighth of the pool to the source', () => {
  const { source, calls } = countingSource();
  const random = pooledRandom(source, 64);
  assert.equal(random(9).length, 9);
  assert.deepEqual(calls, [9]);
});

test('pooledRandom() returns copies the pool does not keep', () => {
  let pool: Buffer | undefined;
  const random = pooledRandom((size) => (pool = randomBytes(size)), 64);
  const a = random(8);
  const before = Buffer.from(a);
  assert.notEqual(a.buffer, pool?.buffer);
  assert.deepEqual(pool?.subarray(0, 8), Buffer.alloc(8));
  random(8);
  assert.deepEqual(a, before);
});
