// A SHA-256 (and HMAC-SHA-256) checksum for @smithy/signature-v4 built on node:crypto.

import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

export class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
  reset(): void {}
}
