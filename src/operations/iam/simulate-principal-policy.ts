// SimulatePrincipalPolicy (IAM, Query protocol): the inline policies of a user or role (plus any
// given in PolicyInputList), optionally with a resource policy (a KMS key policy) and a caller.

import { KontextError } from '../../errors.ts';
import { defineOperation } from '../operation.ts';
import { str, REQUIRED } from '../validate.ts';
import { parsePrincipalArn } from '../../authz/principal-directory.ts';
import { markerField, maxItemsField } from './fields.ts';
import { authorizeIam } from './iam-access.ts';
import { actionNamesField, contextEntriesField, resourceArnsField, simulationPolicyListField } from './simulate-fields.ts';
import { runSimulation, simulatedPolicy, type SimulatedPolicy } from './simulate-evaluation.ts';

export const simulatePrincipalPolicy = defineOperation({
  service: 'iam',
  name: 'SimulatePrincipalPolicy',
  action: 'iam:SimulatePrincipalPolicy',
  readOnly: true,
  input: {
    PolicySourceArn: str({ min: 20, max: 2048 }, REQUIRED),
    PolicyInputList: simulationPolicyListField(),
    PermissionsBoundaryPolicyInputList: simulationPolicyListField(),
    ActionNames: actionNamesField(),
    ResourceArns: resourceArnsField(),
    ResourcePolicy: str({ min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/ }),
    ResourceOwner: str({ min: 1, max: 2048 }),
    CallerArn: str({ min: 1, max: 2048 }),
    ContextEntries: contextEntriesField(),
    ResourceHandlingOption: str({ min: 1, max: 64 }),
    MaxItems: maxItemsField(),
    Marker: markerField(),
  },
  async handle(i, ctx) {
    await authorizeIam(ctx, 'iam:SimulatePrincipalPolicy', i.PolicySourceArn);
    if (i.PermissionsBoundaryPolicyInputList && i.PermissionsBoundaryPolicyInputList.length > 0) {
      throw new KontextError('InvalidInput', 'Permissions boundaries are not supported by this simulator');
    }
    const source = parsePrincipalArn(i.PolicySourceArn);
    if (!source || (source.kind !== 'user' && source.kind !== 'role')) {
      throw new KontextError('InvalidInput', `PolicySourceArn must be the ARN of an IAM user or role: ${i.PolicySourceArn}`);
    }
    if (source.accountId !== ctx.caller.accountId) throw new KontextError('NoSuchEntity', `The ${source.kind} cannot be found: ${i.PolicySourceArn}`);
    const { policies } = ctx.services;
    const { facts, owner } = await policies.principals.facts(i.PolicySourceArn);
    const stored = await ctx.services.identity.inlinePolicies(source.accountId, source.kind, owner?.name ?? source.name);
    const identityPolicies: SimulatedPolicy[] = [
      ...stored.map((p) => ({ id: p.policyName, type: source.kind, text: p.document, compiled: policies.identityPolicies.compile(p.policyName, p.document) })),
      ...(i.PolicyInputList ?? []).map((text, n) => simulatedPolicy(`PolicyInputList.${n + 1}`, 'none', text, 'identity')),
    ];
    const principal = i.CallerArn !== undefined ? (await policies.principals.facts(i.CallerArn)).facts : facts;
    return runSimulation({
      principal,
      identityPolicies,
      resourcePolicy: i.ResourcePolicy !== undefined ? simulatedPolicy('ResourcePolicy', 'resource', i.ResourcePolicy, 'key') : undefined,
      actionNames: i.ActionNames,
      resourceArns: i.ResourceArns,
      resourceOwner: i.ResourceOwner,
      contextEntries: i.ContextEntries,
      now: ctx.meta.receivedAt,
      maxItems: i.MaxItems,
      marker: i.Marker,
    });
  },
  requestParameters: (i) => ({
    policySourceArn: i.PolicySourceArn,
    actionNames: i.ActionNames,
    ...(i.ResourceArns ? { resourceArns: i.ResourceArns } : {}),
    ...(i.CallerArn !== undefined ? { callerArn: i.CallerArn } : {}),
    ...(i.ContextEntries ? { contextEntries: i.ContextEntries } : {}),
  }),
  responseElements: () => null,
});
