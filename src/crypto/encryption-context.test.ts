import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEncryptionContext, sameEncryptionContext, MAX_ENCODED_CONTEXT_BYTES } from './encryption-context.ts';
import { KontextError } from '../errors.ts';

test('encodeEncryptionContext() is independent of pair order', () => {
  const a = encodeEncryptionContext({ department: 'finance', customer_id: 'cust_98765' });
  const b = encodeEncryptionContext({ customer_id: 'cust_98765', department: 'finance' });
  assert.deepEqual(a, b);
});

test('encodeEncryptionContext() does not let key/value boundaries collide', () => {
  assert.notDeepEqual(encodeEncryptionContext({ ab: 'c' }), encodeEncryptionContext({ a: 'bc' }));
  assert.notDeepEqual(encodeEncryptionContext({ a: 'b', c: 'd' }), encodeEncryptionContext({ a: 'b\u0000c' }));
});

test('encodeEncryptionContext() encodes an empty and an absent context to the same zero bytes', () => {
  assert.equal(encodeEncryptionContext({}).length, 0);
  assert.equal(encodeEncryptionContext(undefined).length, 0);
});

test('encodeEncryptionContext() is case-sensitive in keys and values', () => {
  assert.notDeepEqual(encodeEncryptionContext({ Department: 'finance' }), encodeEncryptionContext({ department: 'finance' }));
  assert.notDeepEqual(encodeEncryptionContext({ department: 'Finance' }), encodeEncryptionContext({ department: 'finance' }));
});

test('encodeEncryptionContext() sorts by UTF-8 bytes and length-prefixes each part', () => {
  const enc = encodeEncryptionContext({ b: '2', a: '1' });
  assert.equal(enc.toString('hex'), '0002' + '0001' + '61' + '0001' + '31' + '0001' + '62' + '0001' + '32');
});

test('encodeEncryptionContext() rejects a context larger than the documented limit', () => {
  const big = { k: 'x'.repeat(MAX_ENCODED_CONTEXT_BYTES) };
  assert.throws(() => encodeEncryptionContext(big), (e: unknown) => e instanceof KontextError && e.code === 'ValidationException');
});

test('sameEncryptionContext() compares order-insensitively and case-sensitively', () => {
  assert.equal(sameEncryptionContext({ a: '1', b: '2' }, { b: '2', a: '1' }), true);
  assert.equal(sameEncryptionContext({}, undefined), true);
  assert.equal(sameEncryptionContext({ a: '1' }, { A: '1' }), false);
  assert.equal(sameEncryptionContext({ a: '1' }, { a: '1', b: '2' }), false);
});
