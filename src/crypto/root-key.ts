// The root of trust: wraps everything secret at rest (key material, signing keys, secret access
// keys) with AES-256-GCM under a 256-bit root key that never leaves the process.
// Wrapped layout: 0x01 | iv(12) | ciphertext | tag(16); the caller's label is the AAD, so a
// wrapped value cannot be moved to another record.

import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const WRAP_V1 = 0x01;
const FINGERPRINT_LABEL = 'kontext:root-key-fingerprint:v1';

export class RootKey {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('Root key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  /**
   * Names the key without revealing it: the first 16 bytes of HMAC-SHA256(key, a fixed label), in
   * hex. Two places holding the same key show the same fingerprint.
   */
  fingerprint(): string {
    return createHmac('sha256', this.#key).update(FINGERPRINT_LABEL).digest().subarray(0, 16).toString('hex');
  }

  wrap(secret: Buffer, label: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(label, 'utf8'));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([Buffer.from([WRAP_V1]), iv, body, cipher.getAuthTag()]);
  }

  unwrap(wrapped: Buffer, label: string): Buffer {
    if (wrapped.length < 29 || wrapped[0] !== WRAP_V1) throw new Error(`Cannot unwrap secret: unknown format for ${label}`);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, wrapped.subarray(1, 13));
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
    return Buffer.concat([decipher.update(wrapped.subarray(13, wrapped.length - 16)), decipher.final()]);
  }
}
