import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEncryptionContext } from '../crypto/encryption-context.ts';
import { encodeContext, envelopeHeader, EnvelopeFormatError, parseEnvelope } from './envelope-format.ts';

describe('envelope format v1', () => {
  test('parses what envelopeHeader builds, field by field', () => {
    const edk = Buffer.alloc(40, 7);
    const iv = Buffer.alloc(12, 9);
    const env = Buffer.concat([envelopeHeader(edk, iv), Buffer.from('cipher'), Buffer.alloc(16, 1)]);
    assert.equal(env.subarray(0, 4).toString('latin1'), 'KXE\x01');
    const p = parseEnvelope(env);
    assert.deepEqual(p.encryptedDataKey, edk);
    assert.deepEqual(p.iv, iv);
    assert.equal(p.ciphertext.toString(), 'cipher');
    assert.equal(p.header.length, 6 + 40 + 12);
  });

  test('rejects bad magic, an unknown version and truncation before any cryptography', () => {
    const good = Buffer.concat([envelopeHeader(Buffer.alloc(4, 1), Buffer.alloc(12)), Buffer.alloc(16)]);
    assert.throws(() => parseEnvelope(Buffer.from('nope')), EnvelopeFormatError);
    const v2 = Buffer.from(good);
    v2[3] = 2;
    assert.throws(() => parseEnvelope(v2), /Unsupported envelope version: 2/);
    assert.throws(() => parseEnvelope(good.subarray(0, good.length - 1)), /truncated/);
  });

  test('encodes the context canonically: sorted, length-prefixed, order-insensitive', () => {
    assert.deepEqual(encodeContext({ b: '2', a: '1' }), encodeContext({ a: '1', b: '2' }));
    assert.notDeepEqual(encodeContext({ ab: 'c' }), encodeContext({ a: 'bc' }));
    assert.equal(encodeContext({}).length, 0);
    assert.equal(encodeContext({ a: 'b' }).toString('hex'), '0001' + '0001' + '61' + '0001' + '62');
  });

  test('encodes a context byte for byte as the server binds it', () => {
    for (const ctx of [{}, { department: 'finance', customer_id: 'cust_98765' }, { 'é': 'ü', Z: '', a: 'x'.repeat(300) }]) {
      assert.deepEqual(encodeContext(ctx), encodeEncryptionContext(ctx));
    }
  });
});
