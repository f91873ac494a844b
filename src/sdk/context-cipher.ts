// Encrypt and decrypt bound to a context definition, with KMS Encrypt/Decrypt (payloads up to
// 4096 bytes). Works against Kontext and AWS KMS alike: it only sends the standard commands.

import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ContextDefinition, ContextValues, EncryptionContext, FieldSpecs } from './context-definition.ts';

/** What a client needs: anything that sends KMS commands (a KMSClient). */
export type KmsSender = Pick<KMSClient, 'send'>;

export type Plaintext = string | Uint8Array;

/** Encryption bound to one kind of context. Decrypt needs the same field values as encrypt. */
export interface ContextCipher<V> {
  readonly keyId: string;
  /** The full encryption context these values stand for. */
  context(values: V): EncryptionContext;
  encrypt(plaintext: Plaintext, values: V): Promise<Uint8Array>;
  decrypt(ciphertext: Uint8Array, values: V): Promise<Uint8Array>;
  decryptText(ciphertext: Uint8Array, values: V): Promise<string>;
  /**
   * Decrypts with exactly this context, bypassing the definition. Only for proving the binding
   * in tests (assertContextBound); application code uses decrypt().
   */
  decryptWithRawContext(ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
}

export const MAX_KMS_PLAINTEXT_BYTES = 4096;

export const toBytes = (p: Plaintext): Uint8Array => (typeof p === 'string' ? new TextEncoder().encode(p) : p);

/** KMS Encrypt/Decrypt under `keyId` (key id, ARN or alias), with the definition's context. */
export function kmsCipher<F extends FieldSpecs>(definition: ContextDefinition<F>, kms: KmsSender, keyId: string): ContextCipher<ContextValues<F>> {
  const decryptRaw = async (ciphertext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> => {
    // KeyId on Decrypt makes KMS refuse a ciphertext of any other key (AWS's recommended practice).
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: context, KeyId: keyId }));
    return out.Plaintext as Uint8Array;
  };
  const cipher: ContextCipher<ContextValues<F>> = {
    keyId,
    context: (values) => definition.build(values),
    async encrypt(plaintext, values) {
      const context = definition.build(values);
      const bytes = toBytes(plaintext);
      if (bytes.length > MAX_KMS_PLAINTEXT_BYTES) {
        throw new RangeError(`Plaintext is ${bytes.length} bytes; KMS Encrypt takes at most ${MAX_KMS_PLAINTEXT_BYTES}: use envelopeCipher for larger payloads`);
      }
      const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes, EncryptionContext: context }));
      return out.CiphertextBlob as Uint8Array;
    },
    decrypt: async (ciphertext, values) => decryptRaw(ciphertext, definition.build(values)),
    decryptText: async (ciphertext, values) => new TextDecoder().decode(await cipher.decrypt(ciphertext, values)),
    decryptWithRawContext: decryptRaw,
  };
  return cipher;
}
