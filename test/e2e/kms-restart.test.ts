// End-to-end: state survives a restart — keys, aliases, tags, rotation state — and ciphertexts
// from before a rotation and before the restart still decrypt.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KMSClient,
  CreateKeyCommand,
  CreateAliasCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  ListKeyRotationsCommand,
} from '@aws-sdk/client-kms';
import { startServerProcess } from '../helpers/server-process.ts';

test('keys, aliases, tags and rotation state survive a restart and old ciphertexts still decrypt', async () => {
  const first = await startServerProcess();
  const dataDir = first.dataDir;
  let kms = new KMSClient(first.clientConfig());
  const ctx = { tenant: 'acme' };
  const key = (await kms.send(new CreateKeyCommand({ Description: 'durable', Tags: [{ TagKey: 'env', TagValue: 'test' }] }))).KeyMetadata!.KeyId!;
  const disabled = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await kms.send(new DisableKeyCommand({ KeyId: disabled }));
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/durable', TargetKeyId: key }));
  await kms.send(new EnableKeyRotationCommand({ KeyId: key, RotationPeriodInDays: 180 }));
  const beforeRotation = await kms.send(new EncryptCommand({ KeyId: key, Plaintext: new TextEncoder().encode('v1'), EncryptionContext: ctx }));
  await kms.send(new RotateKeyOnDemandCommand({ KeyId: key }));
  const afterRotation = await kms.send(new EncryptCommand({ KeyId: 'alias/durable', Plaintext: new TextEncoder().encode('v2'), EncryptionContext: ctx }));
  kms.destroy();
  await first.stop();

  const second = await startServerProcess({ dataDir });
  kms = new KMSClient(second.clientConfig());
  try {
    const md = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/durable' }))).KeyMetadata!;
    assert.equal(md.KeyId, key);
    assert.equal(md.Description, 'durable');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: disabled }))).KeyMetadata!.KeyState, 'Disabled');
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: key }))).Tags, [{ TagKey: 'env', TagValue: 'test' }]);
    const rot = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key }));
    assert.equal(rot.KeyRotationEnabled, true);
    assert.equal(rot.RotationPeriodInDays, 180);
    assert.equal((await kms.send(new ListKeyRotationsCommand({ KeyId: key }))).Rotations!.length, 1);
    const d1 = await kms.send(new DecryptCommand({ CiphertextBlob: beforeRotation.CiphertextBlob, EncryptionContext: ctx }));
    const d2 = await kms.send(new DecryptCommand({ CiphertextBlob: afterRotation.CiphertextBlob, EncryptionContext: ctx }));
    assert.equal(new TextDecoder().decode(d1.Plaintext), 'v1');
    assert.equal(new TextDecoder().decode(d2.Plaintext), 'v2');
  } finally {
    kms.destroy();
    await second.stop();
    second.cleanup();
  }
});

test('a server refuses to start with a root key that does not match its data', async () => {
  const first = await startServerProcess({ env: { KONTEXT_ROOT_KEY: Buffer.alloc(32, 1).toString('base64') } });
  await first.stop();
  await assert.rejects(
    startServerProcess({ dataDir: first.dataDir, env: { KONTEXT_ROOT_KEY: Buffer.alloc(32, 2).toString('base64') } }),
    /root key does not match/,
  );
  first.cleanup();
});

test('the generated dev root key file is private to its owner', async () => {
  const { statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const server = await startServerProcess();
  try {
    assert.equal(statSync(join(server.dataDir, 'root.key')).mode & 0o777, 0o600);
    assert.ok(server.output.some((l) => l.includes('DEV MODE')));
  } finally {
    await server.stop();
    server.cleanup();
  }
});
