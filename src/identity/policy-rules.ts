// What identity needs from the policy engine (src/policy): validating identity and trust policies
// when they are stored, and deciding whether a role's trust policy lets a caller assume it. Trust
// policies are compiled once per distinct text and kept in a bounded cache.

import { BoundedCache } from '../keys/bounded-cache.ts';
import { loadPolicy, type CompiledPolicy } from '../policy/compile-policy.ts';
import { statementMatch } from '../policy/evaluate-statement.ts';
import { buildRequestFacts } from '../policy/request-facts.ts';
import type { Caller } from './caller.ts';
import { callerPrincipalFacts } from './principal-facts.ts';

export type PolicyOwner = 'user' | 'role';

/**
 * allow: a statement names the caller; allow-via-account: a statement names the caller's account,
 * so the caller's own identity policies must allow too; deny: an explicit Deny applies;
 * implicit-deny: nothing applies.
 */
export type TrustDecision = 'allow' | 'allow-via-account' | 'deny' | 'implicit-deny';

export interface TrustRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly roleArn: string;
  readonly sessionName: string | undefined;
  readonly externalId: string | undefined;
  readonly sourceIdentity: string | undefined;
  readonly sourceIp: string;
  readonly now: number;
}

export interface IdentityPolicyRules {
  /** Throws MalformedPolicyDocumentException listing what is wrong. */
  validateIdentityPolicy(text: string, owner: PolicyOwner): void;
  validateTrustPolicy(text: string): void;
  evaluateTrust(trustPolicy: string, request: TrustRequest): TrustDecision;
}

export function policyEngineRules(options: { readonly maxCompiled?: number } = {}): IdentityPolicyRules {
  const compiled = new BoundedCache<CompiledPolicy>(options.maxCompiled ?? 1000);
  const trustPolicy = (text: string): CompiledPolicy => {
    let policy = compiled.get(text);
    if (!policy) compiled.set(text, (policy = loadPolicy(text, { kind: 'trust' })));
    return policy;
  };
  return {
    validateIdentityPolicy(text, owner) {
      loadPolicy(text, { kind: 'identity', owner });
    },
    validateTrustPolicy(text) {
      trustPolicy(text);
    },
    evaluateTrust(text, request) {
      const extra: Record<string, string> = {};
      if (request.externalId !== undefined) extra['sts:ExternalId'] = request.externalId;
      if (request.sessionName !== undefined) extra['sts:RoleSessionName'] = request.sessionName;
      if (request.sourceIdentity !== undefined) extra['sts:SourceIdentity'] = request.sourceIdentity;
      const facts = buildRequestFacts({
        principal: callerPrincipalFacts(request.caller),
        action: request.action,
        resource: request.roleArn,
        now: new Date(request.now),
        sourceIp: request.sourceIp,
        extra,
      });
      let decision: TrustDecision = 'implicit-deny';
      for (const statement of trustPolicy(text).statements) {
        const match = statementMatch(statement, facts);
        if (match === 'none') continue;
        if (statement.statement.effect === 'Deny') return 'deny';
        if (match === 'direct') decision = 'allow';
        else if (decision !== 'allow') decision = 'allow-via-account';
      }
      return decision;
    },
  };
}
