// End-to-end: kontext/sdk (imported by its package name, as applications import it) against a
// real server process with the real @aws-sdk/client-kms.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateKeyCommand, EncryptCommand, InvalidCiphertextException, KMSClient } from '@aws-sdk/client-kms';
import { assertContextBound, ContextFieldError, defineContext, parseEnvelope, type ContextCipher } from 'kontext/sdk';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
let kms: KMSClient;
let keyId: string;
let otherKeyId: string;

const Order = defineContext({
  fields: { tenant_id: { type: 'string', pattern: /^t_/ }, order_id: 'string' },
  fixed: { purpose: 'order-notes' },
});
const sample = { tenant_id: 't_acme', order_id: 'o_1001' };

const bytes = (p: string | Uint8Array) => (typeof p === 'string' ? new TextEncoder().encode(p) : p);
const rejectsWith = (name: string) => (err: Error) => {
  assert.equal(err.name, name, err.message);
  return true;
};

before(async () => {
  server = await startServerProcess();
  kms = new KMSClient(server.clientConfig());
  keyId = (await kms.send(new CreateKeyCommand({ Description: 'sdk e2e' }))).KeyMetadata!.KeyId!;
  otherKeyId = (await kms.send(new CreateKeyCommand({ Description: 'sdk e2e other' }))).KeyMetadata!.KeyId!;
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  server?.cleanup();
});

describe('encryptor (KMS Encrypt/Decrypt)', () => {
  test('round-trips text with the declared context', async () => {
    const orders = Order.encryptor(kms, keyId);
    const blob = await orders.encrypt('leave at the back door', sample);
    assert.equal(await orders.decryptText(blob, { order_id: 'o_1001', tenant_id: 't_acme' }), 'leave at the back door');
  });

  test('the ciphertext is bound to the full context, fixed pairs included, as raw KMS sees it', async () => {
    const blob = await Order.encryptor(kms, keyId).encrypt('x', sample);
    const { DecryptCommand } = await import('@aws-sdk/client-kms');
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { tenant_id: 't_acme', order_id: 'o_1001', purpose: 'order-notes' } }));
    assert.equal(new TextDecoder().decode(out.Plaintext), 'x');
  });

  test('decrypt with another tenant fails with InvalidCiphertextException', async () => {
    const orders = Order.encryptor(kms, keyId);
    const blob = await orders.encrypt('secret', sample);
    await assert.rejects(orders.decrypt(blob, { ...sample, tenant_id: 't_globex' }), rejectsWith('InvalidCiphertextException'));
    await assert.rejects(orders.decrypt(blob, { ...sample, tenant_id: 't_globex' }), InvalidCiphertextException);
  });

  test('a missing or malformed field fails before any request, with every issue listed', async () => {
    const orders = Order.encryptor(kms, keyId);
    // @ts-expect-error order_id missing
    await assert.rejects(orders.encrypt('x', { tenant_id: 't_acme' }), (err: unknown) => err instanceof ContextFieldError && err.issues[0]?.code === 'missing');
    await assert.rejects(orders.encrypt('x', { tenant_id: 'acme', order_id: 'o' }), /tenant_id' does not match/);
  });

  test('a ciphertext of another key is refused even with the right context', async () => {
    const blob = await Order.encryptor(kms, otherKeyId).encrypt('x', sample);
    await assert.rejects(Order.encryptor(kms, keyId).decrypt(blob, sample), rejectsWith('IncorrectKeyException'));
  });

  test('assertContextBound passes for the encryptor and reports every variant it tried', async () => {
    const report = await assertContextBound(Order.encryptor(kms, keyId), sample);
    const variants = report.checks.map((c) => c.variant);
    for (const v of ['changed tenant_id', 'changed order_id', 'changed purpose', 'removed tenant_id', 'removed purpose', 'added extra key', 'no context', 're-cased key tenant_id']) {
      assert.ok(variants.includes(v), `missing variant ${v}`);
    }
    assert.ok(report.checks.every((c) => c.outcome === 'refused'));
  });
});

describe('assertContextBound on a broken binding', () => {
  test('reports each variant that still decrypts when encrypt forgot the context', async () => {
    const proper = Order.encryptor(kms, keyId);
    // A hand-written cipher with the classic bug: it encrypts without any context.
    const broken: ContextCipher<typeof sample> = {
      ...proper,
      async encrypt(plaintext) {
        const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes(plaintext) }));
        return out.CiphertextBlob!;
      },
      decrypt: (blob) => proper.decryptWithRawContext(blob, {}),
    };
    await assert.rejects(assertContextBound(broken, sample), (err: Error) => {
      assert.equal(err.name, 'AssertionError');
      assert.match(err.message, /not bound/);
      assert.match(err.message, /no context: decrypted/);
      return true;
    });
  });

  test('reports a binding that ignores one field', async () => {
    const proper = Order.encryptor(kms, keyId);
    // Binds only tenant_id: decrypting with a changed order_id must be caught.
    const partial: ContextCipher<typeof sample> = {
      ...proper,
      context: (v) => ({ ...proper.context(v) }),
      async encrypt(plaintext, v) {
        const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes(plaintext), EncryptionContext: { tenant_id: v.tenant_id } }));
        return out.CiphertextBlob!;
      },
      decrypt: (blob, v) => proper.decryptWithRawContext(blob, { tenant_id: v.tenant_id }),
      decryptWithRawContext: (blob, ctx) => proper.decryptWithRawContext(blob, ctx['tenant_id'] === undefined ? ctx : { tenant_id: ctx['tenant_id'] }),
    };
    await assert.rejects(assertContextBound(partial, sample), /changed order_id: decrypted/);
  });
});

describe('envelopeEncryptor (GenerateDataKey + AES-256-GCM)', () => {
  test('round-trips a 1 MB payload under the declared context', async () => {
    const payload = randomBytes(1024 * 1024);
    const files = Order.envelopeEncryptor(kms, keyId);
    const envelope = await files.encrypt(payload, sample);
    assert.ok(envelope.length < payload.length + 512, 'the envelope adds a small header only');
    assert.equal(Buffer.from(envelope.subarray(0, 4)).toString('latin1'), 'KXE\x01');
    assert.ok(parseEnvelope(envelope).encryptedDataKey.length > 0);
    const back = await files.decrypt(envelope, sample);
    assert.ok(Buffer.from(back).equals(payload));
  });

  test('a wrong context fails at KMS, a flipped payload byte fails locally, both as InvalidCiphertextException', async () => {
    const files = Order.envelopeEncryptor(kms, keyId);
    const envelope = await files.encrypt('hello envelope', sample);
    await assert.rejects(files.decrypt(envelope, { ...sample, order_id: 'o_1002' }), rejectsWith('InvalidCiphertextException'));
    const flipped = Uint8Array.from(envelope);
    flipped[flipped.length - 20]! ^= 1;
    await assert.rejects(files.decrypt(flipped, sample), rejectsWith('InvalidCiphertextException'));
    await assert.rejects(files.decrypt(envelope.subarray(0, 10), sample), rejectsWith('InvalidCiphertextException'));
  });

  test('assertContextBound passes for the envelope encryptor', async () => {
    const report = await assertContextBound(Order.envelopeEncryptor(kms, keyId), sample, { plaintext: randomBytes(10_000) });
    assert.ok(report.checks.length >= 8);
  });

  test('the encryptor refuses a payload over 4096 bytes and points to the envelope', async () => {
    await assert.rejects(Order.encryptor(kms, keyId).encrypt(randomBytes(5000), sample), /use envelopeCipher/);
  });
});
