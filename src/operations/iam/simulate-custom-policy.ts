// SimulateCustomPolicy (IAM, Query protocol): identity policies given in the request, optionally a
// resource policy (here: a KMS key policy, which AWS's own simulator cannot evaluate) and a
// caller, evaluated for every action and resource.

import { KontextError } from '../../errors.ts';
import { defineOperation } from '../operation.ts';
import { str } from '../validate.ts';
import { markerField, maxItemsField } from './fields.ts';
import { authorizeIam } from './iam-access.ts';
import { actionNamesField, contextEntriesField, resourceArnsField, simulationPolicyListField } from './simulate-fields.ts';
import { runSimulation, simulatedPolicy } from './simulate-evaluation.ts';
import type { PrincipalFacts } from '../../policy/index.ts';

/** Who the simulation acts as when no CallerArn is given (only identity policies are evaluated). */
const simulatedUser = (accountId: string): PrincipalFacts => ({
  arn: `arn:aws:iam::${accountId}:user/SimulatedCaller`,
  accountId,
  type: 'User',
  userId: 'AIDASIMULATEDCALLER00',
  username: 'SimulatedCaller',
});

export const simulateCustomPolicy = defineOperation({
  service: 'iam',
  name: 'SimulateCustomPolicy',
  action: 'iam:SimulateCustomPolicy',
  readOnly: true,
  input: {
    PolicyInputList: { ...simulationPolicyListField(), required: true as const },
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
    await authorizeIam(ctx, 'iam:SimulateCustomPolicy', '*');
    if (i.PermissionsBoundaryPolicyInputList && i.PermissionsBoundaryPolicyInputList.length > 0) {
      throw new KontextError('InvalidInput', 'Permissions boundaries are not supported by this simulator');
    }
    if (i.ResourcePolicy !== undefined && i.CallerArn === undefined) {
      throw new KontextError('InvalidInput', 'CallerArn is required when a ResourcePolicy is given, so that its Principal element has a caller to match');
    }
    const principal = i.CallerArn !== undefined ? (await ctx.services.policies.principals.facts(i.CallerArn)).facts : simulatedUser(ctx.caller.accountId);
    return runSimulation({
      principal,
      identityPolicies: i.PolicyInputList.map((text, n) => simulatedPolicy(`PolicyInputList.${n + 1}`, 'none', text, 'identity')),
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
    actionNames: i.ActionNames,
    ...(i.ResourceArns ? { resourceArns: i.ResourceArns } : {}),
    ...(i.CallerArn !== undefined ? { callerArn: i.CallerArn } : {}),
    ...(i.ContextEntries ? { contextEntries: i.ContextEntries } : {}),
  }),
  responseElements: () => null,
});
