// What the automatic policy lint on PutKeyPolicy / CreateKey leaves in the audit record
// (AuditNotes.policyLint → kontextDetail.policyLint): finding ids, severities and statement Sids,
// never policy values.

import type { LintSeverity } from './lint-finding.ts';

export type PolicyLintOnPut = 'off' | 'log' | 'enforce';
export const POLICY_LINT_ON_PUT_MODES: readonly PolicyLintOnPut[] = ['off', 'log', 'enforce'];

export interface PolicyLintNoteFinding {
  readonly id: string;
  readonly severity: LintSeverity;
  readonly statementIndex: number;
  readonly sid?: string;
}

export interface PolicyLintNote {
  readonly mode: PolicyLintOnPut;
  /** `reject` only in enforce mode with at least one finding of severity error. */
  readonly result: 'pass' | 'findings' | 'reject';
  readonly schema?: { readonly name: string; readonly version: number };
  readonly findings: readonly PolicyLintNoteFinding[];
}
