// Kontext.LintPolicy: lints a key or identity policy (src/schema/lint) and returns the findings.
// With KeyId (or SchemaName), the context schema governing that key is applied too.

import { defineOperation } from '../operation.ts';
import { str, REQUIRED } from '../validate.ts';
import { authorizeAccountAction, useKey } from '../kms/use-key.ts';
import { optionalKeyIdField } from '../kms/fields.ts';
import { malformedPolicyError } from '../../policy/index.ts';
import { lintPolicyText } from '../../schema/lint/policy-lint.ts';
import type { ContextSchemaDocument } from '../../schema/schema-document.ts';

export const POLICY_TYPES = ['KEY_POLICY', 'IDENTITY_POLICY'] as const;

export const lintPolicy = defineOperation({
  service: 'kontext',
  name: 'LintPolicy',
  action: 'kontext:LintPolicy',
  readOnly: true,
  input: {
    Policy: str({ min: 1, max: 131072 }, REQUIRED),
    PolicyType: str({ enum: POLICY_TYPES }),
    KeyId: optionalKeyIdField(),
    SchemaName: str({ min: 1, max: 128, pattern: /^[A-Za-z0-9_.-]+$/ }),
  },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:LintPolicy');
    const guardrails = ctx.services.guardrails;
    let schema: { document: ContextSchemaDocument; version: number } | undefined;
    if (input.SchemaName !== undefined) {
      schema = await guardrails.registry.get({ region: ctx.region, accountId: ctx.caller.accountId }, input.SchemaName);
    } else if (input.KeyId !== undefined) {
      const key = await useKey(ctx, input.KeyId, 'kms:DescribeKey', { state: 'any' });
      const match = await guardrails.schemaFor(key);
      if (match) schema = { document: match.schema.document, version: match.schema.version };
    }
    const result = lintPolicyText(input.Policy, { kind: input.PolicyType === 'IDENTITY_POLICY' ? 'identity' : 'key', schema: schema?.document });
    if (!result.ok) throw malformedPolicyError(result.problems);
    return {
      Findings: result.findings.map((f) => ({
        Id: f.id,
        Severity: f.severity,
        StatementIndex: f.statementIndex,
        ...(f.sid !== undefined ? { Sid: f.sid } : {}),
        Path: f.path,
        Message: f.message,
        Suggestion: f.suggestion,
      })),
      ...(schema ? { SchemaName: schema.document.name, SchemaVersion: schema.version } : {}),
    };
  },
  requestParameters: (i) => ({
    policyType: i.PolicyType ?? 'KEY_POLICY',
    ...(i.KeyId !== undefined ? { keyId: i.KeyId } : {}),
    ...(i.SchemaName !== undefined ? { schemaName: i.SchemaName } : {}),
  }),
  responseElements: (o) => ({ findingCount: o.Findings.length }),
});
