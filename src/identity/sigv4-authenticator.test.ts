import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { SigV4Authenticator } from './sigv4-authenticator.ts';
import { ACCOUNT, identityFixture, signedRequest, type IdentityFixture } from '../../test/helpers/identity-fixture.ts';
import { isKontextError } from '../errors.ts';

const ADMIN_ID = 'AKIAADMINEXAMPLE0001';
const ADMIN_SECRET = 'admin/secret/EXAMPLEKEY0000000000000000';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'sts:AssumeRole' }],
});

let fx: IdentityFixture;
let clock: number;
let logLines: string[];
let auth: SigV4Authenticator;

beforeEach(async () => {
  fx = identityFixture();
  clock = Date.now();
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  auth = new SigV4Authenticator({ resolver: fx.resolver, now: () => clock, log: pino({ level: 'info' }, sink) });
  await fx.identity.ensureAccount(ACCOUNT, clock);
  await fx.identity.putRootAccessKey(ACCOUNT, ADMIN_ID, ADMIN_SECRET, clock);
});

afterEach(async () => {
  await fx.close();
});

async function rejects(req: Parameters<SigV4Authenticator['authenticate']>[0], code: string): Promise<void> {
  await assert.rejects(auth.authenticate(req), (err: unknown) => {
    assert.ok(isKontextError(err), String(err));
    assert.equal(err.code, code, err.message);
    return true;
  });
}

async function userKey(name = 'alice') {
  await fx.identity.createUser(ACCOUNT, { userName: name, path: '/', tags: [] }, clock);
  const key = await fx.identity.createAccessKey(ACCOUNT, name, clock);
  return { accessKeyId: key.record.accessKeyId, secretAccessKey: key.secretAccessKey };
}

async function session(durationSeconds = 900) {
  const role = await fx.identity.createRole(
    ACCOUNT,
    { roleName: 'App', path: '/', trustPolicy: TRUST, description: undefined, maxSessionDuration: 3600, tags: [] },
    clock,
  );
  const s = await fx.identity.createSession({ role, sessionName: 'run-1', durationSeconds, sessionPolicy: undefined, sourceIdentity: undefined }, clock);
  return { accessKeyId: s.record.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiresAt: s.record.expiresAt };
}

test('authenticate() accepts the admin key as the account root with the scope region and service', async () => {
  const result = await auth.authenticate(await signedRequest({ accessKeyId: ADMIN_ID, secretAccessKey: ADMIN_SECRET, region: 'eu-west-1' }));
  assert.equal(result.caller.type, 'Root');
  assert.equal(result.caller.arn, `arn:aws:iam::${ACCOUNT}:root`);
  assert.equal(result.caller.accessKeyId, ADMIN_ID);
  assert.equal(result.region, 'eu-west-1');
  assert.equal(result.signingService, 'kms');
});

test('authenticate() accepts any region name as sent', async () => {
  for (const region of ['ap-southeast-7', 'us-gov-west-1', 'cn-northwest-1', 'mx-central-1']) {
    const result = await auth.authenticate(await signedRequest({ accessKeyId: ADMIN_ID, secretAccessKey: ADMIN_SECRET, region }));
    assert.equal(result.region, region);
  }
});

test('authenticate() names an IAM user by ARN and AIDA id', async () => {
  const creds = await userKey();
  const { caller } = await auth.authenticate(await signedRequest(creds));
  assert.equal(caller.type, 'IAMUser');
  assert.equal(caller.arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.match(caller.principalId, /^AIDA[A-Z2-7]{17}$/);
  assert.equal(caller.userName, 'alice');
});

test('authenticate() refuses an unknown access key with UnrecognizedClientException', async () => {
  await rejects(await signedRequest({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: ADMIN_SECRET }), 'UnrecognizedClientException');
});

test('authenticate() refuses a wrong secret with InvalidSignatureException', async () => {
  await rejects(await signedRequest({ accessKeyId: ADMIN_ID, secretAccessKey: 'wrong-secret-0000000000000000000000000000' }), 'InvalidSignatureException');
});

test('authenticate() refuses a tampered body with InvalidSignatureException', async () => {
  const req = await signedRequest({ accessKeyId: ADMIN_ID, secretAccessKey: ADMIN_SECRET, body: '{"Limit":1}' });
  await rejects({ ...req, body: Buffer.from('{"Limit":2}') }, 'InvalidSignatureException');
});

test('authenticate() refuses a request signed more than 5 minutes ago', async () => {
  const req = await signedRequest({ accessKeyId: ADMIN_ID, secretAccessKey: ADMIN_SECRET, signingDate: new Date(clock - 6 * 60_000) });
  await rejects(req, 'InvalidSignatureException');
});

test('authenticate() refuses a request without Authorization with MissingAuthenticationTokenException', async () => {
  await rejects({ method: 'POST', rawUrl: '/', headers: { host: 'localhost' }, body: Buffer.from('{}'), sourceIp: '127.0.0.1' }, 'MissingAuthenticationTokenException');
});

test('authenticate() stops accepting a deleted key at the next request', async () => {
  const creds = await userKey();
  await auth.authenticate(await signedRequest(creds));
  await fx.identity.deleteAccessKey(ACCOUNT, 'alice', creds.accessKeyId);
  await rejects(await signedRequest(creds), 'UnrecognizedClientException');
});

test('authenticate() stops accepting a deactivated key at the next request and accepts it again once reactivated', async () => {
  const creds = await userKey();
  await auth.authenticate(await signedRequest(creds));
  await fx.identity.updateAccessKey(ACCOUNT, 'alice', creds.accessKeyId, 'Inactive');
  await rejects(await signedRequest(creds), 'UnrecognizedClientException');
  await fx.identity.updateAccessKey(ACCOUNT, 'alice', creds.accessKeyId, 'Active');
  await auth.authenticate(await signedRequest(creds));
});

test('authenticate() names an assumed-role session with its issuer', async () => {
  const s = await session();
  const { caller } = await auth.authenticate(await signedRequest(s));
  assert.equal(caller.type, 'AssumedRole');
  assert.equal(caller.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/App/run-1`);
  assert.match(caller.principalId, /^AROA[A-Z2-7]{17}:run-1$/);
  assert.equal(caller.sessionIssuer?.arn, `arn:aws:iam::${ACCOUNT}:role/App`);
  assert.equal(caller.sessionIssuer?.userName, 'App');
});

test('authenticate() refuses session credentials without their token', async () => {
  const { sessionToken: _omitted, ...rest } = await session();
  await rejects(await signedRequest(rest), 'UnrecognizedClientException');
});

test('authenticate() refuses session credentials with another token', async () => {
  const s = await session();
  await rejects(await signedRequest({ ...s, sessionToken: s.sessionToken.slice(0, -4) + 'AAAA' }), 'UnrecognizedClientException');
});

test('authenticate() refuses expired session credentials with ExpiredTokenException', async () => {
  const s = await session(900);
  await auth.authenticate(await signedRequest(s));
  clock = s.expiresAt + 1000;
  await rejects(await signedRequest({ ...s, signingDate: new Date(clock) }), 'ExpiredTokenException');
});

test('authenticate() refuses a session token sent with a long-term key', async () => {
  await rejects(await signedRequest({ accessKeyId: ADMIN_ID, secretAccessKey: ADMIN_SECRET, sessionToken: 'KTX1something' }), 'UnrecognizedClientException');
});

test('authenticate() stops accepting the sessions of a deleted role', async () => {
  const s = await session();
  await auth.authenticate(await signedRequest(s));
  await fx.identity.deleteRole(ACCOUNT, 'App');
  await rejects(await signedRequest(s), 'UnrecognizedClientException');
});

test('authentication failures are counted and logged without secrets', async () => {
  const creds = await userKey();
  await rejects(await signedRequest({ ...creds, secretAccessKey: 'x'.repeat(40) }), 'InvalidSignatureException');
  await rejects(await signedRequest({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: ADMIN_SECRET }), 'UnrecognizedClientException');
  assert.deepEqual(auth.failures(), { InvalidSignatureException: 1, UnrecognizedClientException: 1 });
  const log = logLines.join('');
  assert.match(log, /authentication failed/);
  assert.match(log, new RegExp(creds.accessKeyId));
  for (const secret of [creds.secretAccessKey, ADMIN_SECRET, 'x'.repeat(40)]) assert.ok(!log.includes(secret), 'a secret reached the log');
});

test('the credential cache serves repeated requests without unwrapping again', async () => {
  const creds = await userKey();
  for (let i = 0; i < 5; i++) await auth.authenticate(await signedRequest(creds));
  assert.equal(fx.resolver.size, 1);
});
