// The evaluator's decision table, exported so the simulator test can replay every case through the
// server and assert the same decisions. Each case is plain data: policies as JSON, a request, the
// expected decision, and where AWS documents that expectation.

import { buildRequestFacts, type PrincipalFacts, type RequestFactsInput } from './request-facts.ts';
import { loadPolicy } from './compile-policy.ts';
import { KEY_ARN, ACCOUNT, type PolicyJson } from './evaluator-fixtures.ts';
import { authorizationCases } from './evaluator-cases-authorization.ts';
import { contextCases } from './evaluator-cases-context.ts';
import { operatorCases } from './evaluator-cases-operators.ts';
import { grantCases } from './evaluator-cases-grants.ts';
import type { DenialKind } from './access-denied.ts';
import type { Decision, EvaluationInput } from './evaluate.ts';
import type { Grant } from './grants.ts';

export interface EvaluatorCaseRequest {
  readonly principal: PrincipalFacts;
  readonly action: string;
  /** Defaults to the key ARN when the case has a key policy, `*` otherwise. */
  readonly resource?: string;
  /** Defaults to the key's account (111122223333) when the case has a key policy. */
  readonly keyAccountId?: string;
  readonly encryptionContext?: Readonly<Record<string, string>>;
  readonly grantConstraintType?: RequestFactsInput['grantConstraintType'];
  /** Other condition keys, as simulator ContextEntries would give them. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface EvaluatorCase {
  /** Subject and behaviour. */
  readonly name: string;
  /** The AWS documentation page the expectation is taken from, when there is one. */
  readonly source?: string;
  readonly keyPolicy?: PolicyJson;
  readonly identityPolicies?: ReadonlyArray<{ readonly name: string; readonly document: PolicyJson }>;
  readonly grants?: readonly Grant[];
  readonly request: EvaluatorCaseRequest;
  readonly expect: Decision;
  readonly denial?: DenialKind;
  /** Sources (`keyPolicy`, `identityPolicy:<name>`, `grant:<id>`) that must be among the matched statements. */
  readonly matched?: readonly string[];
}

export const evaluatorCases: readonly EvaluatorCase[] = [...authorizationCases, ...contextCases, ...operatorCases, ...grantCases];

/** A fixed clock for every case; date conditions set aws:CurrentTime explicitly when they need to. */
export const CASE_NOW = new Date('2024-06-01T12:00:00Z');

export function evaluatorCaseInput(c: EvaluatorCase): EvaluationInput {
  const { request } = c;
  const hasKey = c.keyPolicy !== undefined;
  const facts = buildRequestFacts({
    principal: request.principal,
    action: request.action,
    resource: request.resource ?? (hasKey ? KEY_ARN : '*'),
    ...(hasKey || request.keyAccountId ? { keyAccountId: request.keyAccountId ?? ACCOUNT } : {}),
    now: CASE_NOW,
    ...(request.encryptionContext ? { encryptionContext: request.encryptionContext } : {}),
    ...(request.grantConstraintType ? { grantConstraintType: request.grantConstraintType } : {}),
    ...(request.context ? { extra: request.context } : {}),
  });
  return {
    facts,
    ...(c.keyPolicy ? { keyPolicy: loadPolicy(JSON.stringify(c.keyPolicy), { kind: 'key' }) } : {}),
    identityPolicies: (c.identityPolicies ?? []).map((p) =>
      loadPolicy(JSON.stringify(p.document), { kind: 'identity', name: p.name }),
    ),
    grants: c.grants ?? [],
  };
}
