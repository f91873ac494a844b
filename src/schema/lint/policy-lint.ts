// Policy lint: the mistakes in key and identity policies that let too much through or never match,
// checked on the policy engine's own parse of the document (src/policy), optionally against the
// context schema that governs the key. Findings come in a stable order (statement, then rule,
// then path) so that CI can compare runs and gate on them.

import { parsePolicy, type PolicyDocument, type PolicyKind, type PolicyProblem } from '../../policy/index.ts';
import type { ContextSchemaDocument } from '../schema-document.ts';
import { KMS_ACTIONS, KONTEXT_ACTIONS } from './known-actions.ts';
import { RULE_ORDER, type LintFinding } from './lint-finding.ts';
import { lintContextConditions, SchemaFields } from './lint-context.ts';
import { collector } from './lint-report.ts';
import { lintActions, lintOperators, lintPrincipalAndDecrypt, lintShadowing } from './lint-statements.ts';

export interface LintOptions {
  readonly kind: PolicyKind;
  /** The context schema of the key the policy belongs to (enables the schema rules). */
  readonly schema?: ContextSchemaDocument | undefined;
}

const DISPLAY = new Map([...KMS_ACTIONS, ...KONTEXT_ACTIONS].map((a) => [a.toLowerCase(), a]));
const display = (lower: string): string => DISPLAY.get(lower) ?? lower;

export function lintPolicy(doc: PolicyDocument, options: LintOptions): LintFinding[] {
  const findings: LintFinding[] = [];
  const report = collector(findings);
  const fields = options.schema ? new SchemaFields(options.schema) : undefined;
  for (const s of doc.statements) {
    lintActions(report, s, options.kind, display);
    lintPrincipalAndDecrypt(report, s, options.kind);
    lintOperators(report, s);
    lintContextConditions(report, s, fields);
  }
  lintShadowing(report, doc.statements, options.kind);
  const rank = new Map(RULE_ORDER.map((id, i) => [id, i]));
  return findings.sort((a, b) => a.statementIndex - b.statementIndex || rank.get(a.id)! - rank.get(b.id)! || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type LintTextResult = { readonly ok: true; readonly findings: LintFinding[] } | { readonly ok: false; readonly problems: readonly PolicyProblem[] };

/** Parses with the policy engine (so a document it rejects is reported as it would be) and lints. */
export function lintPolicyText(text: string, options: LintOptions): LintTextResult {
  const parsed = parsePolicy(text, { kind: options.kind });
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  return { ok: true, findings: lintPolicy(parsed.document, options) };
}
