// Kontext.SimulatePolicy: what AWS has no API for. Evaluates a hypothetical request (a principal, an
// action, an encryption context, ...) against a key's stored policy, its grants and the principal's
// identity policies, or against policies and grants given in the request, and explains the decision
// statement by statement. Runs the same `decide` as enforcement.
//
// Seeing the verdict reveals the key policy, so the caller needs kms:GetKeyPolicy on the key, and
// iam:SimulatePrincipalPolicy on another principal whose stored policies it evaluates.

import { KontextError, isKontextError } from '../../errors.ts';
import { defineOperation, type OperationContext } from '../operation.ts';
import { bool, list, str, stringMap, struct, REQUIRED } from '../validate.ts';
import { keyIdField, policyField } from '../kms/fields.ts';
import { grantConstraintsField, grantOperationsField, principalIdField } from '../kms/grant-fields.ts';
import { useKey } from '../kms/use-key.ts';
import { contextEntriesField, contextEntryValues } from '../iam/simulate-fields.ts';
import { authzFactsInput } from '../../authz/authz-facts.ts';
import { callerPrincipalFacts } from '../../identity/principal-facts.ts';
import { contextFromEntries, simulate } from '../../authz/simulator.ts';
import { NO_POLICIES } from '../../authz/identity-policy-source.ts';
import { normalizeConstraints } from '../../grants/grant-rules.ts';
import { loadPolicy, type CompiledPolicy, type Grant, type PrincipalFacts, type StatementExplanation } from '../../policy/index.ts';

const input = {
  KeyId: keyIdField(),
  PrincipalArn: str({ min: 20, max: 2048 }),
  Action: str({ min: 3, max: 128 }, REQUIRED),
  EncryptionContext: stringMap(),
  GrantConstraintType: str({ enum: ['EncryptionContextEquals', 'EncryptionContextSubset'] }),
  SourceIp: str({ min: 1, max: 64 }),
  SecureTransport: bool(),
  ContextEntries: contextEntriesField(),
  KeyPolicy: policyField(),
  IdentityPolicies: list(struct({ PolicyName: str({ min: 1, max: 128 }, REQUIRED), PolicyDocument: { ...policyField(), required: true as const } }), { max: 100 }),
  Grants: list(struct({ GrantId: str({ min: 1, max: 128 }), GranteePrincipal: principalIdField(REQUIRED), Operations: grantOperationsField(), Constraints: grantConstraintsField() }), { max: 1000 }),
};

/** The simulator's own errors use the JSON service's names. */
function asKontext(err: unknown): unknown {
  if (!isKontextError(err)) return err;
  if (err.code === 'NoSuchEntity') return new KontextError('NotFoundException', err.message, err.reason);
  if (err.code === 'InvalidInput') return new KontextError('ValidationException', err.message, err.reason);
  return err;
}

async function principalOf(ctx: OperationContext, arn: string | undefined): Promise<{ facts: PrincipalFacts; policies: readonly CompiledPolicy[] }> {
  const { policies } = ctx.services;
  if (arn === undefined || arn === ctx.caller.arn) {
    const own = ctx.caller.type === 'Root' ? NO_POLICIES : await policies.identityPolicies.forCaller(ctx.caller, ctx.meta.receivedAt);
    return { facts: callerPrincipalFacts(ctx.caller, own.tags), policies: own.policies };
  }
  const { facts, owner } = await policies.principals.facts(arn).catch((err: unknown) => {
    throw asKontext(err);
  });
  await ctx.services.authorizer.authorize({
    caller: ctx.caller,
    action: 'iam:SimulatePrincipalPolicy',
    region: ctx.region,
    key: undefined,
    resourceArn: arn,
    sourceIp: ctx.meta.sourceIp,
    secureTransport: ctx.meta.secureTransport,
    now: ctx.meta.receivedAt,
  });
  const own = owner ? await policies.identityPolicies.forOwner(facts.accountId, owner.type, owner.name, ctx.meta.receivedAt) : NO_POLICIES;
  return { facts, policies: own.policies };
}

const explanationShape = (e: StatementExplanation) => ({
  Source: e.source,
  ...(e.sid !== undefined ? { Sid: e.sid } : {}),
  Index: e.index,
  Effect: e.effect,
  Applies: e.applies,
  PrincipalMatch: e.principalMatch,
  ...(e.failedElement ? { FailedElement: e.failedElement } : {}),
  ...(e.failedCondition ? { FailedCondition: { Operator: e.failedCondition.operator, Key: e.failedCondition.key, Outcome: e.failedCondition.outcome } } : {}),
  Detail: e.detail,
});

export const simulatePolicy = defineOperation({
  service: 'kontext',
  name: 'SimulatePolicy',
  action: 'kms:GetKeyPolicy',
  readOnly: true,
  input,
  async handle(i, ctx) {
    const key = await useKey(ctx, i.KeyId, 'kms:GetKeyPolicy', { state: 'any' });
    const action = i.Action.includes(':') ? i.Action : `kms:${i.Action}`;
    const principal = await principalOf(ctx, i.PrincipalArn);
    let keyPolicy: CompiledPolicy;
    if (i.KeyPolicy !== undefined) keyPolicy = loadPolicy(i.KeyPolicy, { kind: 'key' });
    else {
      const stored = ctx.services.policies.keyPolicies.get(key.policy);
      if (!stored.ok) throw new KontextError('KMSInternalException', 'The stored key policy cannot be evaluated', stored.reason);
      keyPolicy = stored.policy;
    }
    const identityPolicies = i.IdentityPolicies
      ? i.IdentityPolicies.map((p) => loadPolicy(p.PolicyDocument, { kind: 'identity', name: p.PolicyName, maxSize: Number.MAX_SAFE_INTEGER }))
      : principal.policies;
    const grants: readonly Grant[] = i.Grants
      ? i.Grants.map((g, n) => {
          const constraints = normalizeConstraints(g.Constraints);
          return { grantId: g.GrantId ?? `hypothetical-${n + 1}`, granteePrincipal: g.GranteePrincipal, operations: g.Operations, ...(constraints ? { constraints } : {}) };
        })
      : await ctx.services.grants.grantsFor(key);
    const entries = contextEntryValues(i.ContextEntries);
    const context = i.EncryptionContext ?? contextFromEntries(entries);
    const facts = authzFactsInput(
      {
        action,
        region: ctx.region,
        key,
        encryptionContext: context,
        facts: { ...Object.fromEntries(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v])), ...(i.GrantConstraintType ? { 'kms:grantconstrainttype': i.GrantConstraintType } : {}) },
        sourceIp: i.SourceIp ?? ctx.meta.sourceIp,
        secureTransport: i.SecureTransport ?? ctx.meta.secureTransport,
        now: ctx.meta.receivedAt,
      },
      principal.facts,
    );
    const { result, missingContextValues } = await simulate({
      facts,
      keyPolicy,
      identityPolicies,
      grants,
    });
    return {
      Decision: result.decision,
      Reason: result.reason,
      Principal: principal.facts.arn,
      Action: action,
      Resource: key.arn,
      MatchedStatements: result.matchedStatements.map((m) => ({ Source: m.source, ...(m.sid !== undefined ? { Sid: m.sid } : {}), Index: m.index, Effect: m.effect })),
      Explanation: (result.explanation ?? []).map(explanationShape),
      MissingContextValues: missingContextValues,
    };
  },
  requestParameters: (i) => ({
    keyId: i.KeyId,
    ...(i.PrincipalArn !== undefined ? { principalArn: i.PrincipalArn } : {}),
    action: i.Action,
    encryptionContext: i.EncryptionContext ?? {},
    hypotheticalKeyPolicy: i.KeyPolicy !== undefined,
    hypotheticalIdentityPolicies: i.IdentityPolicies !== undefined,
    hypotheticalGrants: i.Grants !== undefined,
  }),
  responseElements: (o) => ({ decision: o.Decision }),
});
