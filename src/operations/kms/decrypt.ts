// Decrypt: the key is read from the ciphertext; KeyId, if given, must name the same key.

import { defineOperation } from '../operation.ts';
import { ciphertextBlobField, dryRunField, encryptionAlgorithmField, encryptionContextField, grantTokensField, optionalKeyIdField } from './fields.ts';
import { decryptAs, rejectRecipient } from './crypto-common.ts';
import { stringMap } from '../validate.ts';

export const decrypt = defineOperation({
  service: 'kms',
  name: 'Decrypt',
  action: 'kms:Decrypt',
  readOnly: true,
  input: {
    CiphertextBlob: ciphertextBlobField(),
    EncryptionContext: encryptionContextField(),
    GrantTokens: grantTokensField(),
    KeyId: optionalKeyIdField(),
    EncryptionAlgorithm: encryptionAlgorithmField(),
    Recipient: stringMap(),
    DryRun: dryRunField(),
  },
  async handle(input, ctx) {
    // Decrypt never rejects a context (old data stays readable), but a secret let in under warn or
    // off mode must not reach the audit record on every read either.
    ctx.services.guardrails.redact(ctx.audit, input.EncryptionContext, 'encryptionContext');
    rejectRecipient(input.Recipient);
    const result = await decryptAs(ctx, {
      ciphertext: input.CiphertextBlob,
      context: input.EncryptionContext,
      keyIdParam: input.KeyId,
      action: 'kms:Decrypt',
      algorithm: input.EncryptionAlgorithm,
      dryRun: input.DryRun,
      grantTokens: input.GrantTokens,
    });
    return { KeyId: result.key.arn, Plaintext: result.plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
  requestParameters: (i) => ({
    ...(i.KeyId !== undefined ? { keyId: i.KeyId } : {}),
    encryptionContext: i.EncryptionContext ?? {},
    encryptionAlgorithm: i.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
  }),
  responseElements: () => null,
});
