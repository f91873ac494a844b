// Policy lint run automatically on PutKeyPolicy and CreateKey-with-Policy (KONTEXT_POLICY_LINT_ON_PUT):
// the same linter as Kontext.LintPolicy, with the key's context schema; the findings are logged
// (ids, severities, Sids) and put in the audit record. `enforce` refuses a policy with an
// error-severity finding with MalformedPolicyDocumentException listing the finding ids.

import { KontextError } from '../../errors.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import { lintPolicyText } from '../../schema/lint/policy-lint.ts';
import type { PolicyLintNote } from '../../schema/lint/lint-note.ts';
import type { OperationContext } from '../operation.ts';

/** Lints `policy` for `key`; records the result in ctx.audit and the log. Throws only in enforce mode. */
/** `recordOnly` (CreateKey, linted once the key exists so tag-matched schemas apply): never throws. */
export async function lintPolicyOnPut(ctx: OperationContext, key: KeyRecord, policy: string, options: { recordOnly?: boolean } = {}): Promise<PolicyLintNote | undefined> {
  const configured = ctx.services.config.policyLintOnPut ?? 'log';
  const mode = options.recordOnly && configured === 'enforce' ? 'log' : configured;
  if (mode === 'off') return undefined;
  const match = await ctx.services.guardrails.schemaFor(key);
  const result = lintPolicyText(policy, { kind: 'key', schema: match?.schema.document });
  // The policy was already validated by checkKeyPolicy; a parse failure here has nothing to report.
  if (!result.ok) return undefined;
  const blocking = result.findings.filter((f) => f.severity === 'error');
  const note: PolicyLintNote = {
    mode,
    result: mode === 'enforce' && blocking.length > 0 ? 'reject' : result.findings.length > 0 ? 'findings' : 'pass',
    ...(match ? { schema: { name: match.schema.document.name, version: match.schema.version } } : {}),
    findings: result.findings.map((f) => ({ id: f.id, severity: f.severity, statementIndex: f.statementIndex, ...(f.sid !== undefined ? { sid: f.sid } : {}) })),
  };
  ctx.audit.policyLint = note;
  if (note.findings.length > 0) {
    ctx.services.log.info({ requestId: ctx.meta.requestId, keyId: key.keyId, policyLint: note }, 'policy lint findings');
  }
  if (note.result === 'reject') {
    const ids = [...new Set(blocking.map((f) => f.id))];
    const where = blocking.map((f) => `${f.id} (Statement[${f.statementIndex}]${f.sid !== undefined ? ` ${f.sid}` : ''})`);
    throw new KontextError('MalformedPolicyDocumentException', `The policy has policy-lint findings of severity error: ${ids.join(', ')}`, where.join('\n'));
  }
  return note;
}
