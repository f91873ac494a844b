// Fixed ciphertexts from earlier releases: every format we ever wrote must keep decrypting.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCiphertext } from './ciphertext-format.ts';
import { open } from './symmetric.ts';
import { encodeEncryptionContext } from './encryption-context.ts';

// Format v1, written by Kontext 0.1.0: backing key = 32 bytes of 0x42, key version 2.
const V1_FIXTURE =
  'ARI0q80SqzTNVu8SNFZ4kKsAAAACnxrg73p93hgvWPcY8Ba5Y/YLA1gOddKa2L1Enr/u11aP50AeKC5u6GMoccOH0a524UI1vsOPbmK208SONpS+TBhHB46owcXU5rgepPJR';

test('format v1 fixture still parses and decrypts with its context', () => {
  const parsed = parseCiphertext(Buffer.from(V1_FIXTURE, 'base64'));
  assert.ok(parsed);
  assert.equal(parsed.header.formatVersion, 1);
  assert.equal(parsed.header.keyId, '1234abcd-12ab-34cd-56ef-1234567890ab');
  assert.equal(parsed.header.keyVersion, 2);
  const plaintext = open(parsed, Buffer.alloc(32, 0x42), encodeEncryptionContext({ customer_id: 'cust_98765', department: 'finance' }));
  assert.equal(plaintext?.toString(), 'kontext fixture v1');
});

test('format v1 fixture does not decrypt with another context', () => {
  const parsed = parseCiphertext(Buffer.from(V1_FIXTURE, 'base64'));
  assert.ok(parsed);
  assert.equal(open(parsed, Buffer.alloc(32, 0x42), encodeEncryptionContext({ department: 'finance' })), undefined);
});
