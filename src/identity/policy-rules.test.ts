import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyEngineRules, type TrustRequest } from './policy-rules.ts';
import { rootCaller, type Caller } from './caller.ts';

const ACCOUNT = '123456789012';
const rules = policyEngineRules();

const user = (name: string, accountId = ACCOUNT): Caller => ({
  type: 'IAMUser',
  accountId,
  arn: `arn:aws:iam::${accountId}:user/${name}`,
  principalId: 'AIDAEXAMPLEEXAMPLE000',
  accessKeyId: 'AKIAEXAMPLE000000000',
  userName: name,
  sessionIssuer: undefined,
  sessionCreatedAt: undefined,
});

const session: Caller = {
  type: 'AssumedRole',
  accountId: ACCOUNT,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Builder/ci`,
  principalId: 'AROAEXAMPLEEXAMPLE000:ci',
  accessKeyId: 'ASIAEXAMPLE000000000',
  userName: 'Builder',
  sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEEXAMPLE000', arn: `arn:aws:iam::${ACCOUNT}:role/Builder`, accountId: ACCOUNT, userName: 'Builder' },
  sessionCreatedAt: 0,
};

const trust = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (principal: unknown, extra: object = {}) => ({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });

const request = (caller: Caller, extra: Partial<TrustRequest> = {}): TrustRequest => ({
  caller,
  action: 'sts:AssumeRole',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/App`,
  sessionName: 's1',
  externalId: undefined,
  sourceIdentity: undefined,
  sourceIp: '127.0.0.1',
  now: Date.UTC(2025, 0, 1),
  ...extra,
});

test('evaluateTrust() allows a user the trust policy names by ARN', () => {
  assert.equal(rules.evaluateTrust(trust(allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/alice` })), request(user('alice'))), 'allow');
  assert.equal(rules.evaluateTrust(trust(allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/alice` })), request(user('bob'))), 'implicit-deny');
});

test('evaluateTrust() delegates to identity policies when the trust policy names the account', () => {
  assert.equal(rules.evaluateTrust(trust(allow({ AWS: ACCOUNT })), request(user('alice'))), 'allow-via-account');
  assert.equal(rules.evaluateTrust(trust(allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` })), request(user('alice'))), 'allow-via-account');
  assert.equal(rules.evaluateTrust(trust(allow({ AWS: ACCOUNT })), request(user('mallory', '999999999999'))), 'implicit-deny');
});

test('evaluateTrust() lets a role ARN principal match every session of that role', () => {
  assert.equal(rules.evaluateTrust(trust(allow({ AWS: `arn:aws:iam::${ACCOUNT}:role/Builder` })), request(session)), 'allow');
});

test('evaluateTrust() lets an explicit Deny win over an Allow', () => {
  const policy = trust(allow({ AWS: ACCOUNT }), { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'sts:*' });
  assert.equal(rules.evaluateTrust(policy, request(user('alice'))), 'deny');
  assert.equal(rules.evaluateTrust(policy, request(user('bob'))), 'allow-via-account');
});

test('evaluateTrust() checks sts:ExternalId conditions', () => {
  const policy = trust(allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, { Condition: { StringEquals: { 'sts:ExternalId': 'tenant-42' } } }));
  assert.equal(rules.evaluateTrust(policy, request(user('alice'), { externalId: 'tenant-42' })), 'allow');
  assert.equal(rules.evaluateTrust(policy, request(user('alice'), { externalId: 'tenant-43' })), 'implicit-deny');
  assert.equal(rules.evaluateTrust(policy, request(user('alice'))), 'implicit-deny');
});

test('evaluateTrust() ignores statements for other actions', () => {
  const policy = trust({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:TagSession' });
  assert.equal(rules.evaluateTrust(policy, request(rootCaller(ACCOUNT, undefined))), 'implicit-deny');
});

test('validateTrustPolicy() and validateIdentityPolicy() refuse malformed documents', () => {
  assert.throws(() => rules.validateTrustPolicy('nope'), /invalid Json/);
  assert.throws(() => rules.validateIdentityPolicy(trust({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }), 'user'));
  rules.validateIdentityPolicy(trust({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }), 'user');
});
