// End-to-end: grants with the real @aws-sdk/client-kms. Both encryption-context constraints as AWS
// documents them (Equals: exactly these pairs; Subset: at least these; keys case-insensitive, values
// not), grant tokens, Name retries, ListGrants/ListRetirableGrants, who may retire or revoke, and
// child grants that cannot widen their parent.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type CreateGrantCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { clientsFor, expectAwsError, roleTrusting, userWithKey, type Clients } from '../helpers/identity-clients.ts';

const ACCOUNT = '123456789012';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

let server: ServerProcess;
let admin: Clients;
let grantee: Clients;
let retirer: Clients;
let stranger: Clients;

before(async () => {
  server = await startServerProcess();
  admin = clientsFor(server);
  grantee = clientsFor(server, await userWithKey(admin.iam, 'grantee'));
  retirer = clientsFor(server, await userWithKey(admin.iam, 'retirer'));
  stranger = clientsFor(server, await userWithKey(admin.iam, 'stranger'));
  await userWithKey(admin.iam, 'child');
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

/** A key only the admin may use: anything a user does with it comes from a grant. */
async function adminOnlyKey(): Promise<string> {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } } }] });
  return (await admin.kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
}

const grant = (input: Partial<CreateGrantCommandInput> & { KeyId: string }) =>
  admin.kms.send(new CreateGrantCommand({ GranteePrincipal: userArn('grantee'), Operations: ['Decrypt'], ...input }));

async function blob(key: string, context?: Record<string, string>): Promise<Uint8Array> {
  return (await admin.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('payload'), ...(context ? { EncryptionContext: context } : {}) }))).CiphertextBlob!;
}

async function decrypts(kms: KMSClient, ciphertext: Uint8Array, context?: Record<string, string>, grantTokens?: string[]): Promise<boolean> {
  try {
    await kms.send(new DecryptCommand({ CiphertextBlob: ciphertext, ...(context ? { EncryptionContext: context } : {}), ...(grantTokens ? { GrantTokens: grantTokens } : {}) }));
    return true;
  } catch (err) {
    assert.equal((err as Error).name, 'AccessDeniedException', (err as Error).message);
    return false;
  }
}

describe('grant constraints', () => {
  test('EncryptionContextEquals allows exactly its pairs (keys in any case), nothing more or less', async () => {
    const key = await adminOnlyKey();
    const ctx = { department: 'finance', project: 'alpha' };
    const c = await blob(key, ctx);
    assert.equal(await decrypts(grantee.kms, c, ctx), false, 'no grant yet');
    await grant({ KeyId: key, Constraints: { EncryptionContextEquals: ctx } });
    assert.equal(await decrypts(grantee.kms, c, { project: 'alpha', department: 'finance' }), true);
    assert.equal(await decrypts(grantee.kms, await blob(key, { Department: 'finance', PROJECT: 'alpha' }), { Department: 'finance', PROJECT: 'alpha' }), true, 'keys compare without case');
    assert.equal(await decrypts(grantee.kms, await blob(key, { department: 'Finance', project: 'alpha' }), { department: 'Finance', project: 'alpha' }), false, 'values keep their case');
    assert.equal(await decrypts(grantee.kms, await blob(key, { ...ctx, stage: 'test' }), { ...ctx, stage: 'test' }), false);
    assert.equal(await decrypts(grantee.kms, await blob(key, { department: 'finance' }), { department: 'finance' }), false);
    assert.equal(await decrypts(grantee.kms, await blob(key)), false);
  });

  test('EncryptionContextSubset allows any context that includes its pairs', async () => {
    const key = await adminOnlyKey();
    await grant({ KeyId: key, Constraints: { EncryptionContextSubset: { department: 'finance' } } });
    const wider = { department: 'finance', customer_id: 'cust_98765' };
    assert.equal(await decrypts(grantee.kms, await blob(key, wider), wider), true);
    assert.equal(await decrypts(grantee.kms, await blob(key, { department: 'finance' }), { department: 'finance' }), true);
    assert.equal(await decrypts(grantee.kms, await blob(key, { department: 'hr' }), { department: 'hr' }), false);
    assert.equal(await decrypts(grantee.kms, await blob(key)), false);
  });

  test('constraints do not apply to DescribeKey; operations not in the grant stay denied', async () => {
    const key = await adminOnlyKey();
    await grant({ KeyId: key, Operations: ['Decrypt', 'DescribeKey'], Constraints: { EncryptionContextSubset: { department: 'finance' } } });
    await grantee.kms.send(new DescribeKeyCommand({ KeyId: key }));
    await expectAwsError(grantee.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x'), EncryptionContext: { department: 'finance' } })), 'AccessDeniedException');
  });

  test('a grant to a role is used by a session of the role', async () => {
    const creds = await userWithKey(admin.iam, 'worker');
    const role = await roleTrusting(admin.iam, 'Worker', userArn('worker'));
    const { Credentials: c } = await clientsFor(server, creds).sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'job' }));
    const session = clientsFor(server, { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });
    const key = await adminOnlyKey();
    await admin.kms.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: role, Operations: ['Encrypt', 'Decrypt'] }));
    const out = await session.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('payload') }));
    assert.equal(await decrypts(session.kms, out.CiphertextBlob!), true);
  });
});

describe('grant tokens and names', () => {
  test('a new grant\'s token works at once; a malformed token is InvalidGrantTokenException', async () => {
    const key = await adminOnlyKey();
    const { GrantToken, GrantId } = await grant({ KeyId: key });
    assert.match(GrantId!, /^[0-9a-f]{64}$/);
    assert.match(GrantToken!, /^[A-Za-z0-9+/]+={0,2}$/);
    assert.equal(await decrypts(grantee.kms, await blob(key), undefined, [GrantToken!]), true);
    await expectAwsError(grantee.kms.send(new DecryptCommand({ CiphertextBlob: await blob(key), GrantTokens: ['not-a-grant-token'] })), 'InvalidGrantTokenException', 400);
  });

  test('a Name retry with the same properties returns the same grant with a new token', async () => {
    const key = await adminOnlyKey();
    const first = await grant({ KeyId: key, Name: 'app-decrypt' });
    const again = await grant({ KeyId: key, Name: 'app-decrypt' });
    assert.equal(again.GrantId, first.GrantId);
    assert.notEqual(again.GrantToken, first.GrantToken);
    const other = await grant({ KeyId: key, Name: 'app-decrypt', Operations: ['Decrypt', 'DescribeKey'] });
    assert.notEqual(other.GrantId, first.GrantId);
    assert.equal((await admin.kms.send(new ListGrantsCommand({ KeyId: key }))).Grants?.length, 2);
  });
});

describe('listing grants', () => {
  test('ListGrants shows each grant as AWS does, pages with Limit and Marker, and filters', async () => {
    const key = await adminOnlyKey();
    const a = await grant({ KeyId: key, Name: 'first', RetiringPrincipal: userArn('retirer'), Constraints: { EncryptionContextSubset: { department: 'finance' } } });
    const b = await admin.kms.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: userArn('child'), Operations: ['Encrypt', 'GenerateDataKey'] }));
    const page1 = await admin.kms.send(new ListGrantsCommand({ KeyId: key, Limit: 1 }));
    assert.equal(page1.Truncated, true);
    const g = page1.Grants![0]!;
    assert.equal(g.GrantId, a.GrantId);
    assert.equal(g.KeyId, key);
    assert.equal(g.Name, 'first');
    assert.equal(g.GranteePrincipal, userArn('grantee'));
    assert.equal(g.RetiringPrincipal, userArn('retirer'));
    assert.equal(g.IssuingAccount, ROOT);
    assert.deepEqual(g.Operations, ['Decrypt']);
    assert.deepEqual(g.Constraints, { EncryptionContextSubset: { department: 'finance' } });
    assert.ok(g.CreationDate instanceof Date && Math.abs(g.CreationDate.getTime() - Date.now()) < 60_000);
    const page2 = await admin.kms.send(new ListGrantsCommand({ KeyId: key, Limit: 1, Marker: page1.NextMarker! }));
    assert.deepEqual(page2.Grants?.map((x) => x.GrantId), [b.GrantId]);
    assert.equal(page2.Truncated, false);
    assert.deepEqual((await admin.kms.send(new ListGrantsCommand({ KeyId: key, GranteePrincipal: userArn('child') }))).Grants?.map((x) => x.GrantId), [b.GrantId]);
    assert.deepEqual((await admin.kms.send(new ListGrantsCommand({ KeyId: key, GrantId: a.GrantId! }))).Grants?.map((x) => x.GrantId), [a.GrantId]);
    await expectAwsError(admin.kms.send(new ListGrantsCommand({ KeyId: key, GrantId: 'nope' })), 'InvalidGrantIdException');
    await expectAwsError(stranger.kms.send(new ListGrantsCommand({ KeyId: key })), 'AccessDeniedException');
    const retirable = await admin.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: userArn('retirer') }));
    assert.ok(retirable.Grants?.some((x) => x.GrantId === a.GrantId));
  });
});

describe('retiring and revoking', () => {
  test('the retiring principal retires a grant by its token, and the grantee loses access', async () => {
    const key = await adminOnlyKey();
    const { GrantToken } = await grant({ KeyId: key, RetiringPrincipal: userArn('retirer') });
    const c = await blob(key);
    assert.equal(await decrypts(grantee.kms, c), true);
    await expectAwsError(stranger.kms.send(new RetireGrantCommand({ GrantToken })), 'AccessDeniedException');
    await retirer.kms.send(new RetireGrantCommand({ GrantToken }));
    assert.equal(await decrypts(grantee.kms, c), false);
    await expectAwsError(retirer.kms.send(new RetireGrantCommand({ GrantToken })), 'NotFoundException');
    await expectAwsError(retirer.kms.send(new RetireGrantCommand({ GrantToken: 'garbage' })), 'InvalidGrantTokenException');
  });

  test('the grantee retires a grant only when the grant includes RetireGrant', async () => {
    const key = await adminOnlyKey();
    const plain = await grant({ KeyId: key });
    await expectAwsError(grantee.kms.send(new RetireGrantCommand({ KeyId: key, GrantId: plain.GrantId })), 'AccessDeniedException');
    const retirable = await grant({ KeyId: key, Operations: ['Decrypt', 'RetireGrant'] });
    await grantee.kms.send(new RetireGrantCommand({ KeyId: key, GrantId: retirable.GrantId }));
    await admin.kms.send(new RetireGrantCommand({ KeyId: key, GrantId: plain.GrantId }));
    assert.equal((await admin.kms.send(new ListGrantsCommand({ KeyId: key }))).Grants?.length, 0);
  });

  test('RevokeGrant needs kms:RevokeGrant; unknown and malformed ids get AWS\'s errors', async () => {
    const key = await adminOnlyKey();
    const { GrantId } = await grant({ KeyId: key });
    await expectAwsError(grantee.kms.send(new RevokeGrantCommand({ KeyId: key, GrantId })), 'AccessDeniedException');
    await admin.kms.send(new RevokeGrantCommand({ KeyId: key, GrantId }));
    assert.equal(await decrypts(grantee.kms, await blob(key)), false);
    await expectAwsError(admin.kms.send(new RevokeGrantCommand({ KeyId: key, GrantId })), 'NotFoundException');
    await expectAwsError(admin.kms.send(new RevokeGrantCommand({ KeyId: key, GrantId: 'not-a-grant-id' })), 'InvalidGrantIdException');
  });
});

describe('CreateGrant rules', () => {
  test('a grant with CreateGrant lets its grantee create narrower grants only', async () => {
    const key = await adminOnlyKey();
    await grant({ KeyId: key, Operations: ['Decrypt', 'CreateGrant'], Constraints: { EncryptionContextSubset: { department: 'finance' } } });
    const child = (input: Partial<CreateGrantCommandInput>) =>
      grantee.kms.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: userArn('child'), Operations: ['Decrypt'], ...input }));
    await child({ Constraints: { EncryptionContextSubset: { department: 'finance', team: 'payables' } } });
    await child({ Constraints: { EncryptionContextEquals: { department: 'finance' } } });
    await expectAwsError(child({}), 'AccessDeniedException');
    await expectAwsError(child({ Constraints: { EncryptionContextSubset: { department: 'hr' } } }), 'AccessDeniedException');
    await expectAwsError(child({ Operations: ['Decrypt', 'Encrypt'], Constraints: { EncryptionContextSubset: { department: 'finance' } } }), 'AccessDeniedException');
  });

  test('bad operations, constraints, principals and DryRun get AWS\'s errors', async () => {
    const key = await adminOnlyKey();
    await expectAwsError(grant({ KeyId: key, Operations: ['Sign'] }), 'ValidationException');
    await expectAwsError(grant({ KeyId: key, Operations: ['Dance' as 'Decrypt'] }), 'ValidationException');
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    await expectAwsError(grant({ KeyId: key, Constraints: { EncryptionContextSubset: nine } }), 'ValidationException');
    await expectAwsError(grant({ KeyId: key, Constraints: { EncryptionContextEquals: { k: 'v'.repeat(385) } } }), 'ValidationException');
    await expectAwsError(grant({ KeyId: key, GranteePrincipal: userArn('nobody-here') }), 'InvalidArnException');
    await expectAwsError(grant({ KeyId: key, GranteePrincipal: 'not a principal' }), 'ValidationException');
    await expectAwsError(grant({ KeyId: key, DryRun: true }), 'DryRunOperationException');
    await expectAwsError(stranger.kms.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: userArn('stranger'), Operations: ['Decrypt'] })), 'AccessDeniedException');
    assert.equal((await admin.kms.send(new ListGrantsCommand({ KeyId: key }))).Grants?.length, 0);
  });
});
