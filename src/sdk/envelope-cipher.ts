// Envelope encryption for payloads of any size: a fresh data key per message from KMS
// GenerateDataKey (bound to the context), AES-256-GCM locally with the context as AAD too, and
// the encrypted data key kept in the envelope (layout in envelope-format.ts). The plaintext
// data key is zeroed as soon as it is used.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, InvalidCiphertextException } from '@aws-sdk/client-kms';
import type { ContextDefinition, ContextValues, EncryptionContext, FieldSpecs } from './context-definition.ts';
import { toBytes, type ContextCipher, type KmsSender } from './context-cipher.ts';
import { encodeContext, envelopeHeader, EnvelopeFormatError, IV_BYTES, parseEnvelope } from './envelope-format.ts';

/** One answer for every local failure, as KMS gives one: the envelope does not decrypt with this context. */
const invalidCiphertext = (message: string) => new InvalidCiphertextException({ message, $metadata: {} });

export function envelopeCipher<F extends FieldSpecs>(definition: ContextDefinition<F>, kms: KmsSender, keyId: string): ContextCipher<ContextValues<F>> {
  const decryptRaw = async (envelope: Uint8Array, context: EncryptionContext): Promise<Uint8Array> => {
    let parts;
    try {
      parts = parseEnvelope(envelope);
    } catch (err) {
      if (err instanceof EnvelopeFormatError) throw invalidCiphertext(err.message);
      throw err;
    }
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: parts.encryptedDataKey, EncryptionContext: context, KeyId: keyId }));
    const dataKey = out.Plaintext as Uint8Array;
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, parts.iv);
      decipher.setAAD(Buffer.concat([parts.header, encodeContext(context)]));
      decipher.setAuthTag(parts.tag);
      return new Uint8Array(Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]));
    } catch {
      throw invalidCiphertext('Envelope authentication failed');
    } finally {
      dataKey.fill(0);
    }
  };
  const cipher: ContextCipher<ContextValues<F>> = {
    keyId,
    context: (values) => definition.build(values),
    async encrypt(plaintext, values) {
      const context = definition.build(values);
      const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }));
      const dataKey = out.Plaintext as Uint8Array;
      try {
        const iv = randomBytes(IV_BYTES);
        const header = envelopeHeader(out.CiphertextBlob as Uint8Array, iv);
        const c = createCipheriv('aes-256-gcm', dataKey, iv);
        c.setAAD(Buffer.concat([header, encodeContext(context)]));
        const body = Buffer.concat([c.update(toBytes(plaintext)), c.final()]);
        return new Uint8Array(Buffer.concat([header, body, c.getAuthTag()]));
      } finally {
        dataKey.fill(0);
      }
    },
    decrypt: async (envelope, values) => decryptRaw(envelope, definition.build(values)),
    decryptText: async (envelope, values) => new TextDecoder().decode(await cipher.decrypt(envelope, values)),
    decryptWithRawContext: decryptRaw,
  };
  return cipher;
}
