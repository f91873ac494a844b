// Decides whether one compiled statement applies to a request: action, then principal, resource and
// conditions (cheapest and most selective first). The fast form answers only how the principal
// matched; the explaining form also says which element failed, for the simulator and audit.

import type { CompiledStatement } from './compile-policy.ts';
import type { ConditionOutcome } from './compile-condition.ts';
import type { Effect } from './policy-document.ts';
import type { PrincipalMatch } from './principal-matcher.ts';
import type { RequestFacts } from './request-facts.ts';

export function statementMatch(s: CompiledStatement, facts: RequestFacts): PrincipalMatch {
  if (!s.matchesAction(facts.action)) return 'none';
  const principal = s.principal.match(facts.principal);
  if (principal === 'none') return 'none';
  if (!s.matchesResource(facts.resource, facts.conditionValues)) return 'none';
  for (const c of s.conditions) if (!c.test(facts.conditionValues)) return 'none';
  return principal;
}

export type FailedElement = 'action' | 'principal' | 'resource' | 'condition';

export interface StatementExplanation {
  /** `keyPolicy`, `identityPolicy:<name>` or `grant:<id>`. */
  readonly source: string;
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly applies: boolean;
  readonly principalMatch: PrincipalMatch;
  readonly failedElement?: FailedElement;
  /** The first failing condition: operator and key as written, never the request's value. */
  readonly failedCondition?: { readonly operator: string; readonly key: string; readonly outcome: ConditionOutcome };
  readonly detail: string;
}

export function explainStatement(s: CompiledStatement, facts: RequestFacts, source: string): StatementExplanation {
  const { index, sid, effect } = s.statement;
  const base = { source, index, sid, effect };
  const fail = (failedElement: FailedElement, detail: string, principalMatch: PrincipalMatch = 'none'): StatementExplanation => ({
    ...base,
    applies: false,
    principalMatch,
    failedElement,
    detail,
  });
  if (!s.matchesAction(facts.action)) {
    return fail('action', `${s.statement.action ? 'Action does not include' : 'NotAction excludes'} ${facts.action}`);
  }
  const principalMatch = s.principal.match(facts.principal);
  if (principalMatch === 'none') {
    return fail('principal', `${s.statement.notPrincipal ? 'NotPrincipal excludes' : 'Principal does not name'} ${facts.principal.arn}`);
  }
  if (!s.matchesResource(facts.resource, facts.conditionValues)) {
    return fail('resource', `${s.statement.notResource ? 'NotResource excludes' : 'Resource does not include'} ${facts.resource}`, principalMatch);
  }
  for (const c of s.conditions) {
    const outcome = c.outcome(facts.conditionValues);
    if (outcome === 'match') continue;
    const why =
      outcome === 'absent'
        ? 'the key is not in the request'
        : outcome === 'unresolved-variable'
          ? 'a policy variable has no value in the request'
          : 'the request value does not match';
    return {
      ...fail('condition', `Condition ${c.clause.operatorName} on ${c.clause.key} is not met: ${why}`, principalMatch),
      failedCondition: { operator: c.clause.operatorName, key: c.clause.key, outcome },
    };
  }
  const who = principalMatch === 'account' ? `the account of ${facts.principal.arn} (delegation to IAM policies)` : facts.principal.arn;
  return { ...base, applies: true, principalMatch, detail: `${effect} applies to ${who}` };
}
