// Cases for grants: grantee and operation matching, both context constraints with re-cased keys and
// values, constraints ignored for operations without a context, and deny still winning.

import type { EvaluatorCase } from './evaluator-cases.ts';
import type { Grant } from './grants.ts';
import { ROLE_ARN, alice, bob, appSession, policy, allowIn, denyIn } from './evaluator-fixtures.ts';

const CONSTRAINTS = 'https://docs.aws.amazon.com/kms/latest/developerguide/create-grant-overview.html#grant-constraints';
const GRANTS = 'https://docs.aws.amazon.com/kms/latest/developerguide/grants.html';
const GRANT_CONSTRAINTS_API = 'https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html';

/** A key policy that allows nobody but bob, so any access by alice comes from a grant. */
const bobOnly = policy(allowIn(bob.arn, 'kms:*'));
const grant = (id: string, extra: Partial<Grant> = {}): Grant => ({
  grantId: id,
  granteePrincipal: alice.arn,
  operations: ['Decrypt', 'Encrypt', 'DescribeKey', 'CreateGrant'],
  ...extra,
});
const equalsGrant = grant('g-equals', { constraints: { encryptionContextEquals: { Department: 'IT', Project: 'Alpha' } } });
const subsetGrant = grant('g-subset', { constraints: { encryptionContextSubset: { Department: 'IT' } } });
const decrypt = (encryptionContext?: Record<string, string>) => ({
  principal: alice,
  action: 'kms:Decrypt',
  ...(encryptionContext ? { encryptionContext } : {}),
});

export const grantCases: readonly EvaluatorCase[] = [
  { name: 'a grant allows its grantee an operation it lists', source: GRANTS, keyPolicy: bobOnly, grants: [grant('g-plain')], request: decrypt(), expect: 'allowed', matched: ['grant:g-plain'] },
  { name: 'a grant does not allow an operation it does not list', source: GRANTS, keyPolicy: bobOnly, grants: [grant('g-plain')], request: { principal: alice, action: 'kms:ReEncryptFrom' }, expect: 'implicitDeny', denial: 'noResourcePolicy' },
  { name: 'a grant does not allow another principal', source: GRANTS, keyPolicy: policy(allowIn(alice.arn, 'kms:DescribeKey')), grants: [grant('g-plain', { granteePrincipal: bob.arn })], request: decrypt(), expect: 'implicitDeny' },
  { name: 'a grant to a role allows a session of the role', source: GRANTS, keyPolicy: bobOnly, grants: [grant('g-role', { granteePrincipal: ROLE_ARN })], request: { principal: appSession, action: 'kms:Decrypt' }, expect: 'allowed' },
  { name: 'a grant cannot override an explicit deny in the key policy', source: GRANTS, keyPolicy: policy(allowIn(bob.arn, 'kms:*'), denyIn(alice.arn, 'kms:Decrypt')), grants: [grant('g-plain')], request: decrypt(), expect: 'explicitDeny' },
  { name: 'EncryptionContextEquals allows the exact context', source: CONSTRAINTS, keyPolicy: bobOnly, grants: [equalsGrant], request: decrypt({ Project: 'Alpha', Department: 'IT' }), expect: 'allowed' },
  { name: 'EncryptionContextEquals denies an extra pair', source: CONSTRAINTS, keyPolicy: bobOnly, grants: [equalsGrant], request: decrypt({ Department: 'IT', Project: 'Alpha', Stage: 'Test' }), expect: 'implicitDeny' },
  { name: 'EncryptionContextEquals denies a missing pair', source: CONSTRAINTS, keyPolicy: bobOnly, grants: [equalsGrant], request: decrypt({ Department: 'IT' }), expect: 'implicitDeny' },
  { name: 'EncryptionContextEquals denies a request without context', source: CONSTRAINTS, keyPolicy: bobOnly, grants: [equalsGrant], request: decrypt(), expect: 'implicitDeny' },
  { name: 'EncryptionContextEquals matches a re-cased key', source: GRANT_CONSTRAINTS_API, keyPolicy: bobOnly, grants: [equalsGrant], request: decrypt({ department: 'IT', PROJECT: 'Alpha' }), expect: 'allowed' },
  { name: 'EncryptionContextEquals rejects a re-cased value', source: GRANT_CONSTRAINTS_API, keyPolicy: bobOnly, grants: [equalsGrant], request: decrypt({ Department: 'it', Project: 'Alpha' }), expect: 'implicitDeny' },
  { name: 'EncryptionContextSubset allows a context with more pairs', source: CONSTRAINTS, keyPolicy: bobOnly, grants: [subsetGrant], request: decrypt({ Department: 'IT', Project: 'Alpha' }), expect: 'allowed' },
  { name: 'EncryptionContextSubset denies a context lacking the pair', source: CONSTRAINTS, keyPolicy: bobOnly, grants: [subsetGrant], request: decrypt({ Project: 'Alpha' }), expect: 'implicitDeny' },
  { name: 'EncryptionContextSubset matches a re-cased key', source: GRANT_CONSTRAINTS_API, keyPolicy: bobOnly, grants: [subsetGrant], request: decrypt({ DEPARTMENT: 'IT' }), expect: 'allowed' },
  { name: 'EncryptionContextSubset rejects a re-cased value', source: GRANT_CONSTRAINTS_API, keyPolicy: bobOnly, grants: [subsetGrant], request: decrypt({ Department: 'It' }), expect: 'implicitDeny' },
  { name: 'grant constraints are ignored for DescribeKey', source: CONSTRAINTS, keyPolicy: bobOnly, grants: [equalsGrant], request: { principal: alice, action: 'kms:DescribeKey' }, expect: 'allowed' },
  {
    name: 'a grant with EncryptionContextEquals allows CreateGrant of an equally constrained grant',
    source: CONSTRAINTS,
    keyPolicy: bobOnly,
    grants: [equalsGrant],
    request: { principal: alice, action: 'kms:CreateGrant', encryptionContext: { Department: 'IT', Project: 'Alpha' }, grantConstraintType: 'EncryptionContextEquals' },
    expect: 'allowed',
  },
  {
    name: 'a grant with EncryptionContextEquals refuses CreateGrant of a looser Subset grant',
    source: CONSTRAINTS,
    keyPolicy: bobOnly,
    grants: [equalsGrant],
    request: { principal: alice, action: 'kms:CreateGrant', encryptionContext: { Department: 'IT', Project: 'Alpha' }, grantConstraintType: 'EncryptionContextSubset' },
    expect: 'implicitDeny',
  },
];
