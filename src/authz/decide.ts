// One decision as enforcement and the simulator both take it: the policies first, and the key's
// grants only when the policies do not allow (grants cannot deny), so a request the key policy
// allows never loads a grant.

import { evaluate, type CompiledPolicy, type EvaluationResult, type Grant, type RequestFacts } from '../policy/index.ts';

/** Where the grants of a key come from (the grant service, or a simulation's fixed list). */
export interface GrantSource {
  grantsFor(key: { readonly region: string; readonly accountId: string; readonly keyId: string }): readonly Grant[] | Promise<readonly Grant[]>;
}

export interface DecisionInput {
  readonly facts: RequestFacts;
  readonly keyPolicy: CompiledPolicy | undefined;
  readonly identityPolicies: readonly CompiledPolicy[];
  /** The key whose grants may allow, and where to read them; absent for requests without a key. */
  readonly grantKey?: { readonly region: string; readonly accountId: string; readonly keyId: string } | undefined;
  readonly grantSource?: GrantSource | undefined;
}

/** A fixed list of grants as a source (simulations). */
export const fixedGrants = (grants: readonly Grant[]): GrantSource => ({ grantsFor: () => grants });

/** CreateGrant through a grant: a child grant may only allow operations its parent allows. */
export function grantsUsable(grants: readonly Grant[], facts: RequestFacts): readonly Grant[] {
  if (facts.action.toLowerCase() !== 'kms:creategrant') return grants;
  const requested = facts.conditionValues.get('kms:grantoperations');
  const ops = requested === undefined ? [] : typeof requested === 'string' ? [requested] : requested;
  return grants.filter((g) => ops.every((op) => g.operations.includes(op)));
}

const FAST = { explain: false } as const;
const EXPLAIN = { explain: true } as const;

export async function decide(input: DecisionInput, explain = false): Promise<EvaluationResult> {
  const { facts, keyPolicy, identityPolicies, grantKey, grantSource } = input;
  const options = explain ? EXPLAIN : FAST;
  const first = evaluate({ facts, keyPolicy, identityPolicies }, options);
  if (first.decision !== 'implicitDeny' || !grantKey || !grantSource) return first;
  const grants = grantsUsable(await grantSource.grantsFor(grantKey), facts);
  if (grants.length === 0) return first;
  return evaluate({ facts, keyPolicy, identityPolicies, grants }, options);
}
