// The digest signing key: RSA-2048 generated on first start, its private half kept only wrapped
// under the root key (the label binds it to its public key's fingerprint), its public half stored
// in the clear so verification works offline without the root key.

import { createPrivateKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { RootKey } from '../crypto/root-key.ts';
import type { MetaRepository } from '../store/store.ts';
import { DIGEST_SIGNATURE_ALGORITHM, publicKeyFingerprint, publicKeyFromDer, type AuditSigner } from './digest.ts';

const META_NAME = 'audit_signing_key';

interface StoredSigningKey {
  readonly algorithm: typeof DIGEST_SIGNATURE_ALGORITHM;
  /** DER SubjectPublicKeyInfo, base64. */
  readonly publicKey: string;
  readonly fingerprint: string;
  /** PKCS#8 DER wrapped under the root key, base64. */
  readonly wrappedPrivateKey: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

export interface AuditPublicKey {
  readonly algorithm: typeof DIGEST_SIGNATURE_ALGORITHM;
  readonly der: Buffer;
  readonly fingerprint: string;
  readonly key: KeyObject;
  readonly createdAt: number;
}

const wrapLabel = (fingerprint: string): string => `kontext:audit-signing-key:${fingerprint}`;

const generateRsa = promisify(generateKeyPair);

function parseStored(text: string): StoredSigningKey {
  const stored = JSON.parse(text) as StoredSigningKey;
  if (stored.algorithm !== DIGEST_SIGNATURE_ALGORITHM) throw new Error(`Unsupported audit signing key algorithm: '${String(stored.algorithm)}'`);
  return stored;
}

function toPublicKey(stored: StoredSigningKey): AuditPublicKey {
  const der = Buffer.from(stored.publicKey, 'base64');
  const fingerprint = publicKeyFingerprint(der);
  if (fingerprint !== stored.fingerprint) throw new Error('The stored audit public key does not match its fingerprint');
  return { algorithm: stored.algorithm, der, fingerprint, key: publicKeyFromDer(der), createdAt: stored.createdAt };
}

/** The audit public key as stored, or undefined before the first server start with auditing on. */
export async function readAuditPublicKey(meta: Pick<MetaRepository, 'get'>): Promise<AuditPublicKey | undefined> {
  const text = await meta.get(META_NAME);
  return text === undefined ? undefined : toPublicKey(parseStored(text));
}

/** Loads the signing key, generating and storing it on first use. */
export async function loadAuditSigner(meta: MetaRepository, rootKey: RootKey, now: () => number): Promise<AuditSigner & { readonly publicKey: AuditPublicKey }> {
  let text = await meta.get(META_NAME);
  if (text === undefined) {
    const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const fingerprint = publicKeyFingerprint(der);
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    const stored: StoredSigningKey = {
      algorithm: DIGEST_SIGNATURE_ALGORITHM,
      publicKey: der.toString('base64'),
      fingerprint,
      wrappedPrivateKey: rootKey.wrap(pkcs8, wrapLabel(fingerprint)).toString('base64'),
      createdAt: now(),
    };
    pkcs8.fill(0);
    // Two starts racing on a fresh data directory keep whichever key was stored first.
    text = await meta.putIfAbsent(META_NAME, JSON.stringify(stored));
  }
  const stored = parseStored(text);
  const publicKey = toPublicKey(stored);
  let pkcs8: Buffer;
  try {
    pkcs8 = rootKey.unwrap(Buffer.from(stored.wrappedPrivateKey, 'base64'), wrapLabel(stored.fingerprint));
  } catch {
    throw new Error('Cannot unwrap the audit signing key: the root key or the stored key does not match');
  }
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  pkcs8.fill(0);
  return {
    fingerprint: publicKey.fingerprint,
    publicKey,
    sign: (data) => sign('sha256', Buffer.from(data, 'utf8'), privateKey).toString('hex'),
  };
}
