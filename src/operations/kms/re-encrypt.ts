// ReEncrypt: decrypt under the source key and context, encrypt under the destination key and
// context, without the plaintext leaving the service. Needs kms:ReEncryptFrom on the source key
// and kms:ReEncryptTo on the destination key.

import { defineOperation } from '../operation.ts';
import { ciphertextBlobField, dryRunField, encryptionAlgorithmField, encryptionContextField, grantTokensField, keyIdField, optionalKeyIdField } from './fields.ts';
import { checkSymmetricAlgorithm, decryptAs, dryRunStop } from './crypto-common.ts';
import { useKey } from './use-key.ts';

export const reEncrypt = defineOperation({
  service: 'kms',
  name: 'ReEncrypt',
  action: 'kms:ReEncryptFrom',
  readOnly: true,
  input: {
    CiphertextBlob: ciphertextBlobField(),
    SourceEncryptionContext: encryptionContextField(),
    SourceKeyId: optionalKeyIdField(),
    DestinationKeyId: keyIdField(),
    DestinationEncryptionContext: encryptionContextField(),
    SourceEncryptionAlgorithm: encryptionAlgorithmField(),
    DestinationEncryptionAlgorithm: encryptionAlgorithmField(),
    GrantTokens: grantTokensField(),
    DryRun: dryRunField(),
  },
  async handle(input, ctx) {
    const keys = ctx.services.keys;
    // Only the destination context is checked (the source must always decrypt); both are redacted in the audit record.
    const guard = ctx.services.guardrails.screen(ctx.audit, input.DestinationEncryptionContext, 'destinationEncryptionContext');
    ctx.services.guardrails.redact(ctx.audit, input.SourceEncryptionContext, 'sourceEncryptionContext');
    const destination = (await keys.resolve({ region: ctx.region, accountId: ctx.caller.accountId }, input.DestinationKeyId)).key;
    const sameKey = (id: string) => (id === destination.keyId ? 'true' : 'false');
    const source = await decryptAs(ctx, {
      ciphertext: input.CiphertextBlob,
      context: input.SourceEncryptionContext,
      keyIdParam: input.SourceKeyId,
      action: 'kms:ReEncryptFrom',
      algorithm: input.SourceEncryptionAlgorithm,
      dryRun: false,
      grantTokens: input.GrantTokens,
      facts: { 'kms:reencryptonsamekey': sameKey(keys.keyIdOf(input.CiphertextBlob) ?? '') },
    });
    const dest = await useKey(ctx, input.DestinationKeyId, 'kms:ReEncryptTo', {
      state: 'usable',
      encryptionContext: input.DestinationEncryptionContext,
      grantTokens: input.GrantTokens,
      facts: { 'kms:reencryptonsamekey': sameKey(source.key.keyId) },
    });
    await guard.check(dest);
    checkSymmetricAlgorithm(dest, input.DestinationEncryptionAlgorithm);
    dryRunStop(input.DryRun);
    const blob = keys.encrypt(dest, source.plaintext, input.DestinationEncryptionContext);
    return {
      CiphertextBlob: blob.toString('base64'),
      SourceKeyId: source.key.arn,
      KeyId: dest.arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  },
  requestParameters: (i) => ({
    ...(i.SourceKeyId !== undefined ? { sourceKeyId: i.SourceKeyId } : {}),
    sourceEncryptionContext: i.SourceEncryptionContext ?? {},
    destinationKeyId: i.DestinationKeyId,
    destinationEncryptionContext: i.DestinationEncryptionContext ?? {},
    sourceEncryptionAlgorithm: i.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
    destinationEncryptionAlgorithm: i.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
  }),
  responseElements: () => null,
});
