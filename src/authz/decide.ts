// One decision as enforcement and the simulator both take it: the policies first, and the key's
// grants only when the policies do not allow (grants cannot deny), so a request the key policy
// allows never loads a grant.

import { evaluate, type CompiledPolicy, type EvaluationResult, type Grant, type RequestFacts } from '../policy/index.ts';

export interface DecisionInput {
  readonly facts: RequestFacts;
  readonly keyPolicy: CompiledPolicy | undefined;
  readonly identityPolicies: readonly CompiledPolicy[];
  /** The key's grants, asked for only when needed; absent for requests without a key. */
  readonly grants?: () => readonly Grant[] | Promise<readonly Grant[]>;
}

/** CreateGrant through a grant: a child grant may only allow operations its parent allows. */
export function grantsUsable(grants: readonly Grant[], facts: RequestFacts): readonly Grant[] {
  if (facts.action.toLowerCase() !== 'kms:creategrant') return grants;
  const requested = facts.conditionValues.get('kms:grantoperations');
  const ops = requested === undefined ? [] : typeof requested === 'string' ? [requested] : requested;
  return grants.filter((g) => ops.every((op) => g.operations.includes(op)));
}

export async function decide(input: DecisionInput, explain = false): Promise<EvaluationResult> {
  const { facts, keyPolicy, identityPolicies } = input;
  const options = { explain };
  const first = evaluate({ facts, keyPolicy, identityPolicies }, options);
  if (first.decision !== 'implicitDeny' || !input.grants) return first;
  const grants = grantsUsable(await input.grants(), facts);
  if (grants.length === 0) return first;
  return evaluate({ facts, keyPolicy, identityPolicies, grants }, options);
}
