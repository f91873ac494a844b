// End-to-end: key policies, IAM policies and their encryption-context conditions enforced as AWS KMS
// enforces them, with the real @aws-sdk clients (KMS, IAM, STS) against a server process. Users and
// roles are made through IAM; every denial is AccessDeniedException with AWS's message, which names
// the caller, the action and the key, and never a condition or a context value.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  TagResourceCommand,
  UpdateKeyDescriptionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { CreateUserCommand, PutUserPolicyCommand, DeleteUserPolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { clientsFor, expectAwsError, roleTrusting, userWithKey, type Clients } from '../helpers/identity-clients.ts';

const ACCOUNT = '123456789012';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

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

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
/** The statement that keeps the admin (the account root) in charge and enables IAM policies. */
const rootDelegation = { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const allow = (principal: string, action: string | string[], condition?: object, sid?: string) => ({
  ...(sid ? { Sid: sid } : {}),
  Effect: 'Allow',
  Principal: { AWS: principal },
  Action: action,
  Resource: '*',
  ...(condition ? { Condition: condition } : {}),
});

async function keyWith(policy: string): Promise<string> {
  return (await admin.kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
}

async function userClients(name: string): Promise<Clients> {
  return clientsFor(server, await userWithKey(admin.iam, name));
}

/** A user `name`-user, a role `name` trusting it, and a session of the role. */
async function roleSession(name: string): Promise<Clients> {
  const creds = await userWithKey(admin.iam, `${name}-user`);
  const arn = await roleTrusting(admin.iam, name, userArn(`${name}-user`));
  const { Credentials: c } = await clientsFor(server, creds).sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'app' }));
  return clientsFor(server, { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });
}

async function encryptAsAdmin(keyId: string, context?: Record<string, string>): Promise<Uint8Array> {
  return (await admin.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('secret payload'), ...(context ? { EncryptionContext: context } : {}) }))).CiphertextBlob!;
}

async function decrypts(kms: KMSClient, blob: Uint8Array, context?: Record<string, string>): Promise<boolean> {
  try {
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: blob, ...(context ? { EncryptionContext: context } : {}) }));
    assert.equal(Buffer.from(out.Plaintext!).toString(), 'secret payload');
    return true;
  } catch (err) {
    assert.equal((err as Error).name, 'AccessDeniedException', (err as Error).message);
    return false;
  }
}

describe('encryption-context conditions in a key policy', () => {
  test('a role allowed to decrypt only with department=finance succeeds with it and is denied with hr or none', async () => {
    const session = await roleSession('FinanceApp');
    const key = await keyWith(doc(rootDelegation, allow(roleArn('FinanceApp'), ['kms:Encrypt', 'kms:Decrypt'], { StringEquals: { 'kms:EncryptionContext:department': 'finance' } })));
    const finance = (await session.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('secret payload'), EncryptionContext: { department: 'finance' } }))).CiphertextBlob!;
    assert.equal(await decrypts(session.kms, finance, { department: 'finance' }), true);
    const hr = await encryptAsAdmin(key, { department: 'hr' });
    assert.equal(await decrypts(session.kms, hr, { department: 'hr' }), false);
    assert.equal(await decrypts(session.kms, await encryptAsAdmin(key), undefined), false);
    await expectAwsError(session.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x'), EncryptionContext: { department: 'hr' } })), 'AccessDeniedException', 400);
  });

  test('AccessDenied names the caller, the action and the key, never the context', async () => {
    const session = await roleSession('MessageApp');
    const key = await keyWith(doc(rootDelegation, allow(roleArn('MessageApp'), 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:department': 'finance' } })));
    const blob = await encryptAsAdmin(key, { department: 'hr-secret-project' });
    const err = await expectAwsError(session.kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { department: 'hr-secret-project' } })), 'AccessDeniedException', 400);
    assert.equal(
      err.message,
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/MessageApp/app is not authorized to perform: kms:Decrypt on resource: ${key} because no identity-based policy allows the kms:Decrypt action`,
    );
    assert.doesNotMatch(err.message, /finance|hr-secret/);
  });

  test('StringLike on customer_id allows cust_* and nothing else', async () => {
    const analyst = await userClients('analyst');
    const key = await keyWith(doc(rootDelegation, allow(userArn('analyst'), 'kms:Decrypt', { StringLike: { 'kms:EncryptionContext:customer_id': 'cust_*' } })));
    assert.equal(await decrypts(analyst.kms, await encryptAsAdmin(key, { customer_id: 'cust_98765' }), { customer_id: 'cust_98765' }), true);
    assert.equal(await decrypts(analyst.kms, await encryptAsAdmin(key, { customer_id: 'acme_1' }), { customer_id: 'acme_1' }), false);
    assert.equal(await decrypts(analyst.kms, await encryptAsAdmin(key, { customer_id: 'CUST_1' }), { customer_id: 'CUST_1' }), false, 'StringLike is case-sensitive');
  });

  test('two conditions in one statement must both hold', async () => {
    const clerk = await userClients('clerk');
    const key = await keyWith(
      doc(rootDelegation, allow(userArn('clerk'), 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:department': 'finance' }, StringLike: { 'kms:EncryptionContext:customer_id': 'cust_*' } })),
    );
    const both = { department: 'finance', customer_id: 'cust_98765' };
    assert.equal(await decrypts(clerk.kms, await encryptAsAdmin(key, both), both), true);
    assert.equal(await decrypts(clerk.kms, await encryptAsAdmin(key, { department: 'finance' }), { department: 'finance' }), false);
    assert.equal(await decrypts(clerk.kms, await encryptAsAdmin(key, { department: 'hr', customer_id: 'cust_1' }), { department: 'hr', customer_id: 'cust_1' }), false);
  });

  test('ForAllValues:StringEquals on kms:EncryptionContextKeys forbids unlisted keys but allows no context', async () => {
    const auditor = await userClients('auditor');
    const key = await keyWith(doc(rootDelegation, allow(userArn('auditor'), 'kms:Decrypt', { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['department', 'customer_id'] } })));
    assert.equal(await decrypts(auditor.kms, await encryptAsAdmin(key, { department: 'finance' }), { department: 'finance' }), true);
    assert.equal(await decrypts(auditor.kms, await encryptAsAdmin(key, { department: 'finance', project: 'x' }), { department: 'finance', project: 'x' }), false);
    assert.equal(await decrypts(auditor.kms, await encryptAsAdmin(key), undefined), true, 'ForAllValues holds for an empty set, as AWS documents');
  });

  test('an explicit Deny beats an Allow', async () => {
    const ops = await userClients('ops');
    const key = await keyWith(
      doc(rootDelegation, allow(userArn('ops'), 'kms:*'), { Effect: 'Deny', Principal: { AWS: userArn('ops') }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:department': 'hr' } } }),
    );
    assert.equal(await decrypts(ops.kms, await encryptAsAdmin(key, { department: 'finance' }), { department: 'finance' }), true);
    const blob = await encryptAsAdmin(key, { department: 'hr' });
    const err = await expectAwsError(ops.kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { department: 'hr' } })), 'AccessDeniedException');
    assert.match(err.message, /with an explicit deny in a resource-based policy$/);
  });

  test('a principal the key policy does not name is denied', async () => {
    const stranger = await userClients('stranger');
    const key = await keyWith(doc(rootDelegation, allow(userArn('analyst'), 'kms:Decrypt')));
    const err = await expectAwsError(stranger.kms.send(new DescribeKeyCommand({ KeyId: key })), 'AccessDeniedException');
    assert.match(err.message, new RegExp(`^User: ${userArn('stranger')} is not authorized to perform: kms:DescribeKey on resource: ${key}`));
    const keyWithoutDelegation = await admin.kms.send(new CreateKeyCommand({ Policy: doc(allow(ROOT, 'kms:*'), allow(userArn('analyst'), 'kms:Decrypt')) }));
    const err2 = await expectAwsError(stranger.kms.send(new DescribeKeyCommand({ KeyId: keyWithoutDelegation.KeyMetadata!.Arn! })), 'AccessDeniedException');
    assert.match(err2.message, /because no (resource|identity)-based policy allows the kms:DescribeKey action$/);
  });
});

describe('IAM policies through the key policy\'s root delegation', () => {
  test('a user is allowed by an identity policy when the key policy delegates to the account', async () => {
    const dev = await userClients('dev');
    const key = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const blob = await encryptAsAdmin(key, { department: 'finance' });
    assert.equal(await decrypts(dev.kms, blob, { department: 'finance' }), false, 'no identity policy yet');
    await admin.iam.send(new PutUserPolicyCommand({
      UserName: 'dev',
      PolicyName: 'decrypt-finance',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key, Condition: { StringEquals: { 'kms:EncryptionContext:department': 'finance' } } }),
    }));
    assert.equal(await decrypts(dev.kms, blob, { department: 'finance' }), true);
    assert.equal(await decrypts(dev.kms, await encryptAsAdmin(key, { department: 'hr' }), { department: 'hr' }), false);
    await admin.iam.send(new DeleteUserPolicyCommand({ UserName: 'dev', PolicyName: 'decrypt-finance' }));
    assert.equal(await decrypts(dev.kms, blob, { department: 'finance' }), false, 'the deleted policy stops applying at once');
  });

  test('an identity policy cannot reach a key whose policy does not delegate to the account', async () => {
    const dev2 = await userClients('dev2');
    await admin.iam.send(new PutUserPolicyCommand({ UserName: 'dev2', PolicyName: 'all-kms', PolicyDocument: doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }) }));
    const delegating = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    assert.equal(await decrypts(dev2.kms, await encryptAsAdmin(delegating), undefined), true);
    // The root is allowed only as itself: no delegation to IAM users.
    const rootOnly = await keyWith(doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } } }));
    const err = await expectAwsError(dev2.kms.send(new DecryptCommand({ CiphertextBlob: await encryptAsAdmin(rootOnly) })), 'AccessDeniedException');
    assert.match(err.message, /because no resource-based policy allows the kms:Decrypt action$/);
  });

  test('a role session is allowed by its role\'s identity policy; kms:CreateKey is an IAM-only permission', async () => {
    const session = await roleSession('Builder');
    await expectAwsError(session.kms.send(new CreateKeyCommand({})), 'AccessDeniedException');
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'Builder', PolicyName: 'keys', PolicyDocument: doc({ Effect: 'Allow', Action: ['kms:CreateKey', 'kms:DescribeKey'], Resource: '*' }) }));
    const made = await session.kms.send(new CreateKeyCommand({ Description: 'by a role' }));
    await session.kms.send(new DescribeKeyCommand({ KeyId: made.KeyMetadata!.KeyId! }));
  });

  test('a session policy passed to AssumeRole limits what the role\'s policies allow', async () => {
    const creds = await userWithKey(admin.iam, 'limited-user');
    const arn = await roleTrusting(admin.iam, 'Limited', userArn('limited-user'));
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'Limited', PolicyName: 'all-kms', PolicyDocument: doc({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }) }));
    const sessionPolicy = doc({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' });
    const { Credentials: c } = await clientsFor(server, creds).sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'narrow', Policy: sessionPolicy }));
    const narrow = clientsFor(server, { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });
    const key = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const out = await narrow.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('secret payload') }));
    assert.equal(await decrypts(narrow.kms, out.CiphertextBlob!), false, 'the role allows Decrypt, the session policy does not');
    // A key policy statement naming the session itself is outside the session policy.
    const sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/Limited/narrow`;
    const named = await keyWith(doc(rootDelegation, allow(sessionArn, 'kms:Decrypt')));
    assert.equal(await decrypts(narrow.kms, await encryptAsAdmin(named)), true);
  });

  test('alias operations are authorized on the alias ARN (identity policy) and on the key', async () => {
    const namer = await userClients('namer');
    await admin.iam.send(new PutUserPolicyCommand({
      UserName: 'namer',
      PolicyName: 'team-aliases',
      PolicyDocument: doc({ Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:DeleteAlias'], Resource: [`arn:aws:kms:us-east-1:${ACCOUNT}:alias/team-*`, `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`] }),
    }));
    const key = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await namer.kms.send(new CreateAliasCommand({ AliasName: 'alias/team-orders', TargetKeyId: key }));
    const err = await expectAwsError(namer.kms.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: key })), 'AccessDeniedException');
    assert.match(err.message, /kms:CreateAlias/);
    await namer.kms.send(new DeleteAliasCommand({ AliasName: 'alias/team-orders' }));
  });

  test('CreateKey conditions see the request\'s tags and whether the lockout check is bypassed', async () => {
    const maker = await userClients('maker');
    await admin.iam.send(new PutUserPolicyCommand({
      UserName: 'maker',
      PolicyName: 'tagged-keys',
      PolicyDocument: doc(
        { Effect: 'Allow', Action: ['kms:CreateKey', 'kms:TagResource'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/team': 'payments' } } },
        { Effect: 'Deny', Action: 'kms:CreateKey', Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } } },
      ),
    }));
    await maker.kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    await expectAwsError(maker.kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'hr' }] })), 'AccessDeniedException');
    await expectAwsError(maker.kms.send(new CreateKeyCommand({})), 'AccessDeniedException');
    const denied = await expectAwsError(
      maker.kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'payments' }], BypassPolicyLockoutSafetyCheck: true, Policy: doc(rootDelegation) })),
      'AccessDeniedException',
    );
    assert.match(denied.message, /explicit deny in an identity-based policy$/);
  });

  test('IAM calls by a user follow its identity policies', async () => {
    const hr = await userClients('hr-admin');
    await expectAwsError(hr.iam.send(new CreateUserCommand({ UserName: 'new-hire' })), 'AccessDenied', 403);
    await admin.iam.send(new PutUserPolicyCommand({ UserName: 'hr-admin', PolicyName: 'users', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:CreateUser', Resource: `arn:aws:iam::${ACCOUNT}:user/*` }) }));
    await hr.iam.send(new CreateUserCommand({ UserName: 'new-hire' }));
  });
});

describe('ReEncrypt', () => {
  test('needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key', async () => {
    const mover = await userClients('mover');
    const source = await keyWith(doc(rootDelegation, allow(userArn('mover'), 'kms:ReEncryptFrom', { StringEquals: { 'kms:EncryptionContext:stage': 'old' } })));
    const destination = await keyWith(doc(rootDelegation, allow(userArn('mover'), 'kms:DescribeKey')));
    const blob = await encryptAsAdmin(source, { stage: 'old' });
    const reEncrypt = (ctx: Record<string, string>) =>
      mover.kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: ctx, DestinationKeyId: destination, DestinationEncryptionContext: { stage: 'new' } }));
    const err = await expectAwsError(reEncrypt({ stage: 'old' }), 'AccessDeniedException');
    assert.match(err.message, new RegExp(`kms:ReEncryptTo on resource: ${destination}`));
    await admin.kms.send(new PutKeyPolicyCommand({ KeyId: destination, Policy: doc(rootDelegation, allow(userArn('mover'), 'kms:ReEncryptTo', { StringEquals: { 'kms:EncryptionContext:stage': 'new' } })) }));
    const out = await reEncrypt({ stage: 'old' });
    assert.equal(out.KeyId, destination);
    await expectAwsError(
      mover.kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { stage: 'old' }, DestinationKeyId: destination, DestinationEncryptionContext: { stage: 'other' } })),
      'AccessDeniedException',
    );
    const fromSource = await expectAwsError(
      mover.kms.send(new ReEncryptCommand({ CiphertextBlob: await encryptAsAdmin(source, { stage: 'x' }), SourceEncryptionContext: { stage: 'x' }, DestinationKeyId: destination, DestinationEncryptionContext: { stage: 'new' } })),
      'AccessDeniedException',
    );
    assert.match(fromSource.message, new RegExp(`kms:ReEncryptFrom on resource: ${source}`));
  });
});

describe('key policy validation and the lockout safety check', () => {
  test('PutKeyPolicy that would lock the caller out is MalformedPolicyDocumentException; with the bypass it is accepted', async () => {
    await userWithKey(admin.iam, 'keeper');
    const key = (await admin.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const withoutAdmin = doc(allow(userArn('keeper'), 'kms:*'));
    const err = await expectAwsError(admin.kms.send(new PutKeyPolicyCommand({ KeyId: key, Policy: withoutAdmin })), 'MalformedPolicyDocumentException', 400);
    assert.equal(err.message, 'The new key policy will not allow you to update the key policy in the future.');
    await admin.kms.send(new DescribeKeyCommand({ KeyId: key }));
    await admin.kms.send(new PutKeyPolicyCommand({ KeyId: key, Policy: withoutAdmin, BypassPolicyLockoutSafetyCheck: true }));
    await expectAwsError(admin.kms.send(new GetKeyPolicyCommand({ KeyId: key })), 'AccessDeniedException');
  });

  test('CreateKey with a policy that leaves the caller out is refused unless bypassed', async () => {
    await expectAwsError(admin.kms.send(new CreateKeyCommand({ Policy: doc(allow(userArn('keeper'), 'kms:*')) })), 'MalformedPolicyDocumentException');
    await admin.kms.send(new CreateKeyCommand({ Policy: doc(allow(userArn('keeper'), 'kms:*')), BypassPolicyLockoutSafetyCheck: true }));
  });

  test('a principal that does not exist is refused; malformed and oversize policies get AWS\'s errors', async () => {
    const ghost = await expectAwsError(admin.kms.send(new CreateKeyCommand({ Policy: doc(rootDelegation, allow(userArn('ghost'), 'kms:Decrypt')) })), 'MalformedPolicyDocumentException');
    assert.match(ghost.message, /^Policy contains a statement with one or more invalid principals/);
    await expectAwsError(admin.kms.send(new CreateKeyCommand({ Policy: '{"Version":"2012-10-17","Statement":[' })), 'MalformedPolicyDocumentException');
    await expectAwsError(admin.kms.send(new CreateKeyCommand({ Policy: doc({ ...rootDelegation, Condition: { StringEqualz: { 'kms:CallerAccount': ACCOUNT } } }) })), 'MalformedPolicyDocumentException');
    await expectAwsError(
      admin.kms.send(new CreateKeyCommand({ Policy: doc(rootDelegation, allow(ROOT, 'kms:Decrypt', { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:department': 'finance' } })) })),
      'MalformedPolicyDocumentException',
    );
    const big = doc(rootDelegation, { ...allow(ROOT, 'kms:Decrypt'), Sid: 'x'.repeat(33_000) });
    await expectAwsError(admin.kms.send(new CreateKeyCommand({ Policy: big })), 'LimitExceededException');
    const hostile = doc(rootDelegation, allow(ROOT, 'kms:Decrypt', { StringLike: { 'kms:EncryptionContext:id': '*****a*****a*****a*****b' } }));
    const key = await keyWith(hostile);
    await admin.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x'), EncryptionContext: { id: 'a'.repeat(5000) } }));
  });

  test('the admin manages keys with the default key policy', async () => {
    const { KeyMetadata } = await admin.kms.send(new CreateKeyCommand({ Description: 'managed' }));
    const key = KeyMetadata!.Arn!;
    const policy = JSON.parse((await admin.kms.send(new GetKeyPolicyCommand({ KeyId: key }))).Policy!);
    assert.deepEqual(policy.Statement[0].Principal, { AWS: ROOT });
    await admin.kms.send(new UpdateKeyDescriptionCommand({ KeyId: key, Description: 'renamed' }));
    await admin.kms.send(new TagResourceCommand({ KeyId: key, Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    await admin.kms.send(new DisableKeyCommand({ KeyId: key }));
    await admin.kms.send(new EnableKeyCommand({ KeyId: key }));
    await admin.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
    await admin.kms.send(new CancelKeyDeletionCommand({ KeyId: key }));
    await admin.kms.send(new PutKeyPolicyCommand({ KeyId: key, Policy: doc(rootDelegation, allow(userArn('keeper'), 'kms:Decrypt')) }));
  });
});
