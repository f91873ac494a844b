// What identity needs from the policy engine: validating identity and trust policies when they are
// stored, and deciding whether a role's trust policy lets a caller assume it. `basicPolicyRules`
// is a small stand-in (JSON checks; Effect/Action/Principal matching, conditions only for
// sts:ExternalId) used where the full engine is not wired in.

import { KontextError } from '../errors.ts';
import type { Caller } from './caller.ts';

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

const malformed = (message: string): KontextError => new KontextError('MalformedPolicyDocumentException', message);

interface Statement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Principal?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

function statementsOf(text: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('Syntax errors in policy');
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw malformed('Syntax errors in policy: the policy must contain at least one Statement');
  for (const s of list) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw malformed('Syntax errors in policy');
    const effect = (s as Statement).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') throw malformed('Syntax errors in policy: Effect must be Allow or Deny');
  }
  return list as Statement[];
}

const asList = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+^${}()|[\]\\?]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

function actionApplies(s: Statement, action: string): boolean {
  if (s.Action !== undefined) return asList(s.Action).some((p) => wildcardMatch(p, action));
  if (s.NotAction !== undefined) return !asList(s.NotAction).some((p) => wildcardMatch(p, action));
  return false;
}

/** direct | account | none, as the Principal element names the caller. */
function principalMatch(principal: unknown, caller: Caller): 'direct' | 'account' | 'none' {
  if (principal === '*') return 'direct';
  if (typeof principal !== 'object' || principal === null) return 'none';
  const aws = asList((principal as { AWS?: unknown }).AWS);
  let result: 'direct' | 'account' | 'none' = 'none';
  for (const p of aws) {
    if (p === '*' || p === caller.arn || (caller.sessionIssuer && p === caller.sessionIssuer.arn)) return 'direct';
    if (p === caller.accountId || p === `arn:aws:iam::${caller.accountId}:root`) {
      if (caller.type === 'Root') return 'direct';
      result = 'account';
    }
  }
  return result;
}

/** Conditions this stand-in understands: StringEquals on sts:ExternalId. Anything else: unknown. */
function conditionHolds(condition: unknown, request: TrustRequest): boolean | undefined {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return undefined;
  for (const [operator, block] of Object.entries(condition)) {
    if (operator !== 'StringEquals' || typeof block !== 'object' || block === null) return undefined;
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      if (key.toLowerCase() !== 'sts:externalid') return undefined;
      if (request.externalId === undefined || !asList(values).includes(request.externalId)) return false;
    }
  }
  return true;
}

export const basicPolicyRules: IdentityPolicyRules = {
  validateIdentityPolicy(text) {
    for (const s of statementsOf(text)) {
      if (s.Principal !== undefined) throw malformed('Policy document should not specify a principal');
    }
  },
  validateTrustPolicy(text) {
    for (const s of statementsOf(text)) {
      if (s.Resource !== undefined) throw malformed('Has prohibited field Resource');
      if (s.Principal === undefined) throw malformed('Missing required field Principal');
    }
  },
  evaluateTrust(trustPolicy, request) {
    let decision: TrustDecision = 'implicit-deny';
    for (const s of statementsOf(trustPolicy)) {
      if (!actionApplies(s, request.action)) continue;
      const match = principalMatch(s.Principal, request.caller);
      if (match === 'none') continue;
      const holds = conditionHolds(s.Condition, request);
      // Fail closed: a Deny whose condition we cannot evaluate applies, such an Allow does not.
      if (s.Effect === 'Deny' && holds !== false) return 'deny';
      if (s.Effect === 'Allow' && holds === true) {
        if (match === 'direct') decision = 'allow';
        else if (decision !== 'allow') decision = 'allow-via-account';
      }
    }
    return decision;
  },
};
