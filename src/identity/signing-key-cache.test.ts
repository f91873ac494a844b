// Signing-key derivation against AWS's documented example, and the cache's bounds and keying.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveSigningKey, SigningKeyCache } from './signing-key-cache.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

test('deriveSigningKey reproduces the key in the AWS signing-key example', () => {
  // "Examples of how to derive a signing key for Signature Version 4", AWS General Reference.
  assert.equal(
    deriveSigningKey(SECRET, '20120215', 'us-east-1', 'iam').toString('hex'),
    'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
  );
});

test('SigningKeyCache entry ids do not contain the secret', () => {
  const id = new SigningKeyCache().entryId('AKIDEXAMPLE', SECRET, '20150830', 'us-east-1', 'kms');
  assert.ok(!id.includes(SECRET));
  assert.ok(!id.includes('AKIDEXAMPLE'));
  assert.ok(id.startsWith('20150830/us-east-1/kms/'));
});

test('SigningKeyCache entry ids differ when only the secret differs', () => {
  const cache = new SigningKeyCache();
  const a = cache.entryId('AKIDEXAMPLE', SECRET, '20150830', 'us-east-1', 'kms');
  const b = cache.entryId('AKIDEXAMPLE', SECRET + 'x', '20150830', 'us-east-1', 'kms');
  assert.notEqual(a, b);
  assert.equal(a, cache.entryId('AKIDEXAMPLE', SECRET, '20150830', 'us-east-1', 'kms'));
});

test('SigningKeyCache returns the key stored under an entry id', () => {
  const cache = new SigningKeyCache();
  const id = cache.entryId('AKIDEXAMPLE', SECRET, '20150830', 'us-east-1', 'kms');
  assert.equal(cache.get(id), undefined);
  const key = deriveSigningKey(SECRET, '20150830', 'us-east-1', 'kms');
  cache.set(id, key);
  assert.equal(cache.get(id), key);
  assert.equal(cache.size, 1);
});

test('SigningKeyCache evicts the oldest entry when full', () => {
  const cache = new SigningKeyCache({ maxEntries: 2 });
  const key = Buffer.alloc(32);
  cache.set('first', key);
  cache.set('second', key);
  cache.set('third', key);
  assert.equal(cache.size, 2);
  assert.equal(cache.get('first'), undefined);
  assert.equal(cache.get('second'), key);
  assert.equal(cache.get('third'), key);
});

test('SigningKeyCache clear() drops every key', () => {
  const cache = new SigningKeyCache();
  cache.set('one', Buffer.alloc(32));
  cache.clear();
  assert.equal(cache.size, 0);
});

test('SigningKeyCache refuses a size that is not a positive integer', () => {
  for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new SigningKeyCache({ maxEntries }), RangeError);
  }
});
