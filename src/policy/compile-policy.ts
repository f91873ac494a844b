// Compiles a validated policy once (when it is stored) into matchers: actions into a set plus
// case-insensitive wildcard matchers, principals into sets, resources into ARN patterns, conditions
// into closures. Requests then only run these.

import { compileArnPattern } from './arn-pattern.ts';
import { compileCondition, type CompiledCondition } from './compile-condition.ts';
import { malformedPolicyError } from './malformed-policy-error.ts';
import { parsePolicy, type ParsePolicyOptions } from './parse-policy.ts';
import { parseTemplate, resolveTemplate, staticParts } from './policy-template.ts';
import { compileNotPrincipal, compilePrincipal, SELF_PRINCIPAL, type PrincipalMatcher } from './principal-matcher.ts';
import { compileWildcard, type StepMeter, type WildcardMatcher } from './wildcard.ts';
import type { PolicyDocument, PolicyKind, PolicyStatement } from './policy-document.ts';
import type { ConditionValues } from './request-facts.ts';

export interface CompiledStatement {
  readonly statement: PolicyStatement;
  matchesAction(action: string): boolean;
  readonly principal: PrincipalMatcher;
  matchesResource(resource: string, values: ConditionValues, meter?: StepMeter): boolean;
  readonly conditions: readonly CompiledCondition[];
}

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  /** Identity policies are named (`identityPolicy:<name>` in results); a key policy needs none. */
  readonly name: string | undefined;
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
}

export function compilePolicy(document: PolicyDocument, name?: string): CompiledPolicy {
  return {
    kind: document.kind,
    name,
    document,
    statements: document.statements.map((s) => compileStatement(s, document)),
  };
}

/** Parse, validate and compile, or throw MalformedPolicyDocumentException listing the problems. */
export function loadPolicy(text: string, options: ParsePolicyOptions & { readonly name?: string }): CompiledPolicy {
  const parsed = parsePolicy(text, options);
  if (!parsed.ok) throw malformedPolicyError(parsed.problems);
  return compilePolicy(parsed.document, options.name);
}

function compileStatement(s: PolicyStatement, doc: PolicyDocument): CompiledStatement {
  const actions = compileActions(s.action ?? s.notAction ?? []);
  const negateAction = s.action === undefined;
  const resources = compileResources(s.resource ?? s.notResource ?? ['*'], doc);
  const negateResource = s.resource === undefined && s.notResource !== undefined;
  let principal = SELF_PRINCIPAL;
  if (s.principal) principal = compilePrincipal(s.principal);
  else if (s.notPrincipal) principal = compileNotPrincipal(s.notPrincipal);
  return {
    statement: s,
    matchesAction: (action) => actions(action) !== negateAction,
    principal,
    matchesResource: (resource, values, meter) => resources(resource, values, meter) !== negateResource,
    conditions: s.conditions.map((c) => compileCondition(c, doc.version)),
  };
}

/** IAM action names are case-insensitive. */
function compileActions(patterns: readonly string[]): (action: string) => boolean {
  const exact = new Set<string>();
  const wild: WildcardMatcher[] = [];
  for (const p of patterns) {
    if (/[*?]/.test(p)) wild.push(compileWildcard(p, { ignoreCase: true }));
    else exact.add(p.toLowerCase());
  }
  return (action) => {
    if (exact.has(action.toLowerCase())) return true;
    for (const m of wild) if (m.test(action)) return true;
    return false;
  };
}

type ResourceTest = (resource: string, values: ConditionValues, meter?: StepMeter) => boolean;

function compileResources(patterns: readonly string[], doc: PolicyDocument): ResourceTest {
  if (patterns.includes('*')) return () => true;
  const tests: ResourceTest[] = patterns.map((p) => {
    const template = parseTemplate(p, doc.version === '2012-10-17');
    if (!template.hasVariables) {
      const matcher = compileArnPattern(staticParts(template));
      return (resource, _values, meter) => matcher.test(resource, meter);
    }
    return (resource, values, meter) => {
      const resolved = resolveTemplate(template, values);
      return resolved !== undefined && compileArnPattern(resolved).test(resource, meter);
    };
  });
  return (resource, values, meter) => tests.some((t) => t(resource, values, meter));
}
