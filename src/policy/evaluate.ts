// The one authorization decision, shared by enforcement and the simulator (AWS KMS semantics, KMS
// Developer Guide "Determining access to an AWS KMS key"; IAM "Policy evaluation logic").
//
// Evaluation order:
//   1. Every statement of the key policy and of the caller's identity policies is matched against
//      the request (action, principal, resource, conditions).
//   2. An applicable Deny anywhere → explicitDeny. Grants cannot deny and cannot override it.
//      In a key policy a Deny naming an account applies to every identity of that account.
//   3. With a key policy (KMS key resource operations):
//        same account:  allowed if a key policy Allow names the caller (user, role of the session,
//                       the session, root, or `*`), or an Allow names the caller's account (root /
//                       account id) AND one of the caller's identity policies allows;
//        other account: allowed if the key policy allows the caller or its account AND the caller's
//                       own identity policies allow (cross-account always needs both).
//      Without a key policy (IAM-only actions such as kms:CreateKey, kms:ListKeys, iam:*, sts:*):
//        allowed if an identity policy allows. The account root user is allowed by its identity.
//   4. Otherwise a grant for this key whose grantee, operation and constraints fit → allowed.
//   5. Otherwise → implicitDeny.

import { explainStatement, statementMatch, type StatementExplanation } from './evaluate-statement.ts';
import { grantAllows, type Grant } from './grants.ts';
import type { CompiledPolicy, CompiledStatement } from './compile-policy.ts';
import type { DenialKind } from './access-denied.ts';
import type { Effect } from './policy-document.ts';
import type { PrincipalMatch } from './principal-matcher.ts';
import type { RequestFacts } from './request-facts.ts';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface MatchedStatement {
  /** `keyPolicy`, `identityPolicy:<name>` or `grant:<id>`. */
  readonly source: string;
  readonly sid: string | undefined;
  readonly index: number;
  readonly effect: Effect;
}

export interface EvaluationInput {
  readonly facts: RequestFacts;
  /** Absent for actions authorized by IAM policies alone. */
  readonly keyPolicy?: CompiledPolicy | undefined;
  /** The caller's own identity policies (each compiled with its name). */
  readonly identityPolicies?: readonly CompiledPolicy[];
  /** Grants on the key; those for other grantees or operations are ignored. */
  readonly grants?: readonly Grant[];
}

export interface EvaluationResult {
  readonly decision: Decision;
  /** Every statement that applied (either effect), and the grant that allowed, if one did. */
  readonly matchedStatements: readonly MatchedStatement[];
  /** Why, for the audit trail and the simulator. Names statements, never request values. */
  readonly reason: string;
  /** For the AccessDenied message, when not allowed. */
  readonly denial: DenialKind | undefined;
  /** Per statement and grant, only when asked for with `{ explain: true }`. */
  readonly explanation?: readonly StatementExplanation[];
}

interface Applied {
  readonly source: string;
  readonly statement: CompiledStatement;
  readonly match: PrincipalMatch;
}

const describe = (a: Applied): string =>
  `${a.source === 'keyPolicy' ? 'key policy' : a.source.replace('identityPolicy:', 'identity policy ')} statement ${a.statement.statement.sid ? `"${a.statement.statement.sid}"` : `#${a.statement.statement.index}`}`;

export function evaluate(input: EvaluationInput, options: { readonly explain?: boolean } = {}): EvaluationResult {
  const { facts, keyPolicy } = input;
  const identityPolicies = input.identityPolicies ?? [];
  const applied: Applied[] = [];
  const explanation: StatementExplanation[] | undefined = options.explain ? [] : undefined;
  const scan = (policy: CompiledPolicy, source: string): void => {
    for (const statement of policy.statements) {
      const match = statementMatch(statement, facts);
      if (match !== 'none') applied.push({ source, statement, match });
      explanation?.push(explainStatement(statement, facts, source));
    }
  };
  if (keyPolicy) scan(keyPolicy, 'keyPolicy');
  for (const p of identityPolicies) scan(p, `identityPolicy:${p.name ?? 'unnamed'}`);
  const matched: MatchedStatement[] = applied.map(({ source, statement: { statement: s } }) => ({ source, sid: s.sid, index: s.index, effect: s.effect }));
  const result = (decision: Decision, reason: string, denial?: DenialKind): EvaluationResult => ({
    decision,
    matchedStatements: matched,
    reason,
    denial,
    ...(explanation ? { explanation } : {}),
  });

  const deny = applied.find((a) => a.statement.statement.effect === 'Deny');
  if (deny) {
    return result('explicitDeny', `Explicit deny in ${describe(deny)}`, deny.source === 'keyPolicy' ? 'explicitDenyResource' : 'explicitDenyIdentity');
  }

  const allows = applied.filter((a) => a.statement.statement.effect === 'Allow');
  const identityAllow = allows.find((a) => a.source !== 'keyPolicy');
  const isRoot = facts.principal.type === 'Account';
  const identityAllows = isRoot || identityAllow !== undefined;
  const identityWhy = identityAllow ? describe(identityAllow) : 'the account root user';
  let denial: DenialKind;
  let reason: string;
  if (keyPolicy) {
    const direct = allows.find((a) => a.source === 'keyPolicy' && a.match === 'direct');
    const account = allows.find((a) => a.source === 'keyPolicy' && a.match === 'account');
    const sameAccount = facts.keyAccountId === undefined || facts.keyAccountId === facts.principal.accountId;
    if (sameAccount && direct) return result('allowed', `Allowed by ${describe(direct)}, which names the caller`);
    const keyAllow = direct ?? account;
    if (keyAllow && identityAllows) {
      return result('allowed', `Allowed by ${describe(keyAllow)}${sameAccount ? ', which delegates to IAM policies,' : ''} and ${identityWhy}`);
    }
    denial = keyAllow ? 'noIdentityPolicy' : 'noResourcePolicy';
    reason = !keyAllow
      ? `No key policy statement allows ${facts.action} for the caller`
      : sameAccount
        ? `The key policy delegates to the account, but no identity policy allows ${facts.action}`
        : `The caller is from account ${facts.principal.accountId}: the key policy allows it, but none of its identity policies allows ${facts.action}`;
  } else {
    if (identityAllows) return result('allowed', `Allowed by ${identityWhy}`);
    denial = 'noIdentityPolicy';
    reason = `No identity policy allows ${facts.action}`;
  }

  for (const grant of input.grants ?? []) {
    const check = grantAllows(grant, {
      principal: facts.principal,
      operation: facts.action,
      ...(facts.encryptionContext ? { encryptionContext: facts.encryptionContext } : {}),
      ...(facts.grantConstraintType ? { grantConstraintType: facts.grantConstraintType } : {}),
    });
    explanation?.push(grantExplanation(grant, check.allowed, check.reason));
    if (check.allowed) {
      matched.push({ source: `grant:${grant.grantId}`, sid: undefined, index: 0, effect: 'Allow' });
      return result('allowed', `Allowed by grant ${grant.grantId}`);
    }
  }
  return result('implicitDeny', reason, denial);
}

function grantExplanation(grant: Grant, allowed: boolean, detail: string): StatementExplanation {
  return {
    source: `grant:${grant.grantId}`,
    index: 0,
    sid: undefined,
    effect: 'Allow',
    applies: allowed,
    principalMatch: allowed ? 'direct' : 'none',
    detail,
  };
}
