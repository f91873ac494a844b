// End-to-end: malformed requests get the AWS error a real KMS gives — never a crash, a 500 or
// partial state. Sent as raw HTTP so that nothing in an SDK can tidy them up first.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../helpers/node-sha256.ts';
import { KMSClient, CreateKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
let keyId: string;

const signer = new SignatureV4({
  service: 'kms',
  region: 'us-east-1',
  credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
  sha256: NodeSha256,
});

async function send(target: string | undefined, body: string | Buffer, extraHeaders: Record<string, string> = {}): Promise<{ status: number; json: { __type?: string; message?: string }; headers: Headers }> {
  const url = new URL(server.url);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    ...(target ? { 'x-amz-target': target } : {}),
    ...extraHeaders,
  };
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body });
  const res = await fetch(server.url + '/', { method: 'POST', headers: signed.headers as Record<string, string>, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const textBody = await res.text();
  return { status: res.status, json: textBody ? (JSON.parse(textBody) as { __type?: string; message?: string }) : {}, headers: res.headers };
}

before(async () => {
  server = await startServerProcess();
  const kms = new KMSClient(server.clientConfig());
  keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  kms.destroy();
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('malformed JSON is a SerializationException with status 400', async () => {
  const r = await send('TrentService.Encrypt', '{"KeyId": ');
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, 'SerializationException');
  assert.equal(r.headers.get('x-amzn-errortype'), 'SerializationException');
  assert.ok(r.headers.get('x-amzn-requestid'));
});

test('a JSON array body is a SerializationException', async () => {
  const r = await send('TrentService.DescribeKey', '[1,2]');
  assert.equal(r.json.__type, 'SerializationException');
});

test('an unknown operation is UnknownOperationException', async () => {
  const r = await send('TrentService.FlyToTheMoon', '{}');
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, 'UnknownOperationException');
});

test('an unknown target prefix is UnknownOperationException', async () => {
  const r = await send('NotAService.Encrypt', '{}');
  assert.equal(r.json.__type, 'UnknownOperationException');
});

test('a POST without X-Amz-Target or form body is UnknownOperationException', async () => {
  const r = await send(undefined, '{}');
  assert.equal(r.json.__type, 'UnknownOperationException');
});

test('a string where an integer belongs is a SerializationException', async () => {
  const r = await send('TrentService.GenerateRandom', '{"NumberOfBytes":"12"}');
  assert.equal(r.json.__type, 'SerializationException');
});

test('a number where a string belongs is a SerializationException', async () => {
  const r = await send('TrentService.DescribeKey', '{"KeyId":12}');
  assert.equal(r.json.__type, 'SerializationException');
});

test('a non-string encryption context value is a SerializationException', async () => {
  const r = await send('TrentService.Encrypt', JSON.stringify({ KeyId: keyId, Plaintext: 'cA==', EncryptionContext: { n: 1 } }));
  assert.equal(r.json.__type, 'SerializationException');
});

test('invalid base64 in a blob is a SerializationException', async () => {
  const r = await send('TrentService.Encrypt', JSON.stringify({ KeyId: keyId, Plaintext: '!!!not-base64' }));
  assert.equal(r.json.__type, 'SerializationException');
});

test('missing required members are one ValidationException listing each', async () => {
  const r = await send('TrentService.Encrypt', '{}');
  assert.equal(r.json.__type, 'ValidationException');
  assert.match(r.json.message!, /^2 validation errors detected: /);
  assert.match(r.json.message!, /Value null at 'keyId' failed to satisfy constraint: Member must not be null/);
  assert.match(r.json.message!, /Value null at 'plaintext'/);
});

test('an enum value outside the set is a ValidationException quoting the set', async () => {
  const r = await send('TrentService.GenerateDataKey', JSON.stringify({ KeyId: keyId, KeySpec: 'AES_512' }));
  assert.equal(r.json.__type, 'ValidationException');
  assert.match(r.json.message!, /Member must satisfy enum value set: \[AES_256, AES_128\]/);
});

test('more than 10 grant tokens is a ValidationException', async () => {
  const r = await send('TrentService.Encrypt', JSON.stringify({ KeyId: keyId, Plaintext: 'cA==', GrantTokens: Array(11).fill('t') }));
  assert.equal(r.json.__type, 'ValidationException');
  assert.match(r.json.message!, /grantTokens/);
});

test('an oversize body is refused with a 413 RequestEntityTooLargeException and the server keeps serving', async () => {
  const r = await send('TrentService.Encrypt', JSON.stringify({ KeyId: keyId, Plaintext: Buffer.alloc(2 * 1024 * 1024).toString('base64') }));
  assert.equal(r.status, 413);
  assert.equal(r.json.__type, 'RequestEntityTooLargeException');
  const ok = await send('TrentService.DescribeKey', JSON.stringify({ KeyId: keyId }));
  assert.equal(ok.status, 200);
});

test('an oversize ciphertext blob is a ValidationException', async () => {
  const r = await send('TrentService.Decrypt', JSON.stringify({ CiphertextBlob: Buffer.alloc(6145, 1).toString('base64') }));
  assert.equal(r.json.__type, 'ValidationException');
  assert.match(r.json.message!, /ciphertextBlob/);
});

test('a ciphertext naming a key that does not exist is AccessDeniedException, as AWS answers', async () => {
  const blob = Buffer.alloc(100, 1);
  const r = await send('TrentService.Decrypt', JSON.stringify({ CiphertextBlob: blob.toString('base64') }));
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, 'AccessDeniedException');
  assert.match(r.json.message!, /The ciphertext refers to a customer master key that does not exist/);
});

test('a garbage ciphertext never answers 500', async () => {
  for (const size of [1, 16, 64, 65, 81, 82, 200]) {
    const r = await send('TrentService.Decrypt', JSON.stringify({ CiphertextBlob: Buffer.alloc(size, 7).toString('base64') }));
    assert.equal(r.status, 400, `size ${size}`);
    assert.equal(r.json.__type, 'InvalidCiphertextException', `size ${size}`);
  }
});

test('GET /healthz answers ok', async () => {
  const res = await fetch(server.url + '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

test('failed requests leave no partial state: a CreateKey with invalid tags creates no key', async () => {
  const kms = new KMSClient(server.clientConfig());
  try {
    const before = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;
    const r = await send('TrentService.CreateKey', JSON.stringify({ Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] }));
    assert.equal(r.json.__type, 'TagException');
    const afterCount = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;
    assert.equal(afterCount, before);
  } finally {
    kms.destroy();
  }
});

test('the server survives all of the above and still lists its keys', async () => {
  const r = await send('TrentService.ListKeys', '{}');
  assert.equal(r.status, 200);
  assert.equal(server.child.exitCode, null);
});

test('a KMS request signed for another service is InvalidSignatureException', async () => {
  const iamSigner = new SignatureV4({
    service: 'iam',
    region: 'us-east-1',
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    sha256: NodeSha256,
  });
  const url = new URL(server.url);
  const body = JSON.stringify({ KeyId: keyId });
  const headers = { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.DescribeKey' };
  const signed = await iamSigner.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body });
  const res = await fetch(server.url + '/', { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const json = (await res.json()) as { __type: string; message: string };
  assert.equal(res.status, 400);
  assert.equal(json.__type, 'InvalidSignatureException');
  assert.match(json.message, /Credential should be scoped to correct service: 'kms'/);
});
