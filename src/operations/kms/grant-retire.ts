// RetireGrant and RevokeGrant delete a grant; they differ in who may. RevokeGrant is kms:RevokeGrant
// in the key policy. RetireGrant is decided by the grant itself (KMS Developer Guide, "Retiring and
// revoking grants"): its retiring principal, its grantee when the grant includes RetireGrant, and
// the account that owns the key (its root, or an IAM principal there whose identity policies
// allow kms:RetireGrant) may retire it; an explicit Deny of kms:RetireGrant still stops any of them.

import { KontextError } from '../../errors.ts';
import { accessDeniedError, granteeMatches } from '../../policy/index.ts';
import type { GrantRecord } from '../../grants/grant-record.ts';
import { grantIdOfToken, invalidGrantToken, isGrantId } from '../../grants/grant-token.ts';
import { parsePrincipalArn } from '../../authz/principal-directory.ts';
import { callerPrincipalFacts } from '../../identity/principal-facts.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import { defineOperation, type OperationContext } from '../operation.ts';
import { REQUIRED } from '../validate.ts';
import { dryRunField, keyIdField, optionalKeyIdField } from './fields.ts';
import { grantIdField, grantTokenField } from './grant-fields.ts';
import { dryRunStop } from './crypto-common.ts';
import { recordKey, useKey } from './use-key.ts';

const grantNotFound = (grantId: string): KontextError => new KontextError('NotFoundException', `Grant ID ${grantId} not found`);

function checkGrantId(grantId: string): void {
  if (!isGrantId(grantId)) throw new KontextError('InvalidGrantIdException', `Invalid grant ID: ${grantId}`);
}

/** The grant a RetireGrant names, by token or by key and grant id, with its key. */
async function grantToRetire(ctx: OperationContext, input: { GrantToken?: string; KeyId?: string; GrantId?: string }): Promise<{ grant: GrantRecord; key: KeyRecord }> {
  const { grants, keys } = ctx.services;
  let grantId: string;
  let expectedKey: KeyRecord | undefined;
  if (input.GrantToken !== undefined) {
    const fromToken = grantIdOfToken(input.GrantToken);
    if (fromToken === undefined) throw invalidGrantToken();
    if (input.GrantId !== undefined && input.GrantId !== fromToken) {
      throw new KontextError('ValidationException', 'The GrantId does not identify the grant of the GrantToken');
    }
    grantId = fromToken;
  } else {
    if (input.KeyId === undefined || input.GrantId === undefined) {
      throw new KontextError('ValidationException', 'Specify the grant to retire with GrantToken, or with both KeyId and GrantId');
    }
    checkGrantId(input.GrantId);
    grantId = input.GrantId;
  }
  if (input.KeyId !== undefined) expectedKey = (await keys.resolve({ region: ctx.region, accountId: ctx.caller.accountId }, input.KeyId)).key;
  const grant = await grants.get(grantId);
  if (!grant || grant.region !== ctx.region || (expectedKey && grant.keyId !== expectedKey.keyId)) throw grantNotFound(grantId);
  const key = expectedKey ?? (await keys.getById(grant.region, grant.accountId, grant.keyId));
  return { grant, key };
}

async function authorizeRetire(ctx: OperationContext, grant: GrantRecord, key: KeyRecord): Promise<void> {
  const principal = callerPrincipalFacts(ctx.caller);
  const namedByGrant =
    (grant.retiringPrincipal !== undefined && granteeMatches(grant.retiringPrincipal, principal)) ||
    (granteeMatches(grant.granteePrincipal, principal) && grant.operations.includes('RetireGrant'));
  const retiringAccount = grant.retiringPrincipal !== undefined ? parsePrincipalArn(grant.retiringPrincipal) : undefined;
  const accountMayDelegate =
    ctx.caller.accountId === grant.accountId || (retiringAccount?.kind === 'root' && retiringAccount.accountId === ctx.caller.accountId);
  if (!namedByGrant && !accountMayDelegate) {
    throw accessDeniedError(
      { principalArn: ctx.caller.arn, action: 'kms:RetireGrant', resource: key.arn, denial: 'noResourcePolicy' },
      `the caller is neither the retiring principal nor a grantee allowed to retire grant ${grant.grantId}, nor in the key's account`,
    );
  }
  // kms:RetireGrant is an identity-policy permission ("not effective in a key policy").
  await ctx.services.authorizer.authorize({
    caller: ctx.caller,
    action: 'kms:RetireGrant',
    region: ctx.region,
    key: undefined,
    resourceArn: key.arn,
    allowUnlessDenied: namedByGrant,
    sourceIp: ctx.meta.sourceIp,
    secureTransport: ctx.meta.secureTransport,
    now: ctx.meta.receivedAt,
  });
}

export const retireGrant = defineOperation({
  service: 'kms',
  name: 'RetireGrant',
  action: 'kms:RetireGrant',
  readOnly: false,
  input: { GrantToken: grantTokenField(), KeyId: optionalKeyIdField(), GrantId: grantIdField(), DryRun: dryRunField() },
  async handle(input, ctx) {
    const { grant, key } = await grantToRetire(ctx, input);
    recordKey(ctx, key);
    await authorizeRetire(ctx, grant, key);
    dryRunStop(input.DryRun);
    if (!(await ctx.services.grants.remove(grant))) throw grantNotFound(grant.grantId);
    ctx.audit.extraRequestParameters['grantId'] = grant.grantId;
    return {};
  },
  requestParameters: (i) => ({
    ...(i.KeyId !== undefined ? { keyId: i.KeyId } : {}),
    ...(i.GrantId !== undefined ? { grantId: i.GrantId } : {}),
  }),
  responseElements: () => null,
});

export const revokeGrant = defineOperation({
  service: 'kms',
  name: 'RevokeGrant',
  action: 'kms:RevokeGrant',
  readOnly: false,
  input: { KeyId: keyIdField(), GrantId: grantIdField(REQUIRED), DryRun: dryRunField() },
  async handle(input, ctx) {
    const key = await useKey(ctx, input.KeyId, 'kms:RevokeGrant', { state: 'any', facts: { 'kms:grantisforawsresource': 'false' } });
    checkGrantId(input.GrantId);
    const grant = await ctx.services.grants.get(input.GrantId);
    if (!grant || grant.region !== key.region || grant.accountId !== key.accountId || grant.keyId !== key.keyId) throw grantNotFound(input.GrantId);
    dryRunStop(input.DryRun);
    if (!(await ctx.services.grants.remove(grant))) throw grantNotFound(input.GrantId);
    return {};
  },
  requestParameters: (i) => ({ keyId: i.KeyId, grantId: i.GrantId }),
  responseElements: () => null,
});
