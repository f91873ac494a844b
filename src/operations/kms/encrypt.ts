// Encrypt: up to 4096 bytes under a symmetric key, bound to the encryption context.

import { defineOperation } from '../operation.ts';
import { dryRunField, encryptionAlgorithmField, encryptionContextField, grantTokensField, keyIdField, plaintextField } from './fields.ts';
import { checkSymmetricAlgorithm, dryRunStop } from './crypto-common.ts';
import { useKey } from './use-key.ts';

export const encrypt = defineOperation({
  service: 'kms',
  name: 'Encrypt',
  action: 'kms:Encrypt',
  readOnly: true,
  input: {
    KeyId: keyIdField(),
    Plaintext: plaintextField(),
    EncryptionContext: encryptionContextField(),
    GrantTokens: grantTokensField(),
    EncryptionAlgorithm: encryptionAlgorithmField(),
    DryRun: dryRunField(),
  },
  async handle(input, ctx) {
    const guard = ctx.services.guardrails.screen(ctx.audit, input.EncryptionContext, 'encryptionContext');
    const key = await useKey(ctx, input.KeyId, 'kms:Encrypt', { state: 'usable', encryptionContext: input.EncryptionContext, grantTokens: input.GrantTokens });
    await guard.check(key);
    checkSymmetricAlgorithm(key, input.EncryptionAlgorithm);
    dryRunStop(input.DryRun);
    const blob = ctx.services.keys.encrypt(key, input.Plaintext, input.EncryptionContext);
    return { CiphertextBlob: blob.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
  requestParameters: (i) => ({
    keyId: i.KeyId,
    encryptionContext: i.EncryptionContext ?? {},
    encryptionAlgorithm: i.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
  }),
  responseElements: () => null,
});
