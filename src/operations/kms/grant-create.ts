// CreateGrant: lets a grantee use a key for some operations, optionally only with a given encryption
// context. Authorized as kms:CreateGrant with the grant's own facts (kms:GrantOperations,
// kms:GranteePrincipal, kms:GrantConstraintType, the constraint's pairs as kms:EncryptionContext:*),
// so a parent grant can only hand on what it allows. A Name makes retries idempotent.

import { KontextError } from '../../errors.ts';
import { defineOperation, type OperationContext } from '../operation.ts';
import { parsePrincipalArn } from '../../authz/principal-directory.ts';
import { constraintFacts, grantProblems, normalizeConstraints } from '../../grants/grant-rules.ts';
import type { GrantOperation } from '../../grants/grant-record.ts';
import { dryRunField, grantTokensField, keyIdField } from './fields.ts';
import { grantConstraintsField, grantNameField, grantOperationsField, principalIdField } from './grant-fields.ts';
import { dryRunStop } from './crypto-common.ts';
import { useKey } from './use-key.ts';
import { REQUIRED } from '../validate.ts';

const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/** Grantee and retiring principals: an ARN of a principal that exists, or a service principal. */
async function checkPrincipal(ctx: OperationContext, principal: string): Promise<void> {
  if (SERVICE_PRINCIPAL.test(principal)) return;
  if (!parsePrincipalArn(principal) || !(await ctx.services.policies.principals.exists(principal))) {
    throw new KontextError('InvalidArnException', `ARN does not refer to a valid principal: ${principal}`);
  }
}

export const createGrant = defineOperation({
  service: 'kms',
  name: 'CreateGrant',
  action: 'kms:CreateGrant',
  readOnly: false,
  input: {
    KeyId: keyIdField(),
    GranteePrincipal: principalIdField(REQUIRED),
    RetiringPrincipal: principalIdField(),
    Operations: grantOperationsField(),
    Constraints: grantConstraintsField(),
    GrantTokens: grantTokensField(),
    Name: grantNameField(),
    DryRun: dryRunField(),
  },
  async handle(input, ctx) {
    const operations = [...new Set(input.Operations)] as GrantOperation[];
    const constraints = normalizeConstraints(input.Constraints);
    const constraint = constraintFacts(constraints);
    const key = await useKey(ctx, input.KeyId, 'kms:CreateGrant', {
      state: 'notPendingDeletion',
      encryptionContext: constraint?.pairs,
      grantTokens: input.GrantTokens,
      facts: {
        'kms:grantoperations': operations,
        'kms:granteeprincipal': input.GranteePrincipal,
        ...(input.RetiringPrincipal !== undefined ? { 'kms:retiringprincipal': input.RetiringPrincipal } : {}),
        ...(constraint ? { 'kms:grantconstrainttype': constraint.type } : {}),
        'kms:grantisforawsresource': 'false',
      },
    });
    const problems = grantProblems(operations, constraints);
    if (problems.length > 0) throw new KontextError('ValidationException', problems.join('; '));
    await checkPrincipal(ctx, input.GranteePrincipal);
    if (input.RetiringPrincipal !== undefined) await checkPrincipal(ctx, input.RetiringPrincipal);
    dryRunStop(input.DryRun);
    const created = await ctx.services.grants.create(
      {
        key,
        name: input.Name,
        granteePrincipal: input.GranteePrincipal,
        retiringPrincipal: input.RetiringPrincipal,
        issuingAccountId: ctx.caller.accountId,
        operations,
        constraints,
      },
      ctx.services.now(),
    );
    return { GrantToken: created.token, GrantId: created.grant.grantId };
  },
  requestParameters: (i) => ({
    keyId: i.KeyId,
    granteePrincipal: i.GranteePrincipal,
    ...(i.RetiringPrincipal !== undefined ? { retiringPrincipal: i.RetiringPrincipal } : {}),
    operations: i.Operations,
    ...(i.Constraints
      ? {
          constraints: {
            ...(i.Constraints.EncryptionContextSubset ? { encryptionContextSubset: i.Constraints.EncryptionContextSubset } : {}),
            ...(i.Constraints.EncryptionContextEquals ? { encryptionContextEquals: i.Constraints.EncryptionContextEquals } : {}),
          },
        }
      : {}),
    ...(i.Name !== undefined ? { name: i.Name } : {}),
  }),
  responseElements: (o) => ({ grantId: o.GrantId }),
});
