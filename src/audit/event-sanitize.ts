// Keeps secrets and oversize values out of audit events: drops fields whose names mark them as
// secret or binary, and truncates strings and documents to CloudTrail's documented limits.

/** Field names (lowercased, non-alphanumerics removed) that never reach the trail. */
const SECRET_NAME_PARTS = ['plaintext', 'ciphertextblob', 'ciphertextforrecipient', 'secretaccesskey', 'sessiontoken', 'password', 'privatekey', 'keymaterial', 'importtoken'];

/** Maps that hold non-secret, caller-chosen names (encryption context): never scrubbed by key name. */
const OPAQUE_MAPS = new Set(['encryptioncontext', 'sourceencryptioncontext', 'destinationencryptioncontext', 'encryptioncontextsubset', 'encryptioncontextequals', 'encryptioncontextfilter', 'tags']);

const normalizeName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Field names repeat on every event (the operations' own parameters): normalized once each, bounded. */
const normalized = new Map<string, string>();
const normalize = (name: string): string => {
  let n = normalized.get(name);
  if (n === undefined) {
    if (normalized.size >= 2048) normalized.clear();
    normalized.set(name, (n = normalizeName(name)));
  }
  return n;
};

export const isSecretFieldName = (name: string): boolean => {
  const n = normalize(name);
  return SECRET_NAME_PARTS.some((part) => n.includes(part));
};

/**
 * Returns a copy of `value` without secret-named fields and binary values; `dropped` collects the
 * paths removed so the event can say that something was withheld (never what).
 */
export function scrubSecrets(value: unknown, path: string, dropped: string[], opaque = false): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') {
      dropped.push(path);
      return undefined;
    }
    return value;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    dropped.push(path);
    return undefined;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v, i) => scrubSecrets(v, `${path}[${i}]`, dropped));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path ? `${path}.${k}` : k;
    if (!opaque && isSecretFieldName(k)) {
      dropped.push(childPath);
      continue;
    }
    const child = scrubSecrets(v, childPath, dropped, !opaque && OPAQUE_MAPS.has(normalize(k)) && typeof v === 'object' && !Array.isArray(v));
    if (child !== undefined) defineField(out, k, child);
  }
  return out;
}

/** Assigns even a `__proto__` key as an own property, so caller-chosen names survive intact. */
function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * An upper bound on the UTF-8 length of JSON.stringify(value), computed without building it (a
 * UTF-16 unit never takes more than 6 bytes: a six-character `\u` escape); stops counting past `limit`.
 */
function jsonBytesBound(value: unknown, limit: number): number {
  if (typeof value === 'string') return 2 + 6 * value.length;
  if (value === null || typeof value !== 'object') return 24;
  let total = 2;
  if (Array.isArray(value)) {
    for (const v of value) {
      total += 1 + jsonBytesBound(v, limit - total);
      if (total > limit) return total;
    }
    return total;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    total += 4 + 6 * k.length + jsonBytesBound(v, limit - total);
    if (total > limit) return total;
  }
  return total;
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s;
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= maxBytes) return s;
  let end = maxBytes;
  // Step back over continuation bytes (bytes whose top two bits are 10) to a character boundary.
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

const LONG_STRING_BYTES = 1024;

function truncateStrings(value: unknown): unknown {
  if (typeof value === 'string') return truncateUtf8(value, LONG_STRING_BYTES);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(truncateStrings);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) defineField(out, truncateUtf8(k, LONG_STRING_BYTES), truncateStrings(v));
  return out;
}

/**
 * Fits a document into `maxBytes` of JSON: first by shortening long strings (keeping the shape,
 * so the encryption context stays queryable), then by keeping only its top-level scalars.
 */
export function fitDocument(doc: Record<string, unknown>, maxBytes: number): { doc: Record<string, unknown>; truncated: boolean } {
  // The usual request is far below the limit: tell without serializing it.
  if (jsonBytesBound(doc, maxBytes) <= maxBytes || Buffer.byteLength(JSON.stringify(doc), 'utf8') <= maxBytes) return { doc, truncated: false };
  const shortened = truncateStrings(doc) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(shortened), 'utf8') <= maxBytes) return { doc: shortened, truncated: true };
  const scalars: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(shortened)) {
    if (v === null || typeof v !== 'object') defineField(scalars, k, v);
  }
  if (Buffer.byteLength(JSON.stringify(scalars), 'utf8') <= maxBytes) return { doc: scalars, truncated: true };
  return { doc: {}, truncated: true };
}
