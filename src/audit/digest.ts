// Signed digests, modelled on CloudTrail log-file integrity validation: each digest seals a range
// of the event chain (its chain hash), names where the retained trail starts, and chains to the
// previous digest's hash and signature. The signature (SHA256withRSA) covers
// `digestEndTime \n digestName \n hex(SHA-256(digest JSON)) \n previous signature (hex) or "null"`.

import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { sha256Hex } from './hash-chain.ts';

export const DIGEST_SIGNATURE_ALGORITHM = 'SHA256withRSA';

export type DigestReason = 'interval' | 'count' | 'shutdown' | 'startup' | 'retention' | 'request';

export interface DigestContent {
  readonly digestVersion: '1.0';
  readonly awsAccountId: string;
  readonly digestName: string;
  readonly digestNumber: number;
  readonly digestStartTime: string;
  readonly digestEndTime: string;
  readonly digestReason: DigestReason;
  readonly digestPublicKeyFingerprint: string;
  readonly digestSignatureAlgorithm: typeof DIGEST_SIGNATURE_ALGORITHM;
  readonly previousDigestName: string | null;
  readonly previousDigestHashValue: string | null;
  readonly previousDigestHashAlgorithm: 'SHA-256';
  readonly previousDigestSignature: string | null;
  /** The first event of the retained trail (earlier ones were removed by retention). */
  readonly trailStartSequence: number;
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly eventCount: number;
  readonly oldestEventTime: string | null;
  readonly newestEventTime: string | null;
  /** Chain hash of the event before `firstSequence`, and of `lastSequence` (hex). */
  readonly previousChainHash: string;
  readonly chainHash: string;
  readonly chainHashAlgorithm: 'SHA-256';
}

export interface AuditSigner {
  readonly fingerprint: string;
  /** Hex signature of the UTF-8 bytes of `data`. */
  sign(data: string): string;
}

export const digestName = (number: number, endTimeMs: number): string =>
  `kontext-digest-${String(number).padStart(8, '0')}-${new Date(endTimeMs).toISOString().replace(/[-:]|\.\d{3}/g, '')}`;

export function digestSigningString(content: Pick<DigestContent, 'digestEndTime' | 'digestName' | 'previousDigestSignature'>, body: string): string {
  return `${content.digestEndTime}\n${content.digestName}\n${sha256Hex(body)}\n${content.previousDigestSignature ?? 'null'}`;
}

export interface SignedDigest {
  readonly content: DigestContent;
  readonly body: string;
  readonly signature: string;
}

export function signDigest(content: DigestContent, signer: AuditSigner): SignedDigest {
  const body = JSON.stringify(content);
  return { content, body, signature: signer.sign(digestSigningString(content, body)) };
}

/** True when `signature` (hex) is valid for the digest body under `publicKey`. */
export function digestSignatureValid(body: string, content: DigestContent, signature: string, publicKey: KeyObject): boolean {
  if (!/^[0-9a-f]+$/i.test(signature) || signature.length % 2 !== 0) return false;
  return verifySignature('sha256', Buffer.from(digestSigningString(content, body), 'utf8'), publicKey, Buffer.from(signature, 'hex'));
}

/** Hex SHA-256 of the DER SubjectPublicKeyInfo. */
export const publicKeyFingerprint = (spkiDer: Buffer): string => createHash('sha256').update(spkiDer).digest('hex');

export const publicKeyFromDer = (spkiDer: Buffer): KeyObject => createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
