import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequestFacts } from './request-facts.ts';
import { alice, appSession, root, ROLE_ARN, KEY_ARN } from './evaluator-fixtures.ts';

const now = new Date('2024-06-01T12:00:00.250Z');

describe('buildRequestFacts', () => {
  it('derives the principal keys for an IAM user', () => {
    const { conditionValues: v } = buildRequestFacts({ principal: alice, action: 'kms:Decrypt', now });
    assert.equal(v.get('aws:principalarn'), alice.arn);
    assert.equal(v.get('aws:principalaccount'), '111122223333');
    assert.equal(v.get('aws:principaltype'), 'User');
    assert.equal(v.get('aws:username'), 'alice');
    assert.equal(v.get('aws:userid'), alice.userId);
    assert.equal(v.get('aws:principaltag/team'), 'finance');
    assert.equal(v.get('kms:calleraccount'), '111122223333');
  });

  it('gives a role session its role ARN as aws:PrincipalArn and no aws:username', () => {
    const { conditionValues: v } = buildRequestFacts({ principal: appSession, action: 'kms:Decrypt', now });
    assert.equal(v.get('aws:principalarn'), ROLE_ARN);
    assert.equal(v.has('aws:username'), false);
    assert.equal(v.get('aws:userid'), 'AROAEXAMPLEAPP000001:app-session');
  });

  it('writes the clock as aws:CurrentTime and aws:EpochTime', () => {
    const { conditionValues: v } = buildRequestFacts({ principal: root, action: 'kms:ListKeys', now });
    assert.equal(v.get('aws:currenttime'), '2024-06-01T12:00:00Z');
    assert.equal(v.get('aws:epochtime'), '1717243200');
  });

  it('adds one lowercased key per context pair and the original keys as kms:EncryptionContextKeys', () => {
    const facts = buildRequestFacts({ principal: alice, action: 'kms:Decrypt', resource: KEY_ARN, now, encryptionContext: { Department: 'Finance', customer_id: 'cust_1' } });
    const v = facts.conditionValues;
    assert.equal(v.get('kms:encryptioncontext:department'), 'Finance');
    assert.equal(v.get('kms:encryptioncontext:customer_id'), 'cust_1');
    assert.deepEqual(v.get('kms:encryptioncontextkeys'), ['Department', 'customer_id']);
    assert.equal(facts.resource, KEY_ARN);
  });

  it('leaves keys absent for fields the request does not carry', () => {
    const { conditionValues: v } = buildRequestFacts({ principal: alice, action: 'kms:Decrypt', now, encryptionContext: {} });
    assert.equal(v.has('kms:encryptioncontextkeys'), false);
    assert.equal(v.has('aws:sourceip'), false);
    assert.equal(v.has('kms:bypasspolicylockoutsafetycheck'), false);
  });

  it('records KMS request parameters and tags', () => {
    const { conditionValues: v } = buildRequestFacts({
      principal: alice,
      action: 'kms:CreateKey',
      now,
      keySpec: 'SYMMETRIC_DEFAULT',
      bypassPolicyLockoutSafetyCheck: false,
      requestTags: { Project: 'Alpha' },
      grantOperations: ['Decrypt'],
      rotationPeriodInDays: 90,
    });
    assert.equal(v.get('kms:keyspec'), 'SYMMETRIC_DEFAULT');
    assert.equal(v.get('kms:bypasspolicylockoutsafetycheck'), 'false');
    assert.equal(v.get('aws:requesttag/project'), 'Alpha');
    assert.deepEqual(v.get('aws:tagkeys'), ['Project']);
    assert.deepEqual(v.get('kms:grantoperations'), ['Decrypt']);
    assert.equal(v.get('kms:rotationperiodindays'), '90');
  });

  it('lets extra context entries override derived keys, lowercasing their names', () => {
    const { conditionValues: v } = buildRequestFacts({ principal: alice, action: 'kms:Decrypt', now, sourceIp: '10.0.0.1', extra: { 'AWS:SourceIp': '203.0.113.9' } });
    assert.equal(v.get('aws:sourceip'), '203.0.113.9');
  });
});
