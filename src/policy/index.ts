// The policy engine's public surface: parse and validate, compile, build request facts, evaluate,
// grants, the lockout check and AWS's AccessDenied message. Pure: no I/O, the clock passed in.

export type {
  PolicyKind,
  PolicyVersion,
  Effect,
  PolicyProblem,
  PolicyProblemCode,
  PolicyDocument,
  PolicyStatement,
  PrincipalSpec,
  ConditionClause,
} from './policy-document.ts';
export { parsePolicy, type ParsePolicyOptions, type ParsePolicyResult } from './parse-policy.ts';
export { malformedPolicyError } from './malformed-policy-error.ts';
export {
  KEY_POLICY_MAX_BYTES,
  IAM_INLINE_POLICY_LIMITS,
  IAM_MANAGED_POLICY_MAX_CHARS,
  ROLE_TRUST_POLICY_MAX_CHARS,
  iamPolicySize,
  type IdentityPolicyOwner,
} from './policy-limits.ts';
export { accountRootArn } from './parse-principal.ts';
export { compilePolicy, loadPolicy, type CompiledPolicy, type CompiledStatement } from './compile-policy.ts';
export { CONDITION_OPERATORS, parseOperatorName, type ConditionOperator } from './condition-operators.ts';
export {
  buildRequestFacts,
  type RequestFacts,
  type RequestFactsInput,
  type PrincipalFacts,
  type PrincipalType,
  type ConditionValues,
  type GrantConstraintType,
} from './request-facts.ts';
export { evaluate, type Decision, type EvaluationInput, type EvaluationResult, type MatchedStatement } from './evaluate.ts';
export type { StatementExplanation, FailedElement } from './evaluate-statement.ts';
export type { ConditionOutcome } from './compile-condition.ts';
export type { PrincipalMatch } from './principal-matcher.ts';
export { grantAllows, granteeMatches, CONTEXT_OPERATIONS, type Grant, type GrantConstraints, type GrantRequest, type GrantCheck } from './grants.ts';
export { checkPolicyLockout, lockoutError, LOCKOUT_MESSAGE, type LockoutCheck, type LockoutCheckInput } from './lockout-check.ts';
export { accessDeniedMessage, accessDeniedError, type DenialKind, type AccessDeniedInput } from './access-denied.ts';
export { compileWildcard, type WildcardMatcher, type StepMeter } from './wildcard.ts';
