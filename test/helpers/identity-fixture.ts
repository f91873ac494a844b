// An in-memory identity stack for unit tests: `:memory:` SQLite, a random root key, the credential
// resolver and the identity service with the policy engine's rules, plus a SigV4 request signer.

import { createHash, createHmac, randomBytes, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { RootKey } from '../../src/crypto/root-key.ts';
import { CredentialResolver } from '../../src/identity/credential-resolver.ts';
import { IdentityService } from '../../src/identity/identity-service.ts';
import { policyEngineRules } from '../../src/identity/policy-rules.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

export const ACCOUNT = '123456789012';

const bytes = (data: SourceData): Uint8Array =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/** node:crypto behind smithy's checksum interface. */
export class Sha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {}
}

export interface IdentityFixture {
  readonly store: SqliteStore;
  readonly root: RootKey;
  readonly resolver: CredentialResolver;
  readonly identity: IdentityService;
  close(): Promise<void>;
}

export function identityFixture(options: { ttlMs?: number } = {}): IdentityFixture {
  const store = openSqliteStore(':memory:');
  const root = new RootKey(randomBytes(32));
  const resolver = new CredentialResolver(store.identity, root, options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs });
  const identity = new IdentityService(store.identity, root, randomBytes, resolver, policyEngineRules());
  return { store, root, resolver, identity, close: () => store.close() };
}

export interface SignOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region?: string;
  readonly service?: string;
  readonly body?: string;
  readonly signingDate?: Date;
  readonly headers?: Record<string, string>;
}

/** A signed request as the authenticator receives it (lowercase header names, raw URL, body). */
export async function signedRequest(o: SignOptions) {
  const signer = new SignatureV4({
    service: o.service ?? 'kms',
    region: o.region ?? 'us-east-1',
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey, ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}) },
    sha256: Sha256,
  });
  const body = o.body ?? '{}';
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4599,
      path: '/',
      headers: { host: '127.0.0.1:4599', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys', ...o.headers },
      body,
    },
    o.signingDate ? { signingDate: o.signingDate } : {},
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = String(v);
  return { method: 'POST', rawUrl: '/', headers, body: Buffer.from(body), sourceIp: '127.0.0.1' };
}
