import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicyLockout, lockoutError, LOCKOUT_MESSAGE } from './lockout-check.ts';
import { loadPolicy } from './compile-policy.ts';
import { alice, bob, root, ACCOUNT, KEY_ARN, policy, allowIn, enableIamPolicies, identityAllow } from './evaluator-fixtures.ts';
import type { PrincipalFacts } from './request-facts.ts';

const key = (doc: Record<string, unknown>) => loadPolicy(JSON.stringify(doc), { kind: 'key' });
const identity = (doc: Record<string, unknown>) => loadPolicy(JSON.stringify(doc), { kind: 'identity', name: 'Admin' });
const check = (candidate: ReturnType<typeof key>, principal: PrincipalFacts, identityPolicies = [] as ReturnType<typeof identity>[]) =>
  checkPolicyLockout({ candidate, principal, identityPolicies, keyArn: KEY_ARN, keyAccountId: ACCOUNT, now: new Date(), sourceIp: '203.0.113.7' });

describe('checkPolicyLockout', () => {
  it('passes the default key policy for the account root user', () => {
    assert.equal(check(key(policy(enableIamPolicies)), root).locksOut, false);
  });

  it('passes a policy that names the caller for kms:PutKeyPolicy', () => {
    assert.equal(check(key(policy(allowIn(alice.arn, ['kms:PutKeyPolicy', 'kms:Decrypt']))), alice).locksOut, false);
  });

  it('passes root delegation when the caller has an IAM policy allowing PutKeyPolicy', () => {
    assert.equal(check(key(policy(enableIamPolicies)), alice, [identity(policy(identityAllow('kms:*')))]).locksOut, false);
  });

  it('fails root delegation when the caller has no IAM policy allowing PutKeyPolicy', () => {
    assert.equal(check(key(policy(enableIamPolicies)), alice, [identity(policy(identityAllow('kms:Decrypt')))]).locksOut, true);
  });

  it('fails a policy that only lets someone else change it', () => {
    const result = check(key(policy(allowIn(bob.arn, 'kms:*'), allowIn(alice.arn, 'kms:Decrypt'))), alice);
    assert.equal(result.locksOut, true);
    const error = lockoutError(result);
    assert.equal(error.code, 'MalformedPolicyDocumentException');
    assert.equal(error.message, LOCKOUT_MESSAGE);
  });

  it('judges conditions on the current request, such as its source address', () => {
    const byIp = (cidr: string) => key(policy(allowIn(alice.arn, 'kms:*', { IpAddress: { 'aws:SourceIp': cidr } })));
    assert.equal(check(byIp('203.0.113.0/24'), alice).locksOut, false);
    assert.equal(check(byIp('198.51.100.0/24'), alice).locksOut, true);
  });
});
