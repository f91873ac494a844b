// The policy lockout safety check of CreateKey and PutKeyPolicy: the new key policy "must allow the
// principal that is making the request to make a subsequent PutKeyPolicy request on the KMS key"
// (KMS API reference, CreateKey BypassPolicyLockoutSafetyCheck). Runs the ordinary evaluator.

import { KontextError } from '../errors.ts';
import { buildRequestFacts, type PrincipalFacts } from './request-facts.ts';
import { evaluate, type EvaluationResult } from './evaluate.ts';
import type { CompiledPolicy } from './compile-policy.ts';

export const LOCKOUT_MESSAGE = 'The new key policy will not allow you to update the key policy in the future.';

export interface LockoutCheckInput {
  readonly candidate: CompiledPolicy;
  readonly principal: PrincipalFacts;
  readonly identityPolicies: readonly CompiledPolicy[];
  readonly keyArn: string;
  readonly keyAccountId: string;
  readonly now: Date;
  /** The current request's network facts, so a policy conditioned on them is judged as it would be now. */
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
  readonly requestedRegion?: string;
}

export interface LockoutCheck {
  readonly locksOut: boolean;
  readonly result: EvaluationResult;
}

export function checkPolicyLockout(input: LockoutCheckInput): LockoutCheck {
  const facts = buildRequestFacts({
    principal: input.principal,
    action: 'kms:PutKeyPolicy',
    resource: input.keyArn,
    keyAccountId: input.keyAccountId,
    now: input.now,
    ...(input.sourceIp === undefined ? {} : { sourceIp: input.sourceIp }),
    ...(input.secureTransport === undefined ? {} : { secureTransport: input.secureTransport }),
    ...(input.requestedRegion === undefined ? {} : { requestedRegion: input.requestedRegion }),
  });
  // Grants are left out: a grant cannot allow PutKeyPolicy.
  const result = evaluate({ facts, keyPolicy: input.candidate, identityPolicies: input.identityPolicies });
  return { locksOut: result.decision !== 'allowed', result };
}

export function lockoutError(check: LockoutCheck): KontextError {
  return new KontextError('MalformedPolicyDocumentException', LOCKOUT_MESSAGE, check.result.reason);
}
