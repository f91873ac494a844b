// kontext/sdk: encryption context declared once and applied the same way on encrypt and decrypt,
// on top of @aws-sdk/client-kms (so it works against Kontext and AWS KMS alike).

import type { KMSClient } from '@aws-sdk/client-kms';
import { defineContext as declare, type ContextDeclaration, type ContextDefinition, type ContextValues, type FieldSpecs } from './context-definition.ts';
import { kmsCipher, type ContextCipher, type KmsSender } from './context-cipher.ts';
import { envelopeCipher } from './envelope-cipher.ts';

export { ContextFieldError } from './context-definition.ts';
export type { ContextDeclaration, ContextDefinition, ContextIssue, ContextValues, EncryptionContext, FieldSpec, FieldSpecs, FieldValue } from './context-definition.ts';
export { kmsCipher, MAX_KMS_PLAINTEXT_BYTES } from './context-cipher.ts';
export type { ContextCipher, KmsSender, Plaintext } from './context-cipher.ts';
export { envelopeCipher } from './envelope-cipher.ts';
export { encodeContext, ENVELOPE_VERSION, EnvelopeFormatError, parseEnvelope } from './envelope-format.ts';
export { assertContextBound } from './assert-context-bound.ts';
export type { BindingCheck, BindingOptions, BindingReport } from './assert-context-bound.ts';

/** A context definition with its ciphers at hand. */
export interface BoundContext<F extends FieldSpecs> extends ContextDefinition<F> {
  /** KMS Encrypt/Decrypt under `keyId`, for payloads up to 4096 bytes. */
  encryptor(kms: KmsSender | KMSClient, keyId: string): ContextCipher<ContextValues<F>>;
  /** Envelope encryption (GenerateDataKey + local AES-256-GCM) under `keyId`, for payloads of any size. */
  envelopeEncryptor(kms: KmsSender | KMSClient, keyId: string): ContextCipher<ContextValues<F>>;
}

/**
 * Declares the encryption context of a kind of data once:
 *
 *     const Invoice = defineContext({ fields: { tenant_id: 'string', invoice_id: 'string' }, fixed: { purpose: 'invoice' } });
 *     const invoices = Invoice.encryptor(kms, 'alias/invoices');
 *     const blob = await invoices.encrypt('...', { tenant_id: 't_1', invoice_id: 'inv_9' });
 *     const text = await invoices.decryptText(blob, { tenant_id: 't_1', invoice_id: 'inv_9' });
 */
export function defineContext<const F extends FieldSpecs>(declaration: ContextDeclaration<F>): BoundContext<F> {
  const definition = declare(declaration);
  return {
    ...definition,
    encryptor: (kms, keyId) => kmsCipher(definition, kms, keyId),
    envelopeEncryptor: (kms, keyId) => envelopeCipher(definition, kms, keyId),
  };
}
