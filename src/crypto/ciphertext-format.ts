// The versioned, self-describing ciphertext blob of symmetric KMS keys.
// Format checks (length, version byte) run before any cryptography; parsers for every older
// format stay here so that old ciphertexts always decrypt.
//
// Format v1 (all integers big-endian):
//   offset  size  field
//   0       1     format version = 0x01
//   1       16    key id (the key's UUID, 16 raw bytes)
//   17      4     backing-key version (uint32, 1-based)
//   21      32    per-message nonce: HKDF salt for the derived data-encryption key
//   53      12    AES-GCM IV
//   65      n     AES-256-GCM ciphertext
//   65+n    16    AES-GCM tag
// The first 65 bytes (the header) are authenticated as AAD together with the encoded context.

export const FORMAT_V1 = 0x01;
export const V1_HEADER_BYTES = 65;
export const TAG_BYTES = 16;
export const NONCE_BYTES = 32;
export const IV_BYTES = 12;

export interface CiphertextHeader {
  readonly formatVersion: number;
  readonly keyId: string;
  readonly keyVersion: number;
  readonly nonce: Buffer;
  readonly iv: Buffer;
  /** The header bytes exactly as they appear in the blob (authenticated as AAD). */
  readonly raw: Buffer;
}

export interface ParsedCiphertext {
  readonly header: CiphertextHeader;
  readonly body: Buffer;
  readonly tag: Buffer;
}

export function uuidToBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function bytesToUuid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function buildHeaderV1(keyId: string, keyVersion: number, nonce: Buffer, iv: Buffer): Buffer {
  const header = Buffer.allocUnsafe(V1_HEADER_BYTES);
  header[0] = FORMAT_V1;
  uuidToBytes(keyId).copy(header, 1);
  header.writeUInt32BE(keyVersion, 17);
  nonce.copy(header, 21);
  iv.copy(header, 53);
  return header;
}

/** Parses a blob; returns undefined for anything that is not a well-formed ciphertext. */
export function parseCiphertext(blob: Buffer): ParsedCiphertext | undefined {
  if (blob.length < 1) return undefined;
  switch (blob[0]) {
    case FORMAT_V1: {
      if (blob.length < V1_HEADER_BYTES + TAG_BYTES + 1) return undefined;
      const keyVersion = blob.readUInt32BE(17);
      if (keyVersion < 1) return undefined;
      const raw = blob.subarray(0, V1_HEADER_BYTES);
      return {
        header: {
          formatVersion: FORMAT_V1,
          keyId: bytesToUuid(blob.subarray(1, 17)),
          keyVersion,
          nonce: blob.subarray(21, 53),
          iv: blob.subarray(53, 65),
          raw,
        },
        body: blob.subarray(V1_HEADER_BYTES, blob.length - TAG_BYTES),
        tag: blob.subarray(blob.length - TAG_BYTES),
      };
    }
    default:
      return undefined;
  }
}
