// Fixture policies for the lint tests: one clean key policy, and one that trips every rule.

import type { ContextSchemaDocument } from '../schema-document.ts';

export const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const APP = `arn:aws:iam::${ACCOUNT}:role/PaymentsApp`;
const AUDITOR = `arn:aws:iam::${ACCOUNT}:role/Auditor`;
const SUPPORT = `arn:aws:iam::${ACCOUNT}:role/Support`;

export const LINT_SCHEMA: ContextSchemaDocument = {
  name: 'payments',
  description: '',
  mode: 'enforce',
  appliesTo: { keyIds: [], aliasPatterns: ['alias/payments-*'], tags: [] },
  fields: [
    { name: 'customer_id', required: true, pattern: '^cust_[0-9]+$' },
    { name: 'department', required: true, enum: ['finance', 'hr'] },
  ],
  allowOtherKeys: false,
};

export const CLEAN_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'EnableIAM', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'AppDecryptsFinance',
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:department': 'finance' }, StringLike: { 'kms:EncryptionContext:customer_id': 'cust_*' } },
    },
    {
      Sid: 'AnyoneInAccountDescribes',
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
    },
    { Sid: 'NoDeletion', Effect: 'Deny', Principal: { AWS: APP }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
  ],
};

/** Each statement trips the rule named in its Sid. */
export const BAD_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'UnknownAction', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:Decrpyt', 'kms:ReEncrypt', 's3:GetObject'], Resource: '*' },
    { Sid: 'WildcardPrincipal', Effect: 'Allow', Principal: '*', Action: 'kms:DescribeKey', Resource: '*' },
    { Sid: 'DecryptNoContext', Effect: 'Allow', Principal: { AWS: SUPPORT }, Action: 'kms:Decrypt', Resource: '*' },
    {
      Sid: 'LikeWithoutWildcard',
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:department': 'finance' } },
    },
    {
      Sid: 'EqualsWithWildcard',
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:customer_id': 'cust_*' } },
    },
    {
      Sid: 'CaseMismatch',
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'finance' } },
    },
    {
      Sid: 'NotInSchema',
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:client_id': 'cust_1' } },
    },
    {
      Sid: 'NeverMatches',
      Effect: 'Allow',
      Principal: { AWS: APP },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:department': 'marketing' } },
    },
    { Sid: 'Shadowed', Effect: 'Allow', Principal: { AWS: AUDITOR }, Action: 'kms:DescribeKey', Resource: '*' },
    { Sid: 'DenyAuditorEverything', Effect: 'Deny', Principal: { AWS: AUDITOR }, Action: 'kms:*', Resource: '*' },
  ],
};
