// End-to-end: every credential that is unknown, wrong, tampered, skewed, missing, deleted, inactive
// or a bad session token gets the AWS error (JSON names for KMS, Query names for IAM/STS) and none
// is accepted. Finally: no log line holds a secret used in this file.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { DeleteAccessKeyCommand, GetUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';
import { clientsFor, expectAwsError, KMS_ALL_POLICY, roleTrusting, userWithKey, type Clients, type Credentials } from '../helpers/identity-clients.ts';
import { Sha256 } from '../helpers/identity-fixture.ts';

const ACCOUNT = '123456789012';
let server: ServerProcess;
let admin: Clients;
/** Every secret this file handles, checked against the server log at the end. */
const secrets = new Set<string>([TEST_SECRET_ACCESS_KEY]);

before(async () => {
  server = await startServerProcess();
  admin = clientsFor(server);
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

async function user(name: string): Promise<Credentials> {
  const creds = await userWithKey(admin.iam, name, { policy: KMS_ALL_POLICY });
  secrets.add(creds.secretAccessKey);
  return creds;
}

async function session(name: string): Promise<Credentials & { sessionToken: string }> {
  const creds = await user(name);
  const roleArn = await roleTrusting(admin.iam, `${name}-role`, `arn:aws:iam::${ACCOUNT}:user/${name}`);
  const { Credentials: c } = await clientsFor(server, creds).sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1' }));
  secrets.add(c!.SecretAccessKey!);
  secrets.add(c!.SessionToken!);
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

interface RawResponse {
  readonly status: number;
  readonly text: string;
}

/** Signs a request with smithy's signer, then lets the test alter it before sending. */
async function raw(opts: {
  service: 'kms' | 'iam' | 'sts';
  body: string;
  credentials?: Credentials;
  sendBody?: string;
  sign?: boolean;
}): Promise<RawResponse> {
  const url = new URL(server.url);
  const headers: Record<string, string> =
    opts.service === 'kms'
      ? { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' }
      : { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  let sent = headers;
  if (opts.sign !== false) {
    const signer = new SignatureV4({
      service: opts.service,
      region: 'us-east-1',
      credentials: opts.credentials ?? { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
      sha256: Sha256,
    });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body: opts.body });
    sent = signed.headers as Record<string, string>;
  }
  const res = await fetch(server.url + '/', { method: 'POST', headers: sent, body: opts.sendBody ?? opts.body });
  return { status: res.status, text: await res.text() };
}

const queryCode = (text: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(text)?.[1];

test('an unknown access key is UnrecognizedClientException for KMS and InvalidClientTokenId for IAM and STS', async () => {
  const unknown = clientsFor(server, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) });
  const kmsErr = await expectAwsError(unknown.kms.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
  assert.equal(kmsErr.message, 'The security token included in the request is invalid');
  await expectAwsError(unknown.iam.send(new GetUserCommand({})), 'InvalidClientTokenId', 403);
  await expectAwsError(unknown.sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
});

test('a wrong secret is InvalidSignatureException for KMS and SignatureDoesNotMatch for IAM and STS', async () => {
  const wrong = clientsFor(server, { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: 'not-the-admin-secret-000000000000000000' });
  const kmsErr = await expectAwsError(wrong.kms.send(new ListKeysCommand({})), 'InvalidSignatureException', 400);
  assert.match(kmsErr.message, /^The request signature we calculated does not match the signature you provided/);
  await expectAwsError(wrong.iam.send(new GetUserCommand({})), 'SignatureDoesNotMatch', 403);
  await expectAwsError(wrong.sts.send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch', 403);
});

test('a body changed after signing is refused (KMS InvalidSignatureException, IAM SignatureDoesNotMatch)', async () => {
  const kms = await raw({ service: 'kms', body: '{"Limit":1}', sendBody: '{"Limit":2}' });
  assert.equal(kms.status, 400);
  assert.equal(JSON.parse(kms.text).__type, 'InvalidSignatureException');
  const iam = await raw({ service: 'iam', body: 'Action=GetUser&Version=2010-05-08&UserName=aaa', sendBody: 'Action=GetUser&Version=2010-05-08&UserName=bbb' });
  assert.equal(iam.status, 403);
  assert.equal(queryCode(iam.text), 'SignatureDoesNotMatch');
  assert.match(iam.text, /<Type>Sender<\/Type>/);
});

test('a request signed more than 5 minutes ago is refused with "Signature expired"', async () => {
  const late = clientsFor(server, undefined, 'us-east-1', { systemClockOffset: -6 * 60_000 });
  const err = await expectAwsError(late.kms.send(new ListKeysCommand({})), 'InvalidSignatureException', 400);
  assert.match(err.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  const early = clientsFor(server, undefined, 'us-east-1', { systemClockOffset: 6 * 60_000 });
  const future = await expectAwsError(early.kms.send(new ListKeysCommand({})), 'InvalidSignatureException', 400);
  assert.match(future.message, /^Signature not yet current/);
});

test('a request without authentication is MissingAuthenticationTokenException (KMS) and MissingAuthenticationToken (IAM)', async () => {
  const kms = await raw({ service: 'kms', body: '{}', sign: false });
  assert.equal(kms.status, 403);
  assert.equal(JSON.parse(kms.text).__type, 'MissingAuthenticationTokenException');
  const sts = await raw({ service: 'sts', body: 'Action=GetCallerIdentity&Version=2011-06-15', sign: false });
  assert.equal(sts.status, 403);
  assert.equal(queryCode(sts.text), 'MissingAuthenticationToken');
  assert.match(sts.text, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
});

test('a deleted access key stops working at the next request', async () => {
  const creds = await user('deleted-key-user');
  const c = clientsFor(server, creds);
  await c.kms.send(new ListKeysCommand({}));
  await admin.iam.send(new DeleteAccessKeyCommand({ UserName: 'deleted-key-user', AccessKeyId: creds.accessKeyId }));
  await expectAwsError(c.kms.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
  await expectAwsError(c.sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
});

test('an inactive access key is refused until it is activated again', async () => {
  const creds = await user('inactive-key-user');
  const c = clientsFor(server, creds);
  await c.kms.send(new ListKeysCommand({}));
  await admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'inactive-key-user', AccessKeyId: creds.accessKeyId, Status: 'Inactive' }));
  await expectAwsError(c.kms.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
  await admin.iam.send(new UpdateAccessKeyCommand({ UserName: 'inactive-key-user', AccessKeyId: creds.accessKeyId, Status: 'Active' }));
  await c.kms.send(new ListKeysCommand({}));
});

test('session credentials with a wrong session token are refused', async () => {
  const s = await session('wrong-token-user');
  const forged = clientsFor(server, { ...s, sessionToken: s.sessionToken.slice(0, -8) + 'AAAAAAAA' });
  await expectAwsError(forged.kms.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
  await expectAwsError(forged.sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403);
});

test('session credentials without their session token are refused', async () => {
  const s = await session('no-token-user');
  const bare = clientsFor(server, { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey });
  await expectAwsError(bare.kms.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
});

test('a presigned GET GetCallerIdentity URL authenticates (query-string SigV4)', async () => {
  const url = new URL(server.url);
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY }, sha256: Sha256 });
  const presigned = await signer.presign(
    { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: url.host } },
    { expiresIn: 60 },
  );
  const qs = new URLSearchParams(presigned.query as Record<string, string>).toString();
  const res = await fetch(`${server.url}/?${qs}`);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  assert.match(text, new RegExp(`<Arn>arn:aws:iam::${ACCOUNT}:root</Arn>`));
});

test('Query requests with a missing or unknown Action, or a malformed list, get the AWS errors', async () => {
  const missing = await raw({ service: 'iam', body: 'Version=2010-05-08' });
  assert.equal(queryCode(missing.text), 'MissingAction');
  const unknown = await raw({ service: 'iam', body: 'Action=CreateBucket&Version=2010-05-08' });
  assert.equal(queryCode(unknown.text), 'InvalidAction');
  assert.match(unknown.text, /Could not find operation CreateBucket/);
  const badList = await raw({ service: 'iam', body: 'Action=CreateUser&Version=2010-05-08&UserName=z&Tags.member.0.Key=a' });
  assert.equal(queryCode(badList.text), 'MalformedQueryString');
  const badNumber = await raw({ service: 'iam', body: 'Action=ListUsers&Version=2010-05-08&MaxItems=many' });
  assert.equal(queryCode(badNumber.text), 'ValidationError');
  assert.equal(badNumber.status, 400);
  const wrongService = await raw({ service: 'kms', body: 'Action=GetUser&Version=2010-05-08' });
  assert.ok([400, 403].includes(wrongService.status));
  // The server is still answering.
  await admin.iam.send(new GetUserCommand({}));
});

test('an oversize Query body is refused with an XML error and the server keeps serving', async () => {
  const big = 'Action=CreateUser&Version=2010-05-08&UserName=big&Description=' + 'x'.repeat(1024 * 1024 + 10);
  const res = await fetch(server.url + '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big });
  const text = await res.text();
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  assert.match(text, /<ErrorResponse/);
  await admin.sts.send(new GetCallerIdentityCommand({}));
});

test('no server log line contains a secret access key or session token', async () => {
  assert.ok(secrets.size >= 9, 'the tests above registered their secrets');
  const log = server.output.join('\n');
  assert.match(log, /authentication failed/, 'failures are logged');
  for (const secret of secrets) assert.ok(!log.includes(secret), 'a secret reached the server log');
});
