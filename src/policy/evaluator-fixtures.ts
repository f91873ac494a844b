// Principals, key and policy builders shared by the evaluator case tables. The accounts and names
// follow the AWS documentation examples (111122223333, RoleForExampleApp) so cases read like them.

import type { PrincipalFacts } from './request-facts.ts';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
export const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/RoleForExampleApp`;

export const root: PrincipalFacts = { arn: ROOT_ARN, accountId: ACCOUNT, type: 'Account', userId: ACCOUNT };
export const alice: PrincipalFacts = {
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  type: 'User',
  userId: 'AIDAALICE00000000001',
  username: 'alice',
  tags: { team: 'finance' },
};
export const bob: PrincipalFacts = {
  arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
  accountId: ACCOUNT,
  type: 'User',
  userId: 'AIDABOB0000000000001',
  username: 'bob',
  tags: { team: 'hr' },
};
export const appSession: PrincipalFacts = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/RoleForExampleApp/app-session`,
  accountId: ACCOUNT,
  type: 'AssumedRole',
  userId: 'AROAEXAMPLEAPP000001:app-session',
  roleArn: ROLE_ARN,
};
export const otherAppSession: PrincipalFacts = {
  ...appSession,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/RoleForExampleApp/other-session`,
  userId: 'AROAEXAMPLEAPP000001:other-session',
};
export const carol: PrincipalFacts = {
  arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/carol`,
  accountId: OTHER_ACCOUNT,
  type: 'User',
  userId: 'AIDACAROL00000000001',
  username: 'carol',
};

export type PolicyJson = Record<string, unknown>;
export type StatementJson = Record<string, unknown>;

export const policy = (...statements: StatementJson[]): PolicyJson => ({ Version: '2012-10-17', Statement: statements });

/** The default key policy: the account root gets kms:*, which enables IAM policies. */
export const enableIamPolicies: StatementJson = {
  Sid: 'Enable IAM policies',
  Effect: 'Allow',
  Principal: { AWS: ROOT_ARN },
  Action: 'kms:*',
  Resource: '*',
};

export const allowIn = (principal: string, action: string | string[], condition?: Record<string, unknown>, sid?: string): StatementJson => ({
  ...(sid ? { Sid: sid } : {}),
  Effect: 'Allow',
  Principal: { AWS: principal },
  Action: action,
  Resource: '*',
  ...(condition ? { Condition: condition } : {}),
});

export const denyIn = (principal: string, action: string | string[], condition?: Record<string, unknown>, sid?: string): StatementJson => ({
  ...allowIn(principal, action, condition, sid),
  Effect: 'Deny',
});

export const identityAllow = (action: string | string[], resource: string | string[] = '*', condition?: Record<string, unknown>): StatementJson => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});
