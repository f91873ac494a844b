// SigV4 signing-key derivation and a bounded cache of derived keys, so the four chained HMACs run
// once per credential, day, region and service rather than on every request.

import { createHmac, hash } from 'node:crypto';

export const DEFAULT_SIGNING_KEY_CACHE_ENTRIES = 10_000;

/**
 * The SigV4 signing key: HMAC-SHA256 chained over the scope, starting from "AWS4" + secret.
 * Valid for one day, region and service, which is what makes caching it safe.
 */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export interface SigningKeyCacheOptions {
  /** Entries kept before the oldest is evicted. */
  maxEntries?: number;
}

/**
 * Derived signing keys by entry id. Callers look up with `entryId()` + `get()` and store with
 * `set()` only once the key has produced a matching signature, so requests that merely name a
 * valid access key (which is not secret) cannot churn the cache with made-up regions or services.
 */
export class SigningKeyCache {
  readonly #maxEntries: number;
  // Map iteration follows insertion order, so the first key is always the oldest entry.
  readonly #keys = new Map<string, Buffer>();

  constructor(options: SigningKeyCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_SIGNING_KEY_CACHE_ENTRIES;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`Invalid signing key cache size: ${maxEntries} is not a positive integer`);
    }
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#keys.size;
  }

  /**
   * The cache key for one credential and scope. It carries a SHA-256 of the access key id and
   * secret, never the secret itself, so the map holds nothing a heap dump could sign with; and
   * because the secret is part of it, a wrong or replaced secret never finds another secret's key.
   */
  entryId(
    accessKeyId: string,
    secretAccessKey: string,
    date: string,
    region: string,
    service: string,
  ): string {
    const credential = hash('sha256', accessKeyId + '\n' + secretAccessKey, 'base64');
    return date + '/' + region + '/' + service + '/' + credential;
  }

  get(entryId: string): Buffer | undefined {
    return this.#keys.get(entryId);
  }

  set(entryId: string, signingKey: Buffer): void {
    if (this.#keys.has(entryId)) return;
    if (this.#keys.size >= this.#maxEntries) {
      const oldest = this.#keys.keys().next();
      if (oldest.done !== true) this.#keys.delete(oldest.value);
    }
    this.#keys.set(entryId, signingKey);
  }

  clear(): void {
    this.#keys.clear();
  }
}
