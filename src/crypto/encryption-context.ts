// Encryption context: validation and the canonical, unambiguous byte encoding bound as AAD.
// Layout (after the AWS Encryption SDK's canonical form): uint16 pair count, then for each pair
// sorted by the UTF-8 bytes of its key: uint16 key length, key, uint16 value length, value.
// An empty context encodes to zero bytes, so `{}` and an absent context are the same context.

import { KontextError } from '../errors.ts';

export type EncryptionContext = Readonly<Record<string, string>>;

/** Our documented limit: the encoded context may not exceed 8 KiB (AWS documents none). */
export const MAX_ENCODED_CONTEXT_BYTES = 8192;

const EMPTY = Buffer.alloc(0);

const compareBytes = (a: Buffer, b: Buffer): number => Buffer.compare(a, b);

/**
 * Encodes a context canonically. Throws ValidationException when the encoding exceeds the limit.
 * The field name is the wire name used in the error message (e.g. `encryptionContext`).
 */
export function encodeEncryptionContext(context: EncryptionContext | undefined, field = 'encryptionContext'): Buffer {
  if (context === undefined) return EMPTY;
  const keys = Object.keys(context);
  if (keys.length === 0) return EMPTY;
  const pairs: Array<[Buffer, Buffer]> = [];
  let size = 2;
  for (const key of keys) {
    const k = Buffer.from(key, 'utf8');
    const v = Buffer.from(context[key] as string, 'utf8');
    size += 4 + k.length + v.length;
    pairs.push([k, v]);
  }
  if (size > MAX_ENCODED_CONTEXT_BYTES) {
    throw new KontextError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Encoded encryption context must be at most ${MAX_ENCODED_CONTEXT_BYTES} bytes`,
    );
  }
  if (pairs.length > 1) pairs.sort((a, b) => compareBytes(a[0], b[0]));
  const out = Buffer.allocUnsafe(size);
  let offset = out.writeUInt16BE(pairs.length, 0);
  for (const [k, v] of pairs) {
    offset = out.writeUInt16BE(k.length, offset);
    offset += k.copy(out, offset);
    offset = out.writeUInt16BE(v.length, offset);
    offset += v.copy(out, offset);
  }
  return out;
}

/** True when two contexts are the same context (order-insensitive, case-sensitive). */
export function sameEncryptionContext(a: EncryptionContext | undefined, b: EncryptionContext | undefined): boolean {
  const ak = a ? Object.keys(a) : [];
  const bk = b ? Object.keys(b) : [];
  if (ak.length !== bk.length) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || (b as EncryptionContext)[k] !== (a as EncryptionContext)[k]) return false;
  }
  return true;
}
