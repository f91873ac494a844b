// GetKeyPolicy, PutKeyPolicy, ListKeyPolicies. A key has exactly one policy, named "default".

import { KontextError } from '../../errors.ts';
import { defineOperation } from '../operation.ts';
import { bool, str } from '../validate.ts';
import { keyIdField, limitField, markerField, policyField } from './fields.ts';
import { checkKeyPolicy } from './key-policy.ts';
import { lintPolicyOnPut } from './policy-lint-on-put.ts';
import { useKey } from './use-key.ts';

const policyNameField = () => str({ min: 1, max: 128, pattern: /^[\w]+$/ });

function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw new KontextError('NotFoundException', `No such policy exists: '${name}'. The only valid policy name is default`);
}

export const getKeyPolicy = defineOperation({
  service: 'kms',
  name: 'GetKeyPolicy',
  action: 'kms:GetKeyPolicy',
  readOnly: true,
  input: { KeyId: keyIdField(), PolicyName: policyNameField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:GetKeyPolicy', { state: 'any' });
    checkPolicyName(input.PolicyName);
    return { Policy: key.policy, PolicyName: 'default' };
  },
  requestParameters: (i) => ({ keyId: i.KeyId, policyName: i.PolicyName ?? 'default' }),
  responseElements: () => null,
});

export const putKeyPolicy = defineOperation({
  service: 'kms',
  name: 'PutKeyPolicy',
  action: 'kms:PutKeyPolicy',
  readOnly: false,
  input: { KeyId: keyIdField(), PolicyName: policyNameField(), Policy: { ...policyField(), required: true as const }, BypassPolicyLockoutSafetyCheck: bool() },
  async handle(input, ctx) {
    const bypass = input.BypassPolicyLockoutSafetyCheck ?? false;
    // kms:BypassPolicyLockoutSafetyCheck is present only when the request carries the parameter.
    const given = input.BypassPolicyLockoutSafetyCheck;
    const key = await useKey(ctx, input.KeyId, 'kms:PutKeyPolicy', { state: 'any', ...(given !== undefined ? { facts: { 'kms:bypasspolicylockoutsafetycheck': String(given) } } : {}) });
    checkPolicyName(input.PolicyName);
    await checkKeyPolicy(ctx, input.Policy, bypass, key);
    // Logs and audits the findings; throws (before anything is stored) only in enforce mode.
    await lintPolicyOnPut(ctx, key, input.Policy);
    await ctx.services.keys.save({ ...key, policy: input.Policy });
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId, policyName: i.PolicyName ?? 'default', policy: i.Policy, bypassPolicyLockoutSafetyCheck: i.BypassPolicyLockoutSafetyCheck ?? false }),
  responseElements: () => null,
});

export const listKeyPolicies = defineOperation({
  service: 'kms',
  name: 'ListKeyPolicies',
  action: 'kms:ListKeyPolicies',
  readOnly: true,
  input: { KeyId: keyIdField(), Limit: limitField(), Marker: markerField() },
  async handle(input, ctx) {
    await useKey(ctx, input.KeyId, 'kms:ListKeyPolicies', { state: 'any' });
    return { PolicyNames: ['default'], Truncated: false };
  },
  requestParameters: (i) => ({ keyId: i.KeyId }),
  responseElements: () => null,
});

