// Shared pieces of the identity end-to-end tests: real @aws-sdk clients for a set of credentials,
// users with keys, roles with trust policies, and an assertion on the AWS error a call fails with.

import assert from 'node:assert/strict';
import { IAMClient, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import type { ServerProcess } from './server-process.ts';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface Clients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly kms: KMSClient;
}

export function clientsFor(server: ServerProcess, credentials?: Credentials, region = 'us-east-1', extra: { systemClockOffset?: number } = {}): Clients {
  const config = { ...server.clientConfig(region), ...(credentials ? { credentials } : {}), ...extra };
  return { iam: new IAMClient(config), sts: new STSClient(config), kms: new KMSClient(config) };
}

/** An identity policy allowing every KMS action: IAM users and roles need one to use keys whose policy delegates to IAM. */
export const KMS_ALL_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });

export async function userWithKey(iam: IAMClient, userName: string, options: { policy?: string } = {}): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  if (options.policy) await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'test-policy', PolicyDocument: options.policy }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

export const trustPolicy = (principalArn: string, extra: object = {}): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principalArn }, Action: 'sts:AssumeRole', ...extra }] });

export async function roleTrusting(iam: IAMClient, roleName: string, principalArn: string, options: { policy?: string } = {}): Promise<string> {
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trustPolicy(principalArn) }));
  if (options.policy) await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'test-policy', PolicyDocument: options.policy }));
  return Role!.Arn!;
}

/** Asserts the call fails with the AWS error `name` (and HTTP status, when given); returns the error. */
export async function expectAwsError(call: Promise<unknown>, name: string, status?: number): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status, `HTTP status of ${name}`);
    return e;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}
