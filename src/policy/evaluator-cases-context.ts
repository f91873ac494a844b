// Cases for encryption-context conditions, most taken from the KMS Developer Guide's condition key
// examples: single pairs, case rules, AND/OR, the exact-set pattern, set qualifiers, Null, variables.

import type { EvaluatorCase } from './evaluator-cases.ts';
import { ROLE_ARN, alice, bob, appSession, policy, allowIn, denyIn } from './evaluator-fixtures.ts';

const EC = 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context';
const EC_CASE = 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-case';
const EC_KEYS = 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-keys';
const EC_VARS = 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context-variables';
const BYPASS = 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check';
const VARIABLES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html';
const CONDITION = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html';

type Context = Readonly<Record<string, string>> | undefined;
const request = (encryptionContext: Context, principal = appSession, action = 'kms:Decrypt') => ({
  principal,
  action,
  ...(encryptionContext ? { encryptionContext } : {}),
});

/** "this role may decrypt, but only when department is finance" */
const financeOnly = policy(allowIn(ROLE_ARN, 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:department': 'finance' } }));
const twoConditions = policy(
  allowIn(ROLE_ARN, 'kms:Decrypt', {
    StringEquals: { 'kms:EncryptionContext:department': 'finance' },
    StringLike: { 'kms:EncryptionContext:customer_id': 'cust_*' },
  }),
);
const itAndAlpha = policy(allowIn(ROLE_ARN, 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' } }));
const exactSet = policy(
  allowIn(ROLE_ARN, 'kms:GenerateDataKey', {
    StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' },
    'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName'] },
  }),
);
const anyAppName = policy(allowIn(ROLE_ARN, ['kms:Encrypt', 'kms:GenerateDataKey*'], { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } }));
const onlyListedKeys = policy(allowIn(ROLE_ARN, 'kms:Decrypt', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Project'] } }));
const requireContext = policy(allowIn(ROLE_ARN, ['kms:Encrypt', 'kms:GenerateDataKey*'], { Null: { 'kms:EncryptionContextKeys': false } }));
const denyRestricted = policy(
  allowIn(ROLE_ARN, 'kms:GenerateDataKey'),
  denyIn(ROLE_ARN, 'kms:GenerateDataKey', { StringEquals: { 'kms:EncryptionContext:Stage': ['Restricted', 'Production'] } }, 'DenyRestricted'),
);
const ownUser = (version = '2012-10-17', value = '${aws:username}') => ({
  Version: version,
  Statement: [allowIn('*', ['kms:Decrypt', 'kms:Encrypt'], { StringEquals: { 'kms:EncryptionContext:user': value } })],
});

export const contextCases: readonly EvaluatorCase[] = [
  { name: 'department=finance is allowed by a finance-only policy', source: EC, keyPolicy: financeOnly, request: request({ department: 'finance' }), expect: 'allowed' },
  { name: 'department=hr is denied by a finance-only policy', source: EC, keyPolicy: financeOnly, request: request({ department: 'hr' }), expect: 'implicitDeny', denial: 'noResourcePolicy' },
  { name: 'a request without encryption context is denied by a finance-only policy', source: EC, keyPolicy: financeOnly, request: request(undefined), expect: 'implicitDeny' },
  { name: 'extra context pairs are permitted by a single-pair condition', source: EC, keyPolicy: financeOnly, request: request({ department: 'finance', purpose: 'audit' }), expect: 'allowed' },
  { name: 'the context key of kms:EncryptionContext matches whatever its case', source: EC_CASE, keyPolicy: financeOnly, request: request({ DEPARTMENT: 'finance' }), expect: 'allowed' },
  {
    name: 'the condition key name is case-insensitive in the policy too',
    source: EC_CASE,
    keyPolicy: policy(allowIn(ROLE_ARN, 'kms:Decrypt', { StringEquals: { 'KMS:encryptioncontext:Department': 'finance' } })),
    request: request({ department: 'finance' }),
    expect: 'allowed',
  },
  { name: 'the context value is compared case-sensitively by StringEquals', source: EC_CASE, keyPolicy: financeOnly, request: request({ department: 'Finance' }), expect: 'implicitDeny' },
  {
    name: 'StringEqualsIgnoreCase ignores the case of the context value',
    source: CONDITION,
    keyPolicy: policy(allowIn(ROLE_ARN, 'kms:Decrypt', { StringEqualsIgnoreCase: { 'kms:EncryptionContext:department': 'finance' } })),
    request: request({ department: 'FINANCE' }),
    expect: 'allowed',
  },
  {
    name: 'context keys differing only in case must all match (the condition key matches both)',
    source: CONDITION,
    keyPolicy: financeOnly,
    request: request({ department: 'finance', Department: 'hr' }),
    expect: 'implicitDeny',
  },
  { name: 'StringLike customer_id cust_* allows cust_98765', source: EC, keyPolicy: twoConditions, request: request({ department: 'finance', customer_id: 'cust_98765' }), expect: 'allowed' },
  { name: 'StringLike customer_id cust_* denies acme_1', source: EC, keyPolicy: twoConditions, request: request({ department: 'finance', customer_id: 'acme_1' }), expect: 'implicitDeny' },
  { name: 'two conditions are ANDed: one pair alone is denied', source: EC, keyPolicy: twoConditions, request: request({ customer_id: 'cust_98765' }), expect: 'implicitDeny' },
  { name: 'two context keys in one operator are ANDed: both pairs allowed', source: EC, keyPolicy: itAndAlpha, request: request({ Department: 'IT', Project: 'Alpha' }), expect: 'allowed' },
  { name: 'two context keys in one operator are ANDed: one pair denied', source: EC, keyPolicy: itAndAlpha, request: request({ Department: 'IT' }), expect: 'implicitDeny' },
  { name: 'a Deny with several values for one context key denies any of them (OR)', source: EC, keyPolicy: denyRestricted, request: request({ Stage: 'Production' }, appSession, 'kms:GenerateDataKey'), expect: 'explicitDeny', matched: ['keyPolicy'] },
  { name: 'a Deny on Stage=Restricted lets Stage=Test through', source: EC, keyPolicy: denyRestricted, request: request({ Stage: 'Test' }, appSession, 'kms:GenerateDataKey'), expect: 'allowed' },
  { name: 'the exact-set pattern allows exactly AppName=ExampleApp', source: EC, keyPolicy: exactSet, request: request({ AppName: 'ExampleApp' }, appSession, 'kms:GenerateDataKey'), expect: 'allowed' },
  { name: 'the exact-set pattern forbids an extra context key', source: EC, keyPolicy: exactSet, request: request({ AppName: 'ExampleApp', Stage: 'Test' }, appSession, 'kms:GenerateDataKey'), expect: 'implicitDeny' },
  { name: 'the exact-set pattern forbids a missing context', source: EC, keyPolicy: exactSet, request: request(undefined, appSession, 'kms:GenerateDataKey'), expect: 'implicitDeny' },
  { name: 'ForAllValues:StringEquals on kms:EncryptionContextKeys allows listed keys only', source: EC_KEYS, keyPolicy: onlyListedKeys, request: request({ Department: 'IT', Project: 'Alpha' }), expect: 'allowed' },
  { name: 'ForAllValues:StringEquals on kms:EncryptionContextKeys forbids an unlisted key', source: EC_KEYS, keyPolicy: onlyListedKeys, request: request({ Department: 'IT', Owner: 'ana' }), expect: 'implicitDeny' },
  { name: 'ForAllValues:StringEquals on kms:EncryptionContextKeys allows a request without context', source: EC_KEYS, keyPolicy: onlyListedKeys, request: request(undefined), expect: 'allowed' },
  { name: 'ForAllValues:StringEquals on kms:EncryptionContextKeys compares key case', source: EC_CASE, keyPolicy: onlyListedKeys, request: request({ department: 'IT' }), expect: 'implicitDeny' },
  { name: 'ForAnyValue on kms:EncryptionContextKeys allows a request with an AppName pair among others', source: EC_KEYS, keyPolicy: anyAppName, request: request({ AppName: 'Helper', Project: 'Alpha' }, appSession, 'kms:GenerateDataKey'), expect: 'allowed' },
  { name: 'ForAnyValue on kms:EncryptionContextKeys denies a request without an AppName pair', source: EC_KEYS, keyPolicy: anyAppName, request: request({ Project: 'Alpha' }, appSession, 'kms:GenerateDataKey'), expect: 'implicitDeny' },
  { name: 'ForAnyValue on kms:EncryptionContextKeys denies a request without context', source: EC_KEYS, keyPolicy: anyAppName, request: request(undefined, appSession, 'kms:GenerateDataKey'), expect: 'implicitDeny' },
  { name: 'ForAnyValue:StringEquals on kms:EncryptionContextKeys compares key case', source: EC_CASE, keyPolicy: anyAppName, request: request({ appname: 'Helper' }, appSession, 'kms:GenerateDataKey'), expect: 'implicitDeny' },
  { name: 'Null kms:EncryptionContextKeys false allows any context', source: EC_KEYS, keyPolicy: requireContext, request: request({ any: 'thing' }, appSession, 'kms:Encrypt'), expect: 'allowed' },
  { name: 'Null kms:EncryptionContextKeys false denies a request without context', source: EC_KEYS, keyPolicy: requireContext, request: request(undefined, appSession, 'kms:Encrypt'), expect: 'implicitDeny' },
  { name: 'Null kms:EncryptionContextKeys false treats an empty context as none', source: EC_KEYS, keyPolicy: requireContext, request: request({}, appSession, 'kms:Encrypt'), expect: 'implicitDeny' },
  {
    name: 'an encryption context condition never allows DescribeKey',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-services.html',
    keyPolicy: policy(allowIn(ROLE_ARN, ['kms:Decrypt', 'kms:DescribeKey'], { StringEquals: { 'kms:EncryptionContext:department': 'finance' } })),
    request: request(undefined, appSession, 'kms:DescribeKey'),
    expect: 'implicitDeny',
  },
  { name: '${aws:username} in a context value requires the caller\'s own name', source: EC_VARS, keyPolicy: ownUser(), request: request({ user: 'alice' }, alice), expect: 'allowed' },
  { name: '${aws:username} in a context value denies another user\'s name', source: EC_VARS, keyPolicy: ownUser(), request: request({ user: 'alice' }, bob), expect: 'implicitDeny' },
  { name: '${aws:username} has no value for a role session, so the statement does not apply', source: VARIABLES, keyPolicy: ownUser(), request: request({ user: '${aws:username}' }), expect: 'implicitDeny' },
  { name: 'a variable default applies when the variable has no value', source: VARIABLES, keyPolicy: ownUser('2012-10-17', "${aws:username, 'service'}"), request: request({ user: 'service' }), expect: 'allowed' },
  { name: 'policy variables are literal text under Version 2008-10-17', source: VARIABLES, keyPolicy: ownUser('2008-10-17'), request: request({ user: '${aws:username}' }, alice), expect: 'allowed' },
  { name: 'policy variables are not substituted under Version 2008-10-17', source: VARIABLES, keyPolicy: ownUser('2008-10-17'), request: request({ user: 'alice' }, alice), expect: 'implicitDeny' },
  {
    name: '${aws:PrincipalTag/team} resolves from the caller\'s tags',
    source: VARIABLES,
    keyPolicy: policy(allowIn('*', 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:department': '${aws:PrincipalTag/team}' } })),
    request: request({ department: 'finance' }, alice),
    expect: 'allowed',
  },
  {
    name: '${aws:PrincipalTag/team} rejects another team\'s context',
    source: VARIABLES,
    keyPolicy: policy(allowIn('*', 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:department': '${aws:PrincipalTag/team}' } })),
    request: request({ department: 'finance' }, bob),
    expect: 'implicitDeny',
  },
  {
    name: 'the ${*} escape is a literal asterisk in StringLike',
    source: VARIABLES,
    keyPolicy: policy(allowIn(ROLE_ARN, 'kms:Decrypt', { StringLike: { 'kms:EncryptionContext:label': 'a${*}' } })),
    request: request({ label: 'a*' }),
    expect: 'allowed',
  },
  {
    name: 'the ${*} escape does not act as a wildcard',
    source: VARIABLES,
    keyPolicy: policy(allowIn(ROLE_ARN, 'kms:Decrypt', { StringLike: { 'kms:EncryptionContext:label': 'a${*}' } })),
    request: request({ label: 'abc' }),
    expect: 'implicitDeny',
  },
  {
    name: 'a Resource variable selects the key named by the caller\'s tag',
    source: VARIABLES,
    keyPolicy: policy({ Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }),
    identityPolicies: [{ name: 'TeamKey', document: policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111122223333:key/${aws:PrincipalTag/team}' }) }],
    request: { principal: alice, action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:111122223333:key/finance' },
    expect: 'allowed',
  },
  {
    name: 'Null kms:BypassPolicyLockoutSafetyCheck true allows PutKeyPolicy without the parameter',
    source: BYPASS,
    keyPolicy: policy(allowIn(alice.arn, 'kms:PutKeyPolicy', { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } })),
    request: { principal: alice, action: 'kms:PutKeyPolicy' },
    expect: 'allowed',
  },
  {
    name: 'Null kms:BypassPolicyLockoutSafetyCheck true denies PutKeyPolicy with the parameter',
    source: BYPASS,
    keyPolicy: policy(allowIn(alice.arn, 'kms:PutKeyPolicy', { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } })),
    request: { principal: alice, action: 'kms:PutKeyPolicy', context: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
    expect: 'implicitDeny',
  },
];
