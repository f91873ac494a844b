// Shared by the SigV4 tests (sigv4.test.ts, sigv4-refusals.test.ts): requests signed by
// @smithy/signature-v4 — the signer every AWS JS SDK uses — as node would hand them to the server.

import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { escapeUri } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import { KontextError, type ErrorCode } from '../errors.ts';
import { SigningKeyCache } from './signing-key-cache.ts';
import { parseSigV4, verifySigV4, type ParsedSigV4, type SignedRequest } from './sigv4.ts';

export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
export const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
export const SIGNED_AT = new Date('2022-08-30T12:00:00Z');
export const HOST = 'kms.us-east-1.amazonaws.com';

/** node:crypto behind smithy's hash interface, so the oracle needs no extra dependency. */
export class NodeSha256 {
  readonly #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

export function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export interface Unsigned {
  method: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

export interface SignOptions {
  service?: string;
  region?: string;
  secret?: string;
  sessionToken?: string;
  date?: Date;
  applyChecksum?: boolean;
}

export function signer(opts: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: opts.secret ?? SECRET,
      ...(opts.sessionToken === undefined ? {} : { sessionToken: opts.sessionToken }),
    },
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'kms',
    sha256: NodeSha256,
    applyChecksum: opts.applyChecksum ?? false,
  });
}

export function httpRequest(u: Unsigned): HttpRequest {
  return {
    method: u.method,
    protocol: 'https:',
    hostname: HOST,
    path: u.path ?? '/',
    query: u.query ?? {},
    headers: { host: HOST, ...u.headers },
    body: u.body,
  };
}

/** The request as node would hand it over: raw URL, lowercase header names, body bytes. */
export function received(req: HttpRequest): SignedRequest {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(req.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(v === null ? escapeUri(name) : `${escapeUri(name)}=${escapeUri(v)}`);
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  return {
    method: req.method,
    rawUrl: req.path + (parts.length > 0 ? '?' + parts.join('&') : ''),
    headers,
    body: Buffer.from(typeof req.body === 'string' ? req.body : ''),
  };
}

export async function signed(u: Unsigned, opts: SignOptions = {}): Promise<SignedRequest> {
  const req = await signer(opts).sign(httpRequest(u), { signingDate: opts.date ?? SIGNED_AT });
  return received(req);
}

export async function presigned(u: Unsigned, expiresIn: number, opts: SignOptions = {}): Promise<SignedRequest> {
  const req = await signer(opts).presign(httpRequest(u), { signingDate: opts.date ?? SIGNED_AT, expiresIn });
  return received(req);
}

export function accept(req: SignedRequest, now = SIGNED_AT, secret = SECRET, cache = new SigningKeyCache()): ParsedSigV4 {
  const parsed = parseSigV4(req, { now });
  verifySigV4(req, parsed, secret, { cache });
  return parsed;
}

export function refuses(fn: () => unknown, code: ErrorCode, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KontextError, `expected KontextError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
}

export const kmsEncrypt = (): Unsigned => ({
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'TrentService.Encrypt',
  },
  body: JSON.stringify({
    KeyId: 'alias/finance',
    Plaintext: Buffer.from('account 4711').toString('base64'),
    EncryptionContext: { department: 'finance', customer_id: 'cust_98765' },
  }),
});

export const withHeader = (req: SignedRequest, name: string, value: string | undefined): SignedRequest => ({
  ...req,
  headers: { ...req.headers, [name]: value },
});

export const authorizationOf = (req: SignedRequest): string => req.headers['authorization'] as string;

