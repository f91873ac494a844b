import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from './evaluate.ts';
import { evaluatorCases, evaluatorCaseInput } from './evaluator-cases.ts';
import { buildRequestFacts } from './request-facts.ts';
import { loadPolicy } from './compile-policy.ts';
import { alice, appSession, KEY_ARN, ACCOUNT, ROLE_ARN, policy, allowIn, enableIamPolicies } from './evaluator-fixtures.ts';

describe('evaluate: the decision table', () => {
  for (const c of evaluatorCases) {
    it(`${c.name} → ${c.expect}`, () => {
      const result = evaluate(evaluatorCaseInput(c));
      assert.equal(result.decision, c.expect, result.reason);
      if (c.denial) assert.equal(result.denial, c.denial, result.reason);
      if (c.expect === 'allowed') assert.equal(result.denial, undefined);
      for (const source of c.matched ?? []) {
        assert.ok(result.matchedStatements.some((m) => m.source === source), `${source} not in ${JSON.stringify(result.matchedStatements)}`);
      }
    });
  }

  it('has unique case names, so a simulator replay can report them', () => {
    const names = evaluatorCases.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
  });

  it('gives the same decision with and without explanations for every case', () => {
    for (const c of evaluatorCases) {
      const input = evaluatorCaseInput(c);
      assert.equal(evaluate(input, { explain: true }).decision, evaluate(input).decision, c.name);
    }
  });
});

describe('evaluate: explanations', () => {
  const keyPolicy = loadPolicy(
    JSON.stringify(
      policy(
        enableIamPolicies,
        allowIn(ROLE_ARN, 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:department': 'finance' } }, 'FinanceOnly'),
      ),
    ),
    { kind: 'key' },
  );
  const facts = (department: string) =>
    buildRequestFacts({ principal: appSession, action: 'kms:Decrypt', resource: KEY_ARN, keyAccountId: ACCOUNT, now: new Date(), encryptionContext: { department } });

  it('are only computed when asked for', () => {
    assert.equal(evaluate({ facts: facts('hr'), keyPolicy }).explanation, undefined);
  });

  it('name the failing condition key and operator but never the request value', () => {
    const result = evaluate({ facts: facts('top-secret-value'), keyPolicy }, { explain: true });
    const finance = result.explanation?.find((e) => e.sid === 'FinanceOnly');
    assert.equal(finance?.applies, false);
    assert.equal(finance?.failedElement, 'condition');
    assert.deepEqual(finance?.failedCondition, { operator: 'StringEquals', key: 'kms:EncryptionContext:department', outcome: 'no-match' });
    const text = JSON.stringify(result);
    assert.ok(!text.includes('top-secret-value'));
  });

  it('say why the root delegation statement did not allow a role session', () => {
    const result = evaluate({ facts: facts('hr'), keyPolicy }, { explain: true });
    const root = result.explanation?.find((e) => e.sid === 'Enable IAM policies');
    assert.equal(root?.applies, true);
    assert.equal(root?.principalMatch, 'account');
    assert.match(result.reason, /delegates to the account/);
  });

  it('report a missing key as absent', () => {
    const f = buildRequestFacts({ principal: appSession, action: 'kms:Decrypt', resource: KEY_ARN, keyAccountId: ACCOUNT, now: new Date() });
    const result = evaluate({ facts: f, keyPolicy }, { explain: true });
    assert.equal(result.explanation?.find((e) => e.sid === 'FinanceOnly')?.failedCondition?.outcome, 'absent');
  });

  it('report the action element when the action does not match', () => {
    const f = buildRequestFacts({ principal: alice, action: 'kms:Encrypt', resource: KEY_ARN, keyAccountId: ACCOUNT, now: new Date() });
    const result = evaluate({ facts: f, keyPolicy }, { explain: true });
    assert.equal(result.explanation?.find((e) => e.sid === 'FinanceOnly')?.failedElement, 'action');
  });
});
