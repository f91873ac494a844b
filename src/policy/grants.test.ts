import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { grantAllows, type Grant } from './grants.ts';
import { alice, appSession, bob, root, ROLE_ARN, ROOT_ARN } from './evaluator-fixtures.ts';

const grant = (extra: Partial<Grant> = {}): Grant => ({ grantId: 'g1', granteePrincipal: alice.arn, operations: ['Decrypt', 'GenerateDataKey', 'RetireGrant'], ...extra });

describe('grantAllows', () => {
  it('accepts the operation with or without the kms: prefix', () => {
    assert.equal(grantAllows(grant(), { principal: alice, operation: 'Decrypt' }).allowed, true);
    assert.equal(grantAllows(grant(), { principal: alice, operation: 'kms:Decrypt' }).allowed, true);
  });

  it('refuses another grantee and names the grant in the reason', () => {
    const check = grantAllows(grant(), { principal: bob, operation: 'Decrypt' });
    assert.equal(check.allowed, false);
    assert.match(check.reason, /g1/);
  });

  it('matches an assumed-role session by its role ARN or its own ARN', () => {
    assert.equal(grantAllows(grant({ granteePrincipal: ROLE_ARN }), { principal: appSession, operation: 'Decrypt' }).allowed, true);
    assert.equal(grantAllows(grant({ granteePrincipal: appSession.arn }), { principal: appSession, operation: 'Decrypt' }).allowed, true);
  });

  it('matches an account grantee only for the account root user', () => {
    assert.equal(grantAllows(grant({ granteePrincipal: ROOT_ARN }), { principal: root, operation: 'Decrypt' }).allowed, true);
    assert.equal(grantAllows(grant({ granteePrincipal: ROOT_ARN }), { principal: alice, operation: 'Decrypt' }).allowed, false);
  });

  it('ignores constraints for RetireGrant, which takes no context', () => {
    const g = grant({ constraints: { encryptionContextEquals: { a: '1' } } });
    assert.equal(grantAllows(g, { principal: alice, operation: 'RetireGrant' }).allowed, true);
  });

  it('requires both constraints when a grant has both', () => {
    const g = grant({ constraints: { encryptionContextEquals: { a: '1', b: '2' }, encryptionContextSubset: { b: '2' } } });
    assert.equal(grantAllows(g, { principal: alice, operation: 'Decrypt', encryptionContext: { A: '1', b: '2' } }).allowed, true);
    assert.equal(grantAllows(g, { principal: alice, operation: 'Decrypt', encryptionContext: { a: '1', b: '3' } }).allowed, false);
  });

  it('treats context keys that differ only in case as ambiguous for a Subset constraint', () => {
    const g = grant({ constraints: { encryptionContextSubset: { dept: 'IT' } } });
    assert.equal(grantAllows(g, { principal: alice, operation: 'Decrypt', encryptionContext: { dept: 'IT', DEPT: 'HR' } }).allowed, false);
  });

  it('lets a Subset grant create a child grant that keeps its pairs', () => {
    const g = grant({ operations: ['CreateGrant'], constraints: { encryptionContextSubset: { dept: 'IT' } } });
    const child = (encryptionContext: Record<string, string>) =>
      grantAllows(g, { principal: alice, operation: 'CreateGrant', encryptionContext, grantConstraintType: 'EncryptionContextEquals' }).allowed;
    assert.equal(child({ dept: 'IT', app: 'x' }), true);
    assert.equal(child({ app: 'x' }), false);
  });
});
