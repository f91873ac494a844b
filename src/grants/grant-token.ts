// Grant tokens: opaque, non-secret base64 strings that name a grant, so a request can use (or
// RetireGrant can find) a grant by token. Every CreateGrant returns a fresh token, even when a
// Name retry returns an existing grant, as AWS does.
//
// Layout (45 bytes, then standard base64):
//   0   1  format version 0x01
//   1  32  grant id (the 64 hex characters as bytes)
//   33  8  random nonce
//   41  4  first 4 bytes of SHA-256 over bytes 0..40 (detects a mangled token)

import { createHash } from 'node:crypto';
import { KontextError } from '../errors.ts';

const VERSION = 0x01;
const LENGTH = 45;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const checksum = (body: Buffer): Buffer => createHash('sha256').update(body).digest().subarray(0, 4);

export function encodeGrantToken(grantId: string, nonce: Buffer): string {
  const body = Buffer.concat([Buffer.from([VERSION]), Buffer.from(grantId, 'hex'), nonce.subarray(0, 8)]);
  return Buffer.concat([body, checksum(body)]).toString('base64');
}

/** The grant id a token names, or undefined when it is not one of our tokens. */
export function grantIdOfToken(token: string): string | undefined {
  if (token.length !== 60 || !BASE64.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64');
  if (bytes.length !== LENGTH || bytes[0] !== VERSION) return undefined;
  if (!checksum(bytes.subarray(0, 41)).equals(bytes.subarray(41))) return undefined;
  return bytes.subarray(1, 33).toString('hex');
}

export const invalidGrantToken = (): KontextError => new KontextError('InvalidGrantTokenException', 'The grant token is not valid', 'the token is malformed or was not issued by this service');

/** Checks every token of a request (GrantTokens); throws InvalidGrantTokenException on the first bad one. */
export function checkGrantTokens(tokens: readonly string[] | undefined): void {
  if (!tokens) return;
  for (const t of tokens) if (grantIdOfToken(t) === undefined) throw invalidGrantToken();
}

export const isGrantId = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);
