import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hkdfSync, randomBytes } from 'node:crypto';
import { deriveKey, seal, open } from './symmetric.ts';
import { parseCiphertext, V1_HEADER_BYTES, TAG_BYTES } from './ciphertext-format.ts';
import { encodeEncryptionContext } from './encryption-context.ts';

const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const backingKey = randomBytes(32);
const ctx = encodeEncryptionContext({ department: 'finance' });

function sealed(plaintext = Buffer.from('sensitive-data-here')): Buffer {
  return seal({ keyId, keyVersion: 3, backingKey, plaintext, aadContext: ctx }, randomBytes);
}

test('seal() produces a v1 blob whose header names the key and version', () => {
  const blob = sealed();
  const parsed = parseCiphertext(blob);
  assert.ok(parsed);
  assert.equal(parsed.header.keyId, keyId);
  assert.equal(parsed.header.keyVersion, 3);
  assert.equal(blob.length, V1_HEADER_BYTES + 19 + TAG_BYTES);
});

test('open() round-trips with the same key and context', () => {
  const parsed = parseCiphertext(sealed());
  assert.ok(parsed);
  assert.equal(open(parsed, backingKey, ctx)?.toString(), 'sensitive-data-here');
});

test('open() fails with a different context', () => {
  const parsed = parseCiphertext(sealed());
  assert.ok(parsed);
  assert.equal(open(parsed, backingKey, encodeEncryptionContext({ department: 'hr' })), undefined);
  assert.equal(open(parsed, backingKey, encodeEncryptionContext({})), undefined);
});

test('open() fails with another backing key', () => {
  const parsed = parseCiphertext(sealed());
  assert.ok(parsed);
  assert.equal(open(parsed, randomBytes(32), ctx), undefined);
});

test('open() fails when any single byte of the blob is flipped', () => {
  const blob = sealed();
  for (let i = 0; i < blob.length; i++) {
    const tampered = Buffer.from(blob);
    tampered[i] = (tampered[i] as number) ^ 0x01;
    const parsed = parseCiphertext(tampered);
    if (parsed === undefined) continue; // format check rejects it before crypto
    assert.equal(open(parsed, backingKey, ctx), undefined, `byte ${i}`);
  }
});

test('parseCiphertext() rejects truncated blobs and unknown versions', () => {
  const blob = sealed();
  assert.equal(parseCiphertext(blob.subarray(0, V1_HEADER_BYTES + TAG_BYTES)), undefined);
  assert.equal(parseCiphertext(Buffer.alloc(0)), undefined);
  const v9 = Buffer.from(blob);
  v9[0] = 9;
  assert.equal(parseCiphertext(v9), undefined);
});

test('deriveKey() is HKDF-SHA256 with the v1 info string, as hkdfSync computes it', () => {
  const info = Buffer.from('kontext/v1/aes-256-gcm/data-key', 'utf8');
  for (let i = 0; i < 50; i++) {
    const key = randomBytes(32);
    const nonce = randomBytes(32);
    assert.deepEqual(deriveKey(key, nonce), Buffer.from(hkdfSync('sha256', key, nonce, info, 32)));
  }
});

test('deriveKey() gives the pinned v1 data key for a fixed backing key and nonce', () => {
  const nonce = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  assert.equal(deriveKey(Buffer.alloc(32, 0x0b), nonce).toString('hex'), 'a2ef2c4eaab5f7742587a7e4b436a35711835edad924eb04ed6a4065e6e9ef07');
});
