// End-to-end: IAM users and roles, access keys, STS AssumeRole and GetCallerIdentity with the real
// @aws-sdk/client-iam, client-sts and client-kms against a server process; then KMS called as the
// user and as the assumed role.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteRoleCommand, DeleteRolePolicyCommand, DeleteUserCommand,
  DeleteUserPolicyCommand, GetRoleCommand, GetRolePolicyCommand, GetUserCommand, GetUserPolicyCommand, ListAccessKeysCommand,
  ListRolePoliciesCommand, ListRolesCommand, ListUserPoliciesCommand, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand,
  UpdateAccessKeyCommand, CreateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { clientsFor, expectAwsError, KMS_ALL_POLICY, roleTrusting, trustPolicy, userWithKey, type Clients } from '../helpers/identity-clients.ts';

const ACCOUNT = '123456789012';
const KMS_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });

let server: ServerProcess;
let admin: Clients;

before(async () => {
  server = await startServerProcess();
  admin = clientsFor(server);
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('CreateUser, GetUser and ListUsers answer with the IAM shapes', async () => {
  const created = await admin.iam.send(new CreateUserCommand({ UserName: 'carol', Path: '/eng/', Tags: [{ Key: 'team', Value: 'payments' }] }));
  const user = created.User!;
  assert.equal(user.UserName, 'carol');
  assert.equal(user.Path, '/eng/');
  assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/carol`);
  assert.match(user.UserId!, /^AIDA[A-Z2-7]{17}$/);
  assert.ok(user.CreateDate instanceof Date && Math.abs(user.CreateDate.getTime() - Date.now()) < 60_000);
  assert.deepEqual(created.User?.Tags, [{ Key: 'team', Value: 'payments' }]);

  const got = await admin.iam.send(new GetUserCommand({ UserName: 'CAROL' }));
  assert.equal(got.User?.UserId, user.UserId);
  const listed = await admin.iam.send(new ListUsersCommand({ PathPrefix: '/eng/' }));
  assert.deepEqual(listed.Users?.map((u) => u.UserName), ['carol']);
  assert.equal(listed.IsTruncated, false);
});

test('GetUser without a name describes the root user calling it', async () => {
  const { User } = await admin.iam.send(new GetUserCommand({}));
  assert.equal(User?.Arn, `arn:aws:iam::${ACCOUNT}:root`);
  assert.equal(User?.UserId, ACCOUNT);
});

test('IAM errors carry the AWS codes and statuses', async () => {
  await admin.iam.send(new CreateUserCommand({ UserName: 'dave' }));
  await expectAwsError(admin.iam.send(new CreateUserCommand({ UserName: 'Dave' })), 'EntityAlreadyExistsException', 409);
  await expectAwsError(admin.iam.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntityException', 404);
  await expectAwsError(admin.iam.send(new CreateUserCommand({ UserName: 'bad name!' })), 'ValidationError', 400);
  await expectAwsError(
    admin.iam.send(new CreateRoleCommand({ RoleName: 'broken', AssumeRolePolicyDocument: '{"Statement": "nope"' })),
    'MalformedPolicyDocumentException',
    400,
  );
});

test('a user with keys and policies cannot be deleted until they are gone (DeleteConflict)', async () => {
  const creds = await userWithKey(admin.iam, 'erin');
  await admin.iam.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'kms', PolicyDocument: KMS_POLICY }));
  await expectAwsError(admin.iam.send(new DeleteUserCommand({ UserName: 'erin' })), 'DeleteConflictException', 409);
  await admin.iam.send(new DeleteAccessKeyCommand({ UserName: 'erin', AccessKeyId: creds.accessKeyId }));
  await expectAwsError(admin.iam.send(new DeleteUserCommand({ UserName: 'erin' })), 'DeleteConflictException', 409);
  await admin.iam.send(new DeleteUserPolicyCommand({ UserName: 'erin', PolicyName: 'kms' }));
  await admin.iam.send(new DeleteUserCommand({ UserName: 'erin' }));
  await expectAwsError(admin.iam.send(new GetUserCommand({ UserName: 'erin' })), 'NoSuchEntityException', 404);
});

test('access keys: two per user, listed without secrets, deactivated and deleted', async () => {
  const first = await userWithKey(admin.iam, 'frank');
  const second = (await admin.iam.send(new CreateAccessKeyCommand({ UserName: 'frank' }))).AccessKey!;
  await expectAwsError(admin.iam.send(new CreateAccessKeyCommand({ UserName: 'frank' })), 'LimitExceededException', 409);
  await admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'frank', AccessKeyId: first.accessKeyId, Status: 'Inactive' }));
  const { AccessKeyMetadata } = await admin.iam.send(new ListAccessKeysCommand({ UserName: 'frank' }));
  const byId = new Map(AccessKeyMetadata?.map((k) => [k.AccessKeyId, k]));
  assert.equal(byId.get(first.accessKeyId)?.Status, 'Inactive');
  assert.equal(byId.get(second.AccessKeyId)?.Status, 'Active');
  assert.equal(byId.get(second.AccessKeyId)?.UserName, 'frank');
  assert.ok(!JSON.stringify(AccessKeyMetadata).includes(first.secretAccessKey));
  await expectAwsError(
    admin.iam.send(new DeleteAccessKeyCommand({ UserName: 'frank', AccessKeyId: 'AKIANOSUCHKEY0000000' })),
    'NoSuchEntityException',
    404,
  );
});

test('user and role inline policies round-trip URL-encoded, as IAM returns them', async () => {
  await admin.iam.send(new CreateUserCommand({ UserName: 'grace' }));
  await admin.iam.send(new PutUserPolicyCommand({ UserName: 'grace', PolicyName: 'kms-all', PolicyDocument: KMS_POLICY }));
  const got = await admin.iam.send(new GetUserPolicyCommand({ UserName: 'grace', PolicyName: 'kms-all' }));
  assert.equal(got.UserName, 'grace');
  assert.equal(decodeURIComponent(got.PolicyDocument!), KMS_POLICY);
  assert.notEqual(got.PolicyDocument, KMS_POLICY);
  assert.deepEqual((await admin.iam.send(new ListUserPoliciesCommand({ UserName: 'grace' }))).PolicyNames, ['kms-all']);
  await expectAwsError(admin.iam.send(new GetUserPolicyCommand({ UserName: 'grace', PolicyName: 'other' })), 'NoSuchEntityException', 404);

  const roleArn = await roleTrusting(admin.iam, 'Reporting', `arn:aws:iam::${ACCOUNT}:root`);
  await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'Reporting', PolicyName: 'kms-all', PolicyDocument: KMS_POLICY }));
  assert.equal(decodeURIComponent((await admin.iam.send(new GetRolePolicyCommand({ RoleName: 'Reporting', PolicyName: 'kms-all' }))).PolicyDocument!), KMS_POLICY);
  assert.deepEqual((await admin.iam.send(new ListRolePoliciesCommand({ RoleName: 'Reporting' }))).PolicyNames, ['kms-all']);
  await expectAwsError(admin.iam.send(new DeleteRoleCommand({ RoleName: 'Reporting' })), 'DeleteConflictException', 409);
  await admin.iam.send(new DeleteRolePolicyCommand({ RoleName: 'Reporting', PolicyName: 'kms-all' }));
  await admin.iam.send(new DeleteRoleCommand({ RoleName: 'Reporting' }));
  await expectAwsError(admin.iam.send(new GetRoleCommand({ RoleName: 'Reporting' })), 'NoSuchEntityException', 404);
  assert.ok(roleArn.endsWith(':role/Reporting'));
});

test('CreateRole, GetRole and ListRoles return the trust policy URL-encoded and the session limit', async () => {
  const policy = trustPolicy(`arn:aws:iam::${ACCOUNT}:root`);
  const { Role } = await admin.iam.send(new CreateRoleCommand({ RoleName: 'Auditor', Path: '/ops/', AssumeRolePolicyDocument: policy, MaxSessionDuration: 7200, Description: 'reads the trail' }));
  assert.equal(Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/ops/Auditor`);
  assert.match(Role!.RoleId!, /^AROA[A-Z2-7]{17}$/);
  const got = await admin.iam.send(new GetRoleCommand({ RoleName: 'Auditor' }));
  assert.equal(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!), policy);
  assert.equal(got.Role?.MaxSessionDuration, 7200);
  assert.equal(got.Role?.Description, 'reads the trail');
  const listed = await admin.iam.send(new ListRolesCommand({ PathPrefix: '/ops/' }));
  assert.deepEqual(listed.Roles?.map((r) => r.RoleName), ['Auditor']);
});

test('a user calls KMS with its own access key once an identity policy allows it, and STS names it', async () => {
  const creds = await userWithKey(admin.iam, 'alice');
  const alice = clientsFor(server, creds);
  const identity = await alice.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal(identity.Account, ACCOUNT);
  assert.match(identity.UserId!, /^AIDA/);
  // The default key policy delegates to IAM: without an identity policy the user may not use KMS.
  await expectAwsError(alice.kms.send(new CreateKeyCommand({})), 'AccessDeniedException', 400);
  await admin.iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'kms', PolicyDocument: KMS_ALL_POLICY }));
  const keyId = (await alice.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  const ctx = { tenant: 'acme' };
  const enc = await alice.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('as alice'), EncryptionContext: ctx }));
  const dec = await admin.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob!, EncryptionContext: ctx }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'as alice');
});

test('a user assumes a role its trust policy names, calls KMS with the session, and STS names the session', async () => {
  const creds = await userWithKey(admin.iam, 'bob');
  const roleArn = await roleTrusting(admin.iam, 'Application', `arn:aws:iam::${ACCOUNT}:user/bob`, { policy: KMS_ALL_POLICY });
  const bob = clientsFor(server, creds);
  const assumed = await bob.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'deploy-42', DurationSeconds: 900 }));
  const c = assumed.Credentials!;
  assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(c.SecretAccessKey!.length, 40);
  assert.ok(c.SessionToken!.length > 40);
  assert.ok(Math.abs(c.Expiration!.getTime() - (Date.now() + 900_000)) < 60_000);
  assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/Application/deploy-42`);
  assert.match(assumed.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:deploy-42$/);

  const session = clientsFor(server, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  const who = await session.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/Application/deploy-42`);
  assert.equal(who.UserId, assumed.AssumedRoleUser?.AssumedRoleId);
  const keyId = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  const enc = await session.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('as the role') }));
  const dec = await session.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob! }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'as the role');
});

test("the SDK's role-assumption provider (fromIni with role_arn and source_profile) works unchanged", async () => {
  const creds = await userWithKey(admin.iam, 'ivan');
  const roleArn = await roleTrusting(admin.iam, 'Chained', `arn:aws:iam::${ACCOUNT}:user/ivan`, { policy: KMS_ALL_POLICY });
  const credentialsFile = join(server.dataDir, 'ivan-credentials');
  writeFileSync(credentialsFile, `[ivan]\naws_access_key_id = ${creds.accessKeyId}\naws_secret_access_key = ${creds.secretAccessKey}\n`, { mode: 0o600 });
  const configFile = join(server.dataDir, 'ivan-config');
  writeFileSync(configFile, `[profile app]\nrole_arn = ${roleArn}\nsource_profile = ivan\nrole_session_name = from-ini\nregion = us-east-1\n`);
  const provider = fromIni({
    profile: 'app',
    filepath: credentialsFile,
    configFilepath: configFile,
    clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 },
  });
  const session = clientsFor(server, await provider());
  const who = await session.sts.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/Chained/from-ini`);
  await session.kms.send(new CreateKeyCommand({ Description: 'made by a role session' }));
});

test('the root user cannot assume a role (AccessDenied, as AWS)', async () => {
  const roleArn = await roleTrusting(admin.iam, 'RootTrusted', `arn:aws:iam::${ACCOUNT}:root`);
  await expectAwsError(admin.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'root' })), 'AccessDenied', 403);
});

test('AssumeRole refused by the trust policy is AccessDenied, the same as for a missing role', async () => {
  const creds = await userWithKey(admin.iam, 'mallory');
  const roleArn = await roleTrusting(admin.iam, 'OnlyForBob', `arn:aws:iam::${ACCOUNT}:user/bob`);
  const mallory = clientsFor(server, creds);
  const refused = await expectAwsError(mallory.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'try' })), 'AccessDenied', 403);
  assert.match(refused.message, /is not authorized to perform: sts:AssumeRole/);
  const missing = await expectAwsError(
    mallory.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/NoSuchRole`, RoleSessionName: 'try' })),
    'AccessDenied',
    403,
  );
  assert.equal(missing.message.replace('NoSuchRole', 'OnlyForBob'), refused.message);
});

test('a trust policy naming the account delegates to the caller\'s identity policies', async () => {
  const creds = await userWithKey(admin.iam, 'peggy');
  const roleArn = await roleTrusting(admin.iam, 'AccountTrusted', `arn:aws:iam::${ACCOUNT}:root`);
  const peggy = clientsFor(server, creds);
  await expectAwsError(peggy.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'first' })), 'AccessDenied', 403);
  const allowAssume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] });
  await admin.iam.send(new PutUserPolicyCommand({ UserName: 'peggy', PolicyName: 'assume', PolicyDocument: allowAssume }));
  const { AssumedRoleUser } = await peggy.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'second' }));
  assert.equal(AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/AccountTrusted/second`);
});

test('AssumeRole checks DurationSeconds against the role and the session name pattern', async () => {
  const creds = await userWithKey(admin.iam, 'judy');
  const roleArn = await roleTrusting(admin.iam, 'Short', `arn:aws:iam::${ACCOUNT}:user/judy`);
  const judy = clientsFor(server, creds);
  await expectAwsError(judy.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's', DurationSeconds: 900 })), 'ValidationError', 400);
  await expectAwsError(judy.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok-name', DurationSeconds: 7200 })), 'ValidationError', 400);
  await expectAwsError(judy.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ok-name', DurationSeconds: 60 })), 'ValidationError', 400);
});

test('an IAM user calls IAM only as far as its identity policies allow', async () => {
  const creds = await userWithKey(admin.iam, 'oscar');
  const oscar = clientsFor(server, creds);
  const err = await expectAwsError(oscar.iam.send(new CreateUserCommand({ UserName: 'oscar-friend' })), 'AccessDenied', 403);
  assert.match(err.message, /user\/oscar is not authorized to perform: iam:CreateUser/);
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreateUser', Resource: `arn:aws:iam::${ACCOUNT}:user/team/*` }] });
  await admin.iam.send(new PutUserPolicyCommand({ UserName: 'oscar', PolicyName: 'create-team-users', PolicyDocument: policy }));
  await oscar.iam.send(new CreateUserCommand({ UserName: 'oscar-friend', Path: '/team/' }));
  await expectAwsError(oscar.iam.send(new CreateUserCommand({ UserName: 'oscar-other' })), 'AccessDenied', 403);
  await expectAwsError(oscar.iam.send(new DeleteUserCommand({ UserName: 'oscar-friend' })), 'AccessDenied', 403);
});

test('keys are regional: a key created in us-east-1 is NotFoundException from eu-west-1', async () => {
  const keyArn = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  assert.match(keyArn, /^arn:aws:kms:us-east-1:/);
  const keyId = keyArn.split('/')[1]!;
  const eu = clientsFor(server, undefined, 'eu-west-1');
  await expectAwsError(eu.kms.send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException', 400);
  const euKey = (await eu.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  assert.match(euKey.Arn!, /^arn:aws:kms:eu-west-1:/);
  await expectAwsError(admin.kms.send(new DescribeKeyCommand({ KeyId: euKey.KeyId! })), 'NotFoundException', 400);
});
