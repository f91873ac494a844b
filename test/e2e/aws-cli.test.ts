// End-to-end: the AWS CLI v2 (Debian package `awscli`, /usr/bin/aws) and boto3 (Debian package
// `python3-boto3`) work against Kontext unchanged. .ci/run installs both; these tests never skip.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

const run = promisify(execFile);
// Debian's CLI v2, not whatever `aws` comes first on PATH (a pyenv shim may be CLI v1).
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

let server: ServerProcess;
const env = () => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: server.dataDir,
  AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: TEST_SECRET_ACCESS_KEY,
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_EC2_METADATA_DISABLED: 'true',
});

async function aws(...args: string[]): Promise<string> {
  const { stdout } = await run(AWS, [...args, '--endpoint-url', server.url], { env: env(), timeout: 30_000 });
  return stdout;
}

before(async () => {
  server = await startServerProcess();
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('AWS CLI v2 is installed (Debian package awscli)', async () => {
  const { stdout } = await run(AWS, ['--version'], { env: env() });
  assert.match(stdout, /^aws-cli\/2\./);
});

test('AWS CLI create-key, encrypt with context, decrypt round-trips the README tour', async () => {
  const keyId = JSON.parse(await aws('kms', 'create-key', '--description', 'cli tour')).KeyMetadata.KeyId as string;
  await aws('kms', 'create-alias', '--alias-name', 'alias/cli-tour', '--target-key-id', keyId);
  const enc = JSON.parse(
    await aws('kms', 'encrypt', '--key-id', 'alias/cli-tour', '--plaintext', 'sensitive-data-here', '--cli-binary-format', 'raw-in-base64-out',
      '--encryption-context', 'department=finance,customer_id=cust_98765'),
  );
  assert.equal(enc.KeyId, `arn:aws:kms:us-east-1:123456789012:key/${keyId}`);
  const blobFile = join(server.dataDir, 'blob.bin');
  writeFileSync(blobFile, Buffer.from(enc.CiphertextBlob as string, 'base64'));
  const plaintextB64 = (
    await aws('kms', 'decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'department=finance,customer_id=cust_98765',
      '--query', 'Plaintext', '--output', 'text')
  ).trim();
  assert.equal(Buffer.from(plaintextB64, 'base64').toString(), 'sensitive-data-here');
});

test('AWS CLI decrypt with the wrong context fails with InvalidCiphertextException and a non-zero exit', async () => {
  const keyId = JSON.parse(await aws('kms', 'create-key')).KeyMetadata.KeyId as string;
  const enc = JSON.parse(await aws('kms', 'encrypt', '--key-id', keyId, '--plaintext', 'x', '--cli-binary-format', 'raw-in-base64-out', '--encryption-context', 'department=finance'));
  const blobFile = join(server.dataDir, 'blob2.bin');
  writeFileSync(blobFile, Buffer.from(enc.CiphertextBlob as string, 'base64'));
  await assert.rejects(aws('kms', 'decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'department=hr'), (err: Error & { stderr?: string; code?: number }) => {
    assert.notEqual(err.code, 0);
    assert.match(err.stderr ?? '', /InvalidCiphertextException/);
    return true;
  });
});

test('AWS CLI list-keys, describe-key and list-aliases parse the responses', async () => {
  const keys = JSON.parse(await aws('kms', 'list-keys')).Keys as Array<{ KeyId: string }>;
  assert.ok(keys.length >= 1);
  const md = JSON.parse(await aws('kms', 'describe-key', '--key-id', keys[0]!.KeyId)).KeyMetadata;
  assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
  const aliases = JSON.parse(await aws('kms', 'list-aliases')).Aliases as Array<{ AliasName: string }>;
  assert.ok(aliases.some((a) => a.AliasName === 'alias/cli-tour'));
});

test('boto3 (Debian python3-boto3) encrypts and decrypts with context against Kontext', async () => {
  const script = `
import boto3, sys
kms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='us-east-1')
key = kms.create_key(Description='boto3')['KeyMetadata']['KeyId']
ctx = {'department': 'finance', 'customer_id': 'cust_98765'}
blob = kms.encrypt(KeyId=key, Plaintext=b'from-boto3', EncryptionContext=ctx)['CiphertextBlob']
assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=ctx)['Plaintext'] == b'from-boto3'
try:
    kms.decrypt(CiphertextBlob=blob, EncryptionContext={'department': 'hr'})
    print('UNEXPECTED-SUCCESS')
except kms.exceptions.InvalidCiphertextException:
    print('ok')
`;
  const { stdout } = await run(PYTHON, ['-c', script, server.url], { env: env(), timeout: 30_000 });
  assert.equal(stdout.trim(), 'ok');
});
