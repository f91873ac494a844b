// A policy-lint finding: a stable id (CI pipelines gate on it), a severity, where it is, and how
// to fix it. The rule table (LINT_RULES) is the documentation of every id.

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintFinding {
  readonly id: LintRuleId;
  readonly severity: LintSeverity;
  /** 0-based position of the statement in the document. */
  readonly statementIndex: number;
  readonly sid: string | undefined;
  /** e.g. `Statement[2].Condition.StringLike.kms:EncryptionContext:dept` */
  readonly path: string;
  readonly message: string;
  readonly suggestion: string;
}

export const LINT_RULES = {
  'decrypt-without-context-condition': { severity: 'warning', summary: 'Decrypt (or kms:*) allowed to a principal other than the account root without any kms:EncryptionContext condition' },
  'wildcard-principal-without-condition': { severity: 'error', summary: '"Principal": "*" in an Allow statement with no condition at all' },
  'stringlike-without-wildcard': { severity: 'info', summary: 'StringLike / StringNotLike whose values have no * or ? (StringEquals says what is meant)' },
  'stringequals-with-wildcard': { severity: 'warning', summary: 'StringEquals / StringNotEquals with * or ? in a value: they match only that literal text' },
  'context-key-case-mismatch': { severity: 'warning', summary: "kms:EncryptionContext:<key> spelled with a different case than the context schema's field" },
  'context-key-not-in-schema': { severity: 'warning', summary: 'kms:EncryptionContext:<key> names a key the applicable context schema does not declare' },
  'condition-never-matches': { severity: 'error', summary: "A condition no request can satisfy (the schema's enum, pattern or length excludes every value; contradictory conditions)" },
  'allow-shadowed-by-deny': { severity: 'warning', summary: 'An Allow statement fully covered by an unconditional Deny: it can never allow anything' },
  'unknown-action': { severity: 'error', summary: 'An action (or action pattern) that matches no KMS or Kontext action' },
} as const satisfies Record<string, { severity: LintSeverity; summary: string }>;

export type LintRuleId = keyof typeof LINT_RULES;

export const RULE_ORDER: readonly LintRuleId[] = Object.keys(LINT_RULES) as LintRuleId[];
