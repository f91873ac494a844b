// Compiles one condition clause into a closure, and holds the generic condition rules every operator
// shares (IAM User Guide, "Condition operators" and "Creating a condition with multiple keys or values"):
// - values listed for one key are ORed; a negated operator holds when none of them matches;
// - a key absent from the request: false, except negated operators and ...IfExists (true) and Null;
// - ForAllValues holds on an absent or empty key, ForAnyValue fails on one (IfExists does not rescue it);
// - a multi-valued request key without a set qualifier must match on every value (for KMS this is a
//   context whose keys differ only in case; IAM says such a key "matches both ... but only one value").
// Clauses in one Condition element are ANDed by the statement.

import { parseOperatorName, type ParsedOperator, type ValueTest } from './condition-operators.ts';
import { parseTemplate, resolveTemplate, staticParts, type PolicyTemplate } from './policy-template.ts';
import type { ConditionClause, PolicyVersion } from './policy-document.ts';
import type { ConditionValues } from './request-facts.ts';
import type { StepMeter } from './wildcard.ts';

export type ConditionOutcome = 'match' | 'absent' | 'no-match' | 'unresolved-variable';

export interface CompiledCondition {
  readonly clause: ConditionClause;
  /** Canonical operator spelling and lowercased key, for explanations. */
  readonly operator: string;
  readonly key: string;
  test(values: ConditionValues, meter?: StepMeter): boolean;
  /** The same decision with the reason; slower, for explanations only. */
  outcome(values: ConditionValues): ConditionOutcome;
}

export function compileCondition(clause: ConditionClause, version: PolicyVersion | undefined): CompiledCondition {
  const parsed = parseOperatorName(clause.operatorName);
  if (!parsed) throw new Error(`Condition operator was not validated: ${clause.operatorName}`);
  const key = clause.key.toLowerCase();
  const variables = version === '2012-10-17' && parsed.operator.acceptsVariables;
  const staticTests: ValueTest[] = [];
  const dynamic: PolicyTemplate[] = [];
  for (const value of clause.values) {
    const template = parseTemplate(value, variables);
    if (template.hasVariables) dynamic.push(template);
    else {
      const test = parsed.operator.prepare(staticParts(template));
      if (test) staticTests.push(test);
    }
  }
  const testsFor = (values: ConditionValues): ValueTest[] | undefined => {
    if (dynamic.length === 0) return staticTests;
    const tests = staticTests.slice();
    for (const template of dynamic) {
      const resolved = resolveTemplate(template, values);
      if (!resolved) return undefined;
      const test = parsed.operator.prepare(resolved);
      if (test) tests.push(test);
    }
    return tests;
  };
  return {
    clause,
    operator: parsed.canonical,
    key,
    test(values, meter) {
      const tests = testsFor(values);
      return tests !== undefined && holds(parsed, tests, values.get(key), meter);
    },
    outcome(values) {
      const tests = testsFor(values);
      if (!tests) return 'unresolved-variable';
      if (holds(parsed, tests, values.get(key))) return 'match';
      const value = values.get(key);
      return value === undefined || value.length === 0 ? 'absent' : 'no-match';
    },
  };
}

function holds(
  parsed: ParsedOperator,
  tests: readonly ValueTest[],
  requestValue: string | readonly string[] | undefined,
  meter?: StepMeter,
): boolean {
  const { operator, qualifier, ifExists } = parsed;
  const list = requestValue === undefined ? undefined : typeof requestValue === 'string' ? [requestValue] : requestValue;
  const absent = list === undefined || list.length === 0;
  if (operator.testsPresence) {
    if (absent && ifExists) return true;
    const probe = absent ? undefined : list[0];
    return tests.some((t) => t(probe));
  }
  if (absent) {
    if (qualifier === 'ForAnyValue') return false;
    if (qualifier === 'ForAllValues' || ifExists) return true;
    return operator.negated;
  }
  const anyMatch = (v: string): boolean => tests.some((t) => t(v, meter));
  const passes = (v: string): boolean => (operator.negated ? !anyMatch(v) : anyMatch(v));
  if (qualifier === 'ForAllValues') return list.every(passes);
  if (qualifier === 'ForAnyValue') return list.some(passes);
  if (list.length === 1) return passes(list[0] as string);
  const all = list.every(anyMatch);
  return operator.negated ? !all : all;
}
