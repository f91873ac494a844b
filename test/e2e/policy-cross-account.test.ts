// End-to-end: a key shared with another account. The key policy must allow the other account (or
// its principal), and the caller's own account must allow it too: its root user by itself, its
// IAM users only through their identity policies (KMS Developer Guide, "Allowing users in other
// accounts to use a KMS key").

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, CreateGrantCommand } from '@aws-sdk/client-kms';
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { clientsFor, expectAwsError, userWithKey, type Clients } from '../helpers/identity-clients.ts';

const OWNER = '123456789012';
const PARTNER = '444455556666';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const ownerRoot = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:*', Resource: '*' };

let server: ServerProcess;
let owner: Clients;
let partnerRoot: Clients;

before(async () => {
  server = await startServerProcess({ env: { KONTEXT_EXTRA_ACCOUNT_IDS: PARTNER } });
  owner = clientsFor(server);
  const credentials = await fromIni({ profile: `kontext-${PARTNER}`, filepath: join(server.dataDir, 'credentials'), configFilepath: join(server.dataDir, 'no-config') })();
  partnerRoot = clientsFor(server, credentials);
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('a key policy that allows another account lets its root and, with an identity policy, its users', async () => {
  const key = (await owner.kms.send(new CreateKeyCommand({
    Policy: doc(ownerRoot, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:partner': 'acme' } } }),
  }))).KeyMetadata!.Arn!;
  const { CiphertextBlob } = await owner.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('shared'), EncryptionContext: { partner: 'acme' } }));
  const decrypt = (c: Clients, partner = 'acme') => c.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: key, EncryptionContext: { partner } }));

  assert.equal(Buffer.from((await decrypt(partnerRoot)).Plaintext!).toString(), 'shared');
  await expectAwsError(decrypt(partnerRoot, 'other'), 'AccessDeniedException');

  const analyst = clientsFor(server, await userWithKey(partnerRoot.iam, 'analyst'));
  const denied = await expectAwsError(decrypt(analyst), 'AccessDeniedException');
  assert.match(denied.message, new RegExp(`^User: arn:aws:iam::${PARTNER}:user/analyst is not authorized to perform: kms:Decrypt on resource: ${key} because no identity-based policy allows`));
  await partnerRoot.iam.send(new PutUserPolicyCommand({ UserName: 'analyst', PolicyName: 'shared-key', PolicyDocument: doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key }) }));
  assert.equal(Buffer.from((await decrypt(analyst)).Plaintext!).toString(), 'shared');
  await expectAwsError(analyst.kms.send(new DescribeKeyCommand({ KeyId: key })), 'AccessDeniedException');
});

test('a key policy that does not name the other account keeps it out, whatever its own policies say', async () => {
  const key = (await owner.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const err = await expectAwsError(partnerRoot.kms.send(new DescribeKeyCommand({ KeyId: key })), 'AccessDeniedException');
  assert.match(err.message, /because no resource-based policy allows the kms:DescribeKey action$/);
});

test('a grant to a user of another account allows it without a key policy statement', async () => {
  const key = (await owner.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const partnerUser = clientsFor(server, await userWithKey(partnerRoot.iam, 'grantee'));
  await owner.kms.send(new CreateGrantCommand({ KeyId: key, GranteePrincipal: `arn:aws:iam::${PARTNER}:user/grantee`, Operations: ['Encrypt', 'Decrypt'] }));
  const { CiphertextBlob } = await partnerUser.kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('by grant') }));
  assert.equal(Buffer.from((await partnerUser.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: key }))).Plaintext!).toString(), 'by grant');
});

test('Decrypt without KeyId finds a shared key of another account from the ciphertext, and its key policy still decides', async () => {
  const shared = (await owner.kms.send(new CreateKeyCommand({
    Policy: doc(ownerRoot, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: 'kms:Decrypt', Resource: '*' }),
  }))).KeyMetadata!.Arn!;
  const sealed = await owner.kms.send(new EncryptCommand({ KeyId: shared, Plaintext: Buffer.from('no key id needed'), EncryptionContext: { partner: 'acme' } }));
  const out = await partnerRoot.kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { partner: 'acme' } }));
  assert.equal(Buffer.from(out.Plaintext!).toString(), 'no key id needed');
  assert.equal(out.KeyId, shared, 'the answer names the owner account key');
  await expectAwsError(partnerRoot.kms.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { partner: 'other' } })), 'InvalidCiphertextException');

  const unshared = (await owner.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const private_ = await owner.kms.send(new EncryptCommand({ KeyId: unshared, Plaintext: Buffer.from('owner only') }));
  const err = await expectAwsError(partnerRoot.kms.send(new DecryptCommand({ CiphertextBlob: private_.CiphertextBlob })), 'AccessDeniedException');
  assert.match(err.message, /because no resource-based policy allows the kms:Decrypt action$/);
  assert.ok(!err.message.includes('owner only'));
});
