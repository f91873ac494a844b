// The Authorizer that evaluates policies as AWS KMS does (src/policy's evaluate): the key policy,
// the caller's inline identity policies and the key's grants. Everything a request needs is
// compiled ahead and cached (key policies by text, identity policies per owner, grants per key), so
// a request builds its facts and runs compiled matchers only.
//
// Denials are AWS's AccessDeniedException; the evaluator's reason (which statement, never a value)
// goes into the error's audit-only reason.

import type { Logger } from 'pino';
import {
  accessDeniedError,
  checkPolicyLockout,
  compilePolicy,
  evaluate,
  lockoutError,
  malformedPolicyError,
  parsePolicy,
  type CompiledPolicy,
  type EvaluationResult,
  type PolicyDocument,
  type PrincipalFacts,
  type RequestFacts,
} from '../policy/index.ts';
import type { Caller } from '../identity/caller.ts';
import type { GrantService } from '../grants/grant-service.ts';
import { checkGrantTokens } from '../grants/grant-token.ts';
import type { IdentityRepository } from '../store/identity-repository.ts';
import type { Authorizer, AuthzRequest, KeyPolicyCheck } from './authorizer.ts';
import { authzRequestFacts } from './authz-facts.ts';
import { decide } from './decide.ts';
import { IdentityPolicySource, NO_POLICIES, type OwnerPolicies } from './identity-policy-source.ts';
import { KeyPolicyCache } from './key-policy-cache.ts';
import { PrincipalDirectory } from './principal-directory.ts';
import { callerPrincipalFacts } from '../identity/principal-facts.ts';

export interface PolicyAuthorizerOptions {
  /** The identity store; without one, callers have no identity policies and only root exists. */
  readonly identity: IdentityRepository | undefined;
  readonly grants: GrantService;
  readonly log?: Logger;
  /** Seconds an identity-policy cache entry may be used before it is re-read (other nodes' changes). */
  readonly identityCacheTtlMs?: number;
}

const denied = (decision: EvaluationResult['decision'], reason: string): EvaluationResult => ({
  decision,
  matchedStatements: [],
  reason,
  denial: 'noIdentityPolicy',
});

/**
 * A session policy limits what the role's identity policies, a resource policy naming the role,
 * and grants allow; only a key policy statement naming the session's own ARN is outside it (IAM
 * User Guide, "Session policies"). An explicit Deny in it always applies.
 */
function limitBySessionPolicy(result: EvaluationResult, facts: RequestFacts, keyPolicy: CompiledPolicy | undefined, sessionPolicy: CompiledPolicy): EvaluationResult {
  const session = evaluate({ facts, identityPolicies: [sessionPolicy] });
  if (session.decision === 'explicitDeny') {
    return { ...result, decision: 'explicitDeny', denial: 'explicitDenyIdentity', reason: `Explicit deny in the session policy (${session.reason})` };
  }
  if (session.decision === 'allowed') return result;
  const namesSession = result.matchedStatements.some(
    (m) => m.source === 'keyPolicy' && m.effect === 'Allow' && (keyPolicy?.statements[m.index]?.statement.principal?.aws ?? []).includes(facts.principal.arn),
  );
  if (namesSession) return result;
  return { ...result, decision: 'implicitDeny', denial: 'noIdentityPolicy', reason: `The session policy does not allow ${facts.action} (${result.reason}, limited by the session policy)` };
}

export class PolicyAuthorizer implements Authorizer {
  readonly identityPolicies: IdentityPolicySource;
  readonly keyPolicies = new KeyPolicyCache();
  readonly principals: PrincipalDirectory;
  readonly grants: GrantService;
  /** Principal facts per caller object; callers come from the credential cache, so they repeat. */
  readonly #facts = new WeakMap<Caller, { readonly tags: OwnerPolicies['tags']; readonly facts: PrincipalFacts }>();

  constructor(options: PolicyAuthorizerOptions) {
    this.identityPolicies = new IdentityPolicySource(options.identity, {
      ...(options.log ? { log: options.log } : {}),
      ...(options.identityCacheTtlMs !== undefined ? { ttlMs: options.identityCacheTtlMs } : {}),
    });
    this.principals = new PrincipalDirectory(options.identity);
    this.grants = options.grants;
  }

  async authorize(req: AuthzRequest): Promise<void> {
    checkGrantTokens(req.grantTokens);
    const result = await this.evaluateRequest(req);
    if (result.decision === 'allowed') return;
    if (req.allowUnlessDenied && result.decision !== 'explicitDeny') return;
    throw accessDeniedError(
      { principalArn: req.caller.arn, action: req.action, resource: req.key?.arn ?? req.resourceArn ?? '*', denial: result.denial ?? 'noResourcePolicy' },
      result.reason,
    );
  }

  /** The full decision for a request (with the per-statement explanation when asked). */
  async evaluateRequest(req: AuthzRequest, explain = false): Promise<EvaluationResult> {
    const { caller, key } = req;
    const owner = caller.type === 'Root' ? NO_POLICIES : await this.identityPolicies.forCaller(caller, req.now);
    if (owner.broken.length > 0) {
      return denied('implicitDeny', `Identity policy ${owner.broken.map((n) => `"${n}"`).join(', ')} of the caller does not compile; the caller is denied until it is fixed`);
    }
    let keyPolicy: CompiledPolicy | undefined;
    if (key) {
      const lookup = this.keyPolicies.forKey(key);
      if (!lookup.ok) return { ...denied('implicitDeny', lookup.reason), denial: 'noResourcePolicy' };
      keyPolicy = lookup.policy;
    }
    const facts = authzRequestFacts(req, this.#principalFacts(caller, owner.tags));
    const result = await decide({ facts, keyPolicy, identityPolicies: owner.policies, grantKey: key, grantSource: this.grants }, explain);
    return owner.sessionPolicy && result.decision === 'allowed' ? limitBySessionPolicy(result, facts, keyPolicy, owner.sessionPolicy) : result;
  }

  async validateKeyPolicy(text: string, check: KeyPolicyCheck): Promise<void> {
    const parsed = parsePolicy(text, { kind: 'key' });
    if (!parsed.ok) throw malformedPolicyError(parsed.problems);
    await this.#checkPrincipals(text, parsed.document);
    const candidate = compilePolicy(parsed.document);
    if (!check.bypassLockoutCheck) {
      const { caller } = check;
      const now = check.now ?? Date.now();
      const owner = caller.type === 'Root' ? NO_POLICIES : await this.identityPolicies.forCaller(caller, now);
      const accountId = check.key?.accountId ?? caller.accountId;
      const lockout = checkPolicyLockout({
        candidate,
        principal: this.#principalFacts(caller, owner.tags),
        identityPolicies: owner.policies,
        keyArn: check.key?.arn ?? `arn:aws:kms:${check.region}:${accountId}:key/00000000-0000-0000-0000-000000000000`,
        keyAccountId: accountId,
        now: new Date(now),
        requestedRegion: check.region,
        ...(check.sourceIp !== undefined ? { sourceIp: check.sourceIp } : {}),
        ...(check.secureTransport !== undefined ? { secureTransport: check.secureTransport } : {}),
      });
      if (lockout.locksOut) throw lockoutError(lockout);
    }
    this.keyPolicies.prime(text, candidate);
  }

  /** "The principals in the key policy must exist and be visible to KMS." */
  async #checkPrincipals(text: string, document: PolicyDocument): Promise<void> {
    const arns = new Set<string>();
    for (const s of document.statements) {
      for (const arn of s.principal?.aws ?? []) arns.add(arn);
      for (const arn of s.notPrincipal?.aws ?? []) arns.add(arn);
    }
    const missing = new Set<string>();
    for (const arn of arns) if (!(await this.principals.exists(arn))) missing.add(arn);
    if (missing.size === 0) return;
    const again = parsePolicy(text, { kind: 'key', principalExists: (arn) => !missing.has(arn) });
    throw malformedPolicyError(again.ok ? [{ code: 'InvalidPrincipal', path: '', message: 'Policy contains a statement with one or more invalid principals.' }] : again.problems);
  }

  #principalFacts(caller: Caller, tags: OwnerPolicies['tags']): PrincipalFacts {
    const hit = this.#facts.get(caller);
    if (hit && hit.tags === tags) return hit.facts;
    const facts = callerPrincipalFacts(caller, tags);
    this.#facts.set(caller, { tags, facts });
    return facts;
  }
}
