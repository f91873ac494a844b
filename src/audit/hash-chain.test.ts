import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, chainHash } from './hash-chain.ts';

test('chainHash is SHA-256(previous hash || sequence as 8 bytes big-endian || body), for sequences past 32 bits too', () => {
  const prev = createHash('sha256').update('previous').digest();
  for (const seq of [1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER]) {
    const seqBytes = Buffer.alloc(8);
    seqBytes.writeBigUInt64BE(BigInt(seq));
    const expected = createHash('sha256').update(Buffer.concat([prev, seqBytes, Buffer.from('{"é":1}', 'utf8')])).digest();
    assert.deepEqual(chainHash(prev, seq, '{"é":1}'), expected, `seq ${seq}`);
  }
  assert.notDeepEqual(chainHash(GENESIS_HASH, 1, '{}'), chainHash(GENESIS_HASH, 2, '{}'), 'the sequence number is bound');
});
