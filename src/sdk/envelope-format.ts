// The envelope format of envelopeCipher, version 1. Self-describing: the KMS-encrypted data key
// travels inside, so decrypt needs only the context values.
//
//   offset      bytes  field
//   0           3      magic "KXE" (0x4B 0x58 0x45)
//   3           1      format version 0x01
//   4           2      L, length of the encrypted data key (big-endian)
//   6           L      the data key as KMS GenerateDataKey returned it (CiphertextBlob)
//   6+L         12     AES-GCM IV (random)
//   18+L        n      AES-256-GCM ciphertext of the payload
//   18+L+n      16     GCM tag
//
// AAD = bytes [0, 18+L) (everything before the ciphertext) followed by the canonical encoding of
// the encryption context: uint16 pair count, then per pair sorted by the UTF-8 bytes of the key,
// uint16 key length, key, uint16 value length, value (the encoding Kontext binds on the server).
// The same context is also given to KMS for the data key, so a wrong context fails at KMS before
// any local decryption.

import type { EncryptionContext } from './context-definition.ts';

export const ENVELOPE_MAGIC = Buffer.from('KXE', 'latin1');
export const ENVELOPE_VERSION = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const FIXED_HEADER = ENVELOPE_MAGIC.length + 1 + 2;

export interface EnvelopeParts {
  readonly header: Buffer;
  readonly encryptedDataKey: Buffer;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export function envelopeHeader(encryptedDataKey: Uint8Array, iv: Uint8Array): Buffer {
  if (encryptedDataKey.length === 0 || encryptedDataKey.length > 0xffff) throw new RangeError(`Encrypted data key length out of range: ${encryptedDataKey.length}`);
  const prefix = Buffer.alloc(FIXED_HEADER);
  ENVELOPE_MAGIC.copy(prefix, 0);
  prefix.writeUInt8(ENVELOPE_VERSION, 3);
  prefix.writeUInt16BE(encryptedDataKey.length, 4);
  return Buffer.concat([prefix, encryptedDataKey, iv]);
}

/** Why an envelope could not be parsed (never reveals anything secret). */
export class EnvelopeFormatError extends Error {
  override readonly name = 'EnvelopeFormatError';
}

/** Splits an envelope, checking magic, version and lengths before any cryptography. */
export function parseEnvelope(bytes: Uint8Array): EnvelopeParts {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < FIXED_HEADER || !b.subarray(0, 3).equals(ENVELOPE_MAGIC)) throw new EnvelopeFormatError('Not a Kontext envelope: bad magic');
  const version = b.readUInt8(3);
  if (version !== ENVELOPE_VERSION) throw new EnvelopeFormatError(`Unsupported envelope version: ${version}`);
  const keyLength = b.readUInt16BE(4);
  const headerLength = FIXED_HEADER + keyLength + IV_BYTES;
  if (keyLength === 0 || b.length < headerLength + TAG_BYTES) throw new EnvelopeFormatError('Envelope is truncated');
  return {
    header: b.subarray(0, headerLength),
    encryptedDataKey: b.subarray(FIXED_HEADER, FIXED_HEADER + keyLength),
    iv: b.subarray(FIXED_HEADER + keyLength, headerLength),
    ciphertext: b.subarray(headerLength, b.length - TAG_BYTES),
    tag: b.subarray(b.length - TAG_BYTES),
  };
}

/** The canonical, unambiguous encoding of a context (order-insensitive, case-sensitive). */
export function encodeContext(context: EncryptionContext): Buffer {
  const pairs = Object.entries(context).map(([k, v]) => [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const);
  if (pairs.length === 0) return Buffer.alloc(0);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  const parts: Buffer[] = [u16(pairs.length)];
  for (const [k, v] of pairs) parts.push(u16(k.length), k, u16(v.length), v);
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  if (n > 0xffff) throw new RangeError(`Encryption context entry too long: ${n} bytes`);
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
