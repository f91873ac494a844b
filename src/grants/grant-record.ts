// A grant as data: which principal may use which operations of one key, under which encryption
// context constraint (KMS Developer Guide, "Grants in AWS KMS").

import type { GrantConstraints } from '../policy/grants.ts';

/** The grant operations of the KMS model (GrantOperation enum). */
export const GRANT_OPERATIONS = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'Sign', 'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac',
] as const;

export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

export interface GrantRecord {
  /** 64 lowercase hex characters. */
  readonly grantId: string;
  readonly region: string;
  /** The key's account. */
  readonly accountId: string;
  readonly keyId: string;
  readonly keyArn: string;
  readonly name: string | undefined;
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | undefined;
  /** `arn:aws:iam::<acct>:root` of the account that created the grant, as ListGrants reports it. */
  readonly issuingAccount: string;
  readonly operations: readonly GrantOperation[];
  readonly constraints: GrantConstraints | undefined;
  /** Epoch ms. */
  readonly creationDate: number;
}

/** Grants per key, as AWS's quota. */
export const GRANTS_PER_KEY = 50_000;
