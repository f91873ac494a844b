import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyOnPut } from './policy-lint-on-put.ts';
import type { OperationContext } from '../operation.ts';
import type { KeyRecord } from '../../keys/key-record.ts';
import type { PolicyLintOnPut } from '../../schema/lint/lint-note.ts';

const ROOT = 'arn:aws:iam::123456789012:root';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
    { Sid: 'OpenDecrypt', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': 'secret-looking-value-123' } } },
  ],
});

function fakeCtx(mode: PolicyLintOnPut) {
  const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const ctx = {
    meta: { requestId: 'req-1' },
    services: {
      config: { policyLintOnPut: mode },
      guardrails: { schemaFor: async () => undefined },
      log: { info: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }) },
    },
    audit: { resources: [], reason: undefined, extraRequestParameters: {} },
  } as unknown as OperationContext;
  return { ctx, lines };
}

const key = { keyId: 'k-1' } as KeyRecord;

test('log: one structured log line with ids, severities and Sids (no policy values) and the audit note', async () => {
  const { ctx, lines } = fakeCtx('log');
  const note = await lintPolicyOnPut(ctx, key, POLICY);
  assert.equal(note?.result, 'findings');
  assert.deepEqual(ctx.audit.policyLint, note);
  assert.deepEqual(note!.findings.map((f) => [f.id, f.severity, f.sid]), [['decrypt-without-context-condition', 'warning', 'OpenDecrypt']]);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.msg, 'policy lint findings');
  assert.doesNotMatch(JSON.stringify(lines[0]!.obj), /secret-looking-value-123/);
});

test('off: nothing is linted or recorded', async () => {
  const { ctx, lines } = fakeCtx('off');
  assert.equal(await lintPolicyOnPut(ctx, key, POLICY), undefined);
  assert.equal(ctx.audit.policyLint, undefined);
  assert.equal(lines.length, 0);
});

test('enforce: warnings pass; an error finding throws MalformedPolicyDocumentException naming the id, unless recordOnly', async () => {
  assert.equal((await lintPolicyOnPut(fakeCtx('enforce').ctx, key, POLICY))?.result, 'findings');
  const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }, { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] });
  const { ctx } = fakeCtx('enforce');
  await assert.rejects(lintPolicyOnPut(ctx, key, open), (e: Error & { code?: string }) => /wildcard-principal-without-condition/.test(e.message) && (e.code ?? e.name) === 'MalformedPolicyDocumentException');
  assert.equal(ctx.audit.policyLint?.result, 'reject');
  const recorded = fakeCtx('enforce');
  assert.equal((await lintPolicyOnPut(recorded.ctx, key, open, { recordOnly: true }))?.result, 'findings');
});
