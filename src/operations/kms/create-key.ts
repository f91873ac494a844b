// CreateKey: a symmetric encryption key with the default key policy unless one is given.

import { KontextError } from '../../errors.ts';
import { rootArn } from '../../identity/caller.ts';
import { defineOperation } from '../operation.ts';
import { bool, inputParser, str } from '../validate.ts';
import { descriptionField, policyField, tagsField } from './fields.ts';
import { keyMetadata } from './key-metadata.ts';
import { checkTags } from './tags.ts';
import { authorizeAccountAction } from './use-key.ts';
import { checkKeyPolicy } from './key-policy.ts';
import { lintPolicyOnPut } from './policy-lint-on-put.ts';

const KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2'];

export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: rootArn(accountId) }, Action: 'kms:*', Resource: '*' }],
    },
    null,
    2,
  );
}

const input = {
  Policy: policyField(),
  Description: descriptionField(),
  KeyUsage: str({ enum: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] }),
  CustomerMasterKeySpec: str({ enum: KEY_SPECS }),
  KeySpec: str({ enum: KEY_SPECS }),
  Origin: str({ enum: ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] }),
  CustomKeyStoreId: str({ min: 1, max: 64 }),
  BypassPolicyLockoutSafetyCheck: bool(),
  Tags: tagsField(),
  MultiRegion: bool(),
  XksKeyId: str({ min: 1, max: 128 }),
};

export const createKey = defineOperation({
  service: 'kms',
  name: 'CreateKey',
  action: 'kms:CreateKey',
  readOnly: false,
  input,
  async handle(input, ctx) {
    const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    const usage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
    const tags = input.Tags ?? [];
    const tagFacts = tags.length > 0 ? { 'aws:tagkeys': tags.map((t) => t.TagKey), ...Object.fromEntries(tags.map((t) => [`aws:requesttag/${t.TagKey.toLowerCase()}`, t.TagValue])) } : {};
    await authorizeAccountAction(ctx, 'kms:CreateKey', {
      'kms:keyspec': spec,
      'kms:keyusage': usage,
      'kms:keyorigin': input.Origin ?? 'AWS_KMS',
      'kms:multiregion': String(input.MultiRegion ?? false),
      // Present only when the request carries it: AWS's example policies test it with Null.
      ...(input.BypassPolicyLockoutSafetyCheck !== undefined ? { 'kms:bypasspolicylockoutsafetycheck': String(input.BypassPolicyLockoutSafetyCheck) } : {}),
      ...tagFacts,
    });
    if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
      throw new KontextError('ValidationException', 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
    }
    if (spec !== 'SYMMETRIC_DEFAULT') throw new KontextError('UnsupportedOperationException', `KeySpec ${spec} is not supported: Kontext supports SYMMETRIC_DEFAULT keys`);
    if (usage !== 'ENCRYPT_DECRYPT') throw new KontextError('ValidationException', `KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
    if ((input.Origin ?? 'AWS_KMS') !== 'AWS_KMS') throw new KontextError('UnsupportedOperationException', `Origin ${input.Origin} is not supported: Kontext supports AWS_KMS`);
    if (input.CustomKeyStoreId !== undefined) throw new KontextError('UnsupportedOperationException', 'Custom key stores are not supported');
    if (input.MultiRegion === true) throw new KontextError('UnsupportedOperationException', 'Multi-Region keys are not supported');
    checkTags(tags);
    if (tags.length > 0) await authorizeAccountAction(ctx, 'kms:TagResource', tagFacts);
    const policy = input.Policy ?? defaultKeyPolicy(ctx.caller.accountId);
    if (input.Policy !== undefined) await checkKeyPolicy(ctx, input.Policy, input.BypassPolicyLockoutSafetyCheck ?? false, undefined);
    const key = await ctx.services.keys.create(
      { region: ctx.region, accountId: ctx.caller.accountId },
      { description: input.Description ?? '', policy, tags: dedupeTags(tags) },
      ctx.services.now(),
    );
    ctx.audit.resources.push({ ARN: key.arn, accountId: key.accountId, type: 'AWS::KMS::Key' });
    // Recorded (log + audit), never blocking here: the key already exists.
    if (input.Policy !== undefined) await lintPolicyOnPut(ctx, key, input.Policy, { recordOnly: true });
    return { KeyMetadata: keyMetadata(key) };
  },
  requestParameters: (i) => ({
    ...(i.Description !== undefined ? { description: i.Description } : {}),
    keyUsage: i.KeyUsage ?? 'ENCRYPT_DECRYPT',
    keySpec: i.KeySpec ?? i.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT',
    origin: i.Origin ?? 'AWS_KMS',
    bypassPolicyLockoutSafetyCheck: i.BypassPolicyLockoutSafetyCheck ?? false,
    ...(i.Tags ? { tags: i.Tags.map((t) => ({ tagKey: t.TagKey, tagValue: t.TagValue })) } : {}),
    multiRegion: i.MultiRegion ?? false,
  }),
  responseElements: (o) => ({ keyMetadata: o.KeyMetadata }),
});

function dedupeTags<T extends { TagKey: string }>(tags: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const t of tags) byKey.set(t.TagKey, t);
  return [...byKey.values()];
}
