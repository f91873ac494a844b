// How a rule reports: the rule id, the statement, the path and the words; the severity comes from
// the rule table so that it is the same for every finding of a rule.

import type { PolicyStatement } from '../../policy/index.ts';
import { LINT_RULES, type LintFinding, type LintRuleId } from './lint-finding.ts';

export type Report = (id: LintRuleId, s: PolicyStatement, path: string, message: string, suggestion: string) => void;

export function collector(findings: LintFinding[]): Report {
  return (id, s, path, message, suggestion) =>
    findings.push({ id, severity: LINT_RULES[id].severity, statementIndex: s.index, sid: s.sid, path, message, suggestion });
}
