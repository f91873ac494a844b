import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { RootKey } from './root-key.ts';

const KEY = Buffer.alloc(32, 7);

test('RootKey.fingerprint() is HMAC-SHA256 of a fixed label under the key, 16 bytes in hex', () => {
  const expected = createHmac('sha256', KEY).update('kontext:root-key-fingerprint:v1').digest().subarray(0, 16).toString('hex');
  assert.equal(new RootKey(KEY).fingerprint(), expected);
  assert.equal(new RootKey(Buffer.from(KEY)).fingerprint(), expected, 'the same key, the same fingerprint');
});

test('RootKey.fingerprint() differs between keys and does not contain the key', () => {
  const other = Buffer.alloc(32, 8);
  const fp = new RootKey(KEY).fingerprint();
  assert.notEqual(new RootKey(other).fingerprint(), fp);
  assert.ok(!fp.includes(KEY.toString('hex').slice(0, 8)));
});
