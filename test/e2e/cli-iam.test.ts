// End-to-end: `kontext iam ...` helpers, the real binary (bin/kontext.js) against a real server
// process: users, roles (trust policy built from --trust-account), access keys, inline policies,
// and their failure exits.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { trustPolicyFor } from '../../src/cli/iam-command.ts';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';
import { runKontext, type CliResult } from '../helpers/kontext-cli.ts';

let server: ServerProcess;
let work: string;

const kontextAs = (credentials: { id: string; secret: string }, ...args: string[]): Promise<CliResult> =>
  runKontext(server.url, work, args, { AWS_ACCESS_KEY_ID: credentials.id, AWS_SECRET_ACCESS_KEY: credentials.secret });
const kontext = (...args: string[]) => runKontext(server.url, work, args);

async function okJson(...args: string[]): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await kontext(...args);
  assert.equal(r.code, 0, `kontext ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
}

const KMS_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });

before(async () => {
  server = await startServerProcess();
  work = mkdtempSync(join(tmpdir(), 'kontext-cli-iam-'));
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('create-user, create-access-key, put-user-policy: the new user can call KMS with its key', async () => {
  const created = await okJson('iam', 'create-user', '--user-name', 'alice');
  assert.equal(created['User']['UserName'], 'alice');
  assert.match(created['User']['Arn'], /^arn:aws:iam::\d{12}:user\/alice$/);

  const key = await okJson('iam', 'create-access-key', '--user-name', 'alice');
  const { AccessKeyId, SecretAccessKey, UserName, Status } = key['AccessKey'];
  assert.equal(UserName, 'alice');
  assert.equal(Status, 'Active');

  const alice = { id: AccessKeyId as string, secret: SecretAccessKey as string };
  const before = await kontextAs(alice, 'create-key', '--description', 'alice');
  assert.equal(before.code, 254, before.stderr);
  assert.match(before.stderr, /AccessDenied/);

  const file = join(work, 'kms-all.json');
  writeFileSync(file, KMS_ALL);
  const put = await kontext('iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'kms', '--policy-document', `file://${file}`);
  assert.equal(put.code, 0, put.stderr);
  assert.equal(put.stdout, '');

  const after = await kontextAs(alice, 'create-key', '--description', 'alice');
  assert.equal(after.code, 0, after.stderr);
});

test('create-role --trust-account builds the trust policy; put-role-policy', async () => {
  const role = await okJson('iam', 'create-role', '--role-name', 'app', '--trust-account', '123456789012', '--description', 'the app');
  assert.equal(role['Role']['RoleName'], 'app');
  const trust = JSON.parse(decodeURIComponent(role['Role']['AssumeRolePolicyDocument']));
  assert.deepEqual(trust, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] });

  const put = await kontext('iam', 'put-role-policy', '--role-name', 'app', '--policy-name', 'kms', '--policy-document', KMS_ALL);
  assert.equal(put.code, 0, put.stderr);

  const explicit = await kontext('iam', 'create-role', '--role-name', 'app2', '--assume-role-policy-document', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' }] }), '--query', 'Role.RoleName', '--output', 'text');
  assert.equal(explicit.code, 0, explicit.stderr);
  assert.equal(explicit.stdout.trim(), 'app2');
});

test('failure exits: service errors 254, bad flags 252', async () => {
  await okJson('iam', 'create-user', '--user-name', 'bob');
  const dup = await kontext('iam', 'create-user', '--user-name', 'bob');
  assert.equal(dup.code, 254, dup.stderr);
  assert.match(dup.stderr, /An error occurred \(EntityAlreadyExists\) when calling the CreateUser operation/);

  const noUser = await kontext('iam', 'put-user-policy', '--user-name', 'nobody', '--policy-name', 'kms', '--policy-document', KMS_ALL);
  assert.equal(noUser.code, 254, noUser.stderr);
  assert.match(noUser.stderr, /An error occurred \(NoSuchEntity\) when calling the PutUserPolicy operation/);

  const noTrust = await kontext('iam', 'create-role', '--role-name', 'x');
  assert.equal(noTrust.code, 252, noTrust.stderr);
  const badAccount = await kontext('iam', 'create-role', '--role-name', 'x', '--trust-account', '12345');
  assert.equal(badAccount.code, 252, badAccount.stderr);
  assert.match(badAccount.stderr, /--trust-account/);
  const badJson = await kontext('iam', 'put-user-policy', '--user-name', 'bob', '--policy-name', 'kms', '--policy-document', '{"Version":');
  assert.equal(badJson.code, 252, badJson.stderr);
  const missing = await kontext('iam', 'create-user');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /--user-name/);
});

test('IAM failures print the wire error code the service sent, as the AWS CLI prints it', async () => {
  await okJson('iam', 'create-role', '--role-name', 'dup-role', '--trust-account', '123456789012');
  const dup = await kontext('iam', 'create-role', '--role-name', 'dup-role', '--trust-account', '123456789012');
  assert.equal(dup.code, 254, dup.stderr);
  assert.match(dup.stderr, /^An error occurred \(EntityAlreadyExists\) when calling the CreateRole operation: \S/m);
  assert.doesNotMatch(dup.stderr, /Exception/);

  const noRole = await kontext('iam', 'put-role-policy', '--role-name', 'no-such-role', '--policy-name', 'kms', '--policy-document', KMS_ALL);
  assert.equal(noRole.code, 254, noRole.stderr);
  assert.match(noRole.stderr, /^An error occurred \(NoSuchEntity\) when calling the PutRolePolicy operation: \S/m);

  // The AWS CLI v2 prints the same code for the same failure.
  const aws = await new Promise<CliResult>((resolve) => {
    const env = { PATH: '/usr/bin:/bin', HOME: work, AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' };
    execFile('/usr/bin/aws', ['iam', 'create-role', '--role-name', 'dup-role', '--assume-role-policy-document', trustPolicyFor(['123456789012']), '--endpoint-url', server.url], { env, timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout, stderr });
    });
  });
  assert.notEqual(aws.code, 0, aws.stderr);
  const awsCode = /An error occurred \((\w+)\)/.exec(aws.stderr)?.[1];
  const kontextCode = /An error occurred \((\w+)\)/.exec(dup.stderr)?.[1];
  assert.ok(awsCode, aws.stderr);
  assert.equal(kontextCode, awsCode);
});
