import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accessDeniedError, accessDeniedMessage } from './access-denied.ts';
import { evaluate } from './evaluate.ts';
import { evaluatorCases, evaluatorCaseInput } from './evaluator-cases.ts';
import { alice, KEY_ARN } from './evaluator-fixtures.ts';

describe('accessDeniedMessage', () => {
  const base = { principalArn: alice.arn, action: 'kms:Decrypt', resource: KEY_ARN };

  it('says no resource-based policy allows the action', () => {
    assert.equal(
      accessDeniedMessage({ ...base, denial: 'noResourcePolicy' }),
      `User: ${alice.arn} is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} because no resource-based policy allows the kms:Decrypt action`,
    );
  });

  it('says no identity-based policy allows the action', () => {
    assert.match(accessDeniedMessage({ ...base, denial: 'noIdentityPolicy' }), /because no identity-based policy allows the kms:Decrypt action$/);
  });

  it('names the policy type of an explicit deny', () => {
    assert.match(accessDeniedMessage({ ...base, denial: 'explicitDenyResource' }), /with an explicit deny in a resource-based policy$/);
    assert.match(accessDeniedMessage({ ...base, denial: 'explicitDenyIdentity' }), /with an explicit deny in an identity-based policy$/);
  });

  it('omits the resource for actions without one', () => {
    assert.equal(
      accessDeniedMessage({ principalArn: alice.arn, action: 'kms:CreateKey', resource: '*', denial: 'noIdentityPolicy' }),
      `User: ${alice.arn} is not authorized to perform: kms:CreateKey because no identity-based policy allows the kms:CreateKey action`,
    );
  });

  it('never reveals encryption context values for any denied case', () => {
    for (const c of evaluatorCases) {
      const result = evaluate(evaluatorCaseInput(c));
      if (result.decision === 'allowed' || !result.denial) continue;
      const message = accessDeniedMessage({ principalArn: c.request.principal.arn, action: c.request.action, denial: result.denial });
      const own = `${c.request.principal.arn} ${c.request.action}`;
      for (const value of Object.values(c.request.encryptionContext ?? {})) {
        if (!own.includes(value)) assert.ok(!message.includes(value), `${c.name}: ${message}`);
      }
    }
  });

  it('builds an AccessDeniedException carrying the reason for the audit trail only', () => {
    const error = accessDeniedError({ ...base, denial: 'noResourcePolicy' }, 'No key policy statement allows kms:Decrypt');
    assert.equal(error.code, 'AccessDeniedException');
    assert.equal(error.reason, 'No key policy statement allows kms:Decrypt');
    assert.ok(!error.message.includes('No key policy statement'));
  });
});
