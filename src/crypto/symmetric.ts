// AES-256-GCM under a per-message key derived with HKDF-SHA256 from the backing key and a random
// nonce, so random 96-bit IVs never approach GCM's per-key message limit (as AWS KMS does).

import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { IV_BYTES, NONCE_BYTES, buildHeaderV1, type ParsedCiphertext } from './ciphertext-format.ts';

const INFO = Buffer.from('kontext/v1/aes-256-gcm/data-key', 'utf8');
/** HKDF-Expand's input for the first (and only) output block: info || 0x01. */
const INFO_BLOCK_1 = Buffer.concat([INFO, Buffer.from([1])]);

export type RandomBytes = (size: number) => Buffer;

/**
 * HKDF-SHA256 (RFC 5869) of the backing key, salted with the nonce, 32 bytes: extract then one
 * expand block. The same bytes as hkdfSync('sha256', backingKey, nonce, INFO, 32), at about half
 * the cost: hkdfSync builds a KeyObject and a KDF context per call, and this runs on every
 * Encrypt, Decrypt and GenerateDataKey.
 */
export function deriveKey(backingKey: Buffer, nonce: Buffer): Buffer {
  const prk = createHmac('sha256', nonce).update(backingKey).digest();
  return createHmac('sha256', prk).update(INFO_BLOCK_1).digest();
}

export interface SealInput {
  readonly keyId: string;
  readonly keyVersion: number;
  readonly backingKey: Buffer;
  readonly plaintext: Buffer;
  /** The canonical encoding of the encryption context. */
  readonly aadContext: Buffer;
}

/** Encrypts and returns the complete v1 ciphertext blob. */
export function seal(input: SealInput, random: RandomBytes): Buffer {
  const nonce = random(NONCE_BYTES);
  const iv = random(IV_BYTES);
  const header = buildHeaderV1(input.keyId, input.keyVersion, nonce, iv);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(input.backingKey, nonce), iv);
  cipher.setAAD(input.aadContext.length === 0 ? header : Buffer.concat([header, input.aadContext]));
  const body = cipher.update(input.plaintext);
  const final = cipher.final();
  return Buffer.concat([header, body, final, cipher.getAuthTag()]);
}

/** Decrypts a parsed blob; returns undefined when authentication fails (any reason). */
export function open(parsed: ParsedCiphertext, backingKey: Buffer, aadContext: Buffer): Buffer | undefined {
  const { header } = parsed;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(backingKey, header.nonce), header.iv);
    decipher.setAAD(aadContext.length === 0 ? header.raw : Buffer.concat([header.raw, aadContext]));
    decipher.setAuthTag(parsed.tag);
    const out = decipher.update(parsed.body);
    return Buffer.concat([out, decipher.final()]);
  } catch {
    return undefined;
  }
}
