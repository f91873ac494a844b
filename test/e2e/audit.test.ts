// End-to-end: the audit trail with the real @aws-sdk/client-kms, client-iam, client-sts and
// client-cloudtrail against a server process — what LookupEvents and Kontext.QueryAuditEvents
// answer after real calls (assumed role, denied, wrong context, unauthenticated), CloudTrail's
// errors for bad lookups, the offline CLI, and that no secret used in the suite reaches the trail.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand, type Event as LookupEvent } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { REPO_ROOT, startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';
import { clientsFor, expectAwsError, KMS_ALL_POLICY, roleTrusting, userWithKey, type Clients, type Credentials } from '../helpers/identity-clients.ts';
import { signRequest } from '../../src/cli/schema-client.ts';
import { openSqliteAuditReader } from '../../src/store/sqlite/audit-reader.ts';

const ACCOUNT = '123456789012';
const CONTEXT = { department: 'finance', customer_id: 'cust_98765' };

let server: ServerProcess;
let admin: Clients;
let trail: CloudTrailClient;
let keyArn: string;
/** Every plaintext, data key and secret credential used here: none may reach the trail or the log. */
const secrets: string[] = [TEST_SECRET_ACCESS_KEY];
const remember = (bytes: Uint8Array | string) => {
  const b = Buffer.from(bytes);
  secrets.push(b.toString('base64'), b.toString('hex'));
  if (typeof bytes === 'string') secrets.push(bytes);
};

const lookup = async (attrs?: { AttributeKey: 'EventName' | 'Username' | 'ResourceName' | 'AccessKeyId' | 'EventId'; AttributeValue: string }) => {
  const events: LookupEvent[] = [];
  let NextToken: string | undefined;
  do {
    const page = await trail.send(new LookupEventsCommand({ ...(attrs ? { LookupAttributes: [attrs] } : {}), MaxResults: 50, NextToken }));
    events.push(...(page.Events ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return events;
};

const byRequestId = (events: LookupEvent[], requestId: string | undefined) => {
  assert.ok(requestId, 'the SDK saw a request id');
  const found = events.find((e) => JSON.parse(e.CloudTrailEvent ?? '{}').requestID === requestId);
  assert.ok(found, `an event for request ${requestId}`);
  return { summary: found, record: JSON.parse(found.CloudTrailEvent ?? '{}') as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

async function kontext(operation: string, input: object, creds: Credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY }) {
  const url = new URL(server.url);
  const body = JSON.stringify(input);
  const headers = signRequest({ url, region: 'us-east-1', service: 'kontext', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kontext.${operation}` }, body, credentials: creds, now: new Date() });
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, KONTEXT_DATA_DIR: '' } });
}

before(async () => {
  server = await startServerProcess();
  admin = clientsFor(server);
  trail = new CloudTrailClient(server.clientConfig());
  const { KeyMetadata } = await admin.kms.send(new CreateKeyCommand({ Description: 'audit e2e' }));
  keyArn = KeyMetadata!.Arn!;
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('LookupEvents returns an assumed role\'s Encrypt and Decrypt with the context, the session ARN and the source IP', async () => {
  const bob = await userWithKey(admin.iam, 'bob');
  secrets.push(bob.secretAccessKey);
  const roleArn = await roleTrusting(admin.iam, 'Reader', `arn:aws:iam::${ACCOUNT}:user/bob`, { policy: KMS_ALL_POLICY });
  const assumed = await clientsFor(server, bob).sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit-session' }));
  const session = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
  secrets.push(session.secretAccessKey, session.sessionToken);
  const role = clientsFor(server, session).kms;

  const plaintext = 'audit-e2e: card 4111 1111 1111 1111 belongs to cust_98765';
  remember(plaintext);
  const enc = await role.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from(plaintext), EncryptionContext: CONTEXT }));
  const dec = await role.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob!, EncryptionContext: CONTEXT }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), plaintext);

  const events = await lookup({ AttributeKey: 'ResourceName', AttributeValue: keyArn });
  const sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/audit-session`;
  for (const [name, requestId] of [['Encrypt', enc.$metadata.requestId], ['Decrypt', dec.$metadata.requestId]] as const) {
    const { summary, record } = byRequestId(events, requestId);
    assert.equal(summary.EventName, name);
    assert.equal(summary.EventSource, 'kms.amazonaws.com');
    assert.equal(summary.Username, 'audit-session');
    assert.equal(summary.AccessKeyId, session.accessKeyId);
    assert.equal(summary.ReadOnly, 'true');
    assert.ok(summary.EventTime instanceof Date && Math.abs(summary.EventTime.getTime() - Date.now()) < 120_000);
    assert.deepEqual(summary.Resources, [{ ResourceType: 'AWS::KMS::Key', ResourceName: keyArn }]);
    assert.equal(record['eventVersion'], '1.08');
    assert.equal(record['eventName'], name);
    assert.equal(record['userIdentity'].type, 'AssumedRole');
    assert.equal(record['userIdentity'].arn, sessionArn);
    assert.equal(record['userIdentity'].accessKeyId, session.accessKeyId);
    assert.equal(record['userIdentity'].sessionContext.sessionIssuer.arn, roleArn);
    assert.equal(record['sourceIPAddress'], '127.0.0.1');
    assert.match(record['userAgent'], /aws-sdk-js/);
    assert.deepEqual(record['requestParameters'].encryptionContext, CONTEXT);
    assert.equal(record['requestParameters'].encryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(record['responseElements'], null);
    assert.equal(record['errorCode'], undefined);
    assert.equal(record['recipientAccountId'], ACCOUNT);
    assert.equal(record['eventType'], 'AwsApiCall');
    assert.equal(record['managementEvent'], true);
    assert.equal(record['eventCategory'], 'Management');
    assert.equal(record['eventID'], summary.EventId);
  }
  const roleEvents = await lookup({ AttributeKey: 'Username', AttributeValue: 'audit-session' });
  assert.deepEqual(roleEvents.map((e) => e.EventName), ['Decrypt', 'Encrypt'], 'newest first');
});

test('a wrong-context Decrypt is recorded as InvalidCiphertextException with the reason, while the caller gets no detail', async () => {
  const enc = await admin.kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('wrong-context probe'), EncryptionContext: CONTEXT }));
  remember('wrong-context probe');
  const wrong = { ...CONTEXT, customer_id: 'cust_00000' };
  const err = await expectAwsError(admin.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob!, EncryptionContext: wrong })), 'InvalidCiphertextException', 400);
  assert.ok(!/context/i.test(err.message), 'the caller is not told what was wrong');
  const requestId = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
  const { record } = byRequestId(await lookup({ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }), requestId);
  assert.equal(record['errorCode'], 'InvalidCiphertextException');
  assert.deepEqual(record['requestParameters'].encryptionContext, wrong);
  assert.match(record['kontextDetail'].reason, /context/);
  assert.deepEqual(record['resources'], [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: keyArn }]);
});

test('a Decrypt denied by policy is recorded with errorCode AccessDenied', async () => {
  const mallory = await userWithKey(admin.iam, 'mallory');
  secrets.push(mallory.secretAccessKey);
  const enc = await admin.kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('denied probe'), EncryptionContext: CONTEXT }));
  remember('denied probe');
  const err = await expectAwsError(clientsFor(server, mallory).kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob!, EncryptionContext: CONTEXT })), 'AccessDeniedException');
  const requestId = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
  const { summary, record } = byRequestId(await lookup({ AttributeKey: 'Username', AttributeValue: 'mallory' }), requestId);
  assert.equal(summary.EventName, 'Decrypt');
  assert.equal(record['errorCode'], 'AccessDenied');
  assert.match(record['errorMessage'], /not authorized to perform: kms:Decrypt/);
  assert.equal(record['userIdentity'].type, 'IAMUser');
  assert.equal(record['userIdentity'].userName, 'mallory');
  assert.deepEqual(record['requestParameters'].encryptionContext, CONTEXT);
});

test('a request with an unknown access key is recorded as an Unknown identity', async () => {
  const stranger = new KMSClient({ ...server.clientConfig(), credentials: { accessKeyId: 'AKIANOSUCHKEY0000042', secretAccessKey: 'nope-nope-nope' } });
  await expectAwsError(stranger.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })), 'UnrecognizedClientException');
  const events = await lookup({ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIANOSUCHKEY0000042' });
  assert.equal(events.length, 1);
  const record = JSON.parse(events[0]!.CloudTrailEvent!);
  assert.deepEqual(record.userIdentity, { type: 'Unknown', accessKeyId: 'AKIANOSUCHKEY0000042' });
  assert.equal(record.eventName, 'Encrypt');
  assert.equal(record.errorCode, 'UnrecognizedClientException');
  assert.equal(record.requestParameters, null, 'an unauthenticated body is not logged');
});

test('Kontext.QueryAuditEvents finds every Decrypt of a context value, by principal and error code', async () => {
  const all = await kontext('QueryAuditEvents', { EncryptionContext: { customer_id: 'cust_98765' }, EventName: 'Decrypt' });
  assert.equal(all.status, 200, JSON.stringify(all.json));
  const events = all.json['Events'] as Array<{ Sequence: number; Event: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.ok(events.length >= 2);
  for (const e of events) {
    assert.equal(e.Event['eventName'], 'Decrypt');
    assert.equal(e.Event['requestParameters'].encryptionContext.customer_id, 'cust_98765');
  }
  assert.deepEqual([...events].sort((a, b) => b.Sequence - a.Sequence), events, 'newest first');
  const byRole = await kontext('QueryAuditEvents', { EncryptionContext: { customer_id: 'cust_98765' }, PrincipalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/audit-session` });
  assert.deepEqual((byRole.json['Events'] as Array<{ Event: { eventName: string } }>).map((e) => e.Event.eventName), ['Decrypt', 'Encrypt']);
  const denied = await kontext('QueryAuditEvents', { ErrorCode: 'AccessDeniedException', KeyArn: keyArn });
  assert.deepEqual((denied.json['Events'] as Array<{ Event: { userIdentity: { userName: string } } }>).map((e) => e.Event.userIdentity.userName), ['mallory']);
  const page = await kontext('QueryAuditEvents', { EncryptionContextKeys: ['customer_id'], MaxResults: 1 });
  assert.equal((page.json['Events'] as unknown[]).length, 1);
  assert.equal(typeof page.json['NextToken'], 'string');
  const bad = await kontext('QueryAuditEvents', { StartTime: 2_000_000_000, EndTime: 1_000_000_000 });
  assert.equal(bad.json['__type'], 'InvalidTimeRangeException');
});

test('LookupEvents answers bad lookups with CloudTrail\'s errors and pages with NextToken', async () => {
  await expectAwsError(
    trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }, { AttributeKey: 'Username', AttributeValue: 'bob' }] })),
    'InvalidLookupAttributesException',
  );
  await expectAwsError(trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Nope' as 'EventName', AttributeValue: 'x' }] })), 'InvalidLookupAttributesException');
  await expectAwsError(trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'maybe' }] })), 'InvalidLookupAttributesException');
  await expectAwsError(trail.send(new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - 3_600_000) })), 'InvalidTimeRangeException');
  await expectAwsError(trail.send(new LookupEventsCommand({ MaxResults: 51 })), 'InvalidMaxResultsException');
  await expectAwsError(trail.send(new LookupEventsCommand({ NextToken: 'garbage' })), 'InvalidNextTokenException');

  const first = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }], MaxResults: 2 }));
  assert.equal(first.Events?.length, 2);
  assert.ok(first.NextToken);
  const second = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }], MaxResults: 2, NextToken: first.NextToken }));
  assert.ok(second.Events!.every((e) => !first.Events!.some((f) => f.EventId === e.EventId)));
  await expectAwsError(trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }], NextToken: first.NextToken })), 'InvalidNextTokenException');

  const window = await trail.send(new LookupEventsCommand({ StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000) }));
  assert.ok((window.Events?.length ?? 0) > 0);
  const future = await trail.send(new LookupEventsCommand({ StartTime: new Date(Date.now() + 3_600_000) }));
  assert.deepEqual(future.Events, []);
});

test('GenerateDataKey is recorded without the data key', async () => {
  const dk = await admin.kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: CONTEXT }));
  remember(dk.Plaintext!);
  const { record } = byRequestId(await lookup({ AttributeKey: 'EventName', AttributeValue: 'GenerateDataKey' }), dk.$metadata.requestId);
  assert.deepEqual(record['requestParameters'], { keyId: keyArn, encryptionContext: CONTEXT, keySpec: 'AES_256' });
  assert.equal(record['responseElements'], null);
});

test('kontext audit verify passes on the live data directory and on an export of it', async () => {
  const verified = cli('audit', 'verify', '--data-dir', server.dataDir);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /Audit trail verified: \d+ events/);
  const out = mkdtempSync(join(tmpdir(), 'kontext-audit-export-'));
  try {
    const key = await kontext('GetAuditPublicKey', {});
    assert.equal(key.json['SignatureAlgorithm'], 'SHA256withRSA');
    const exported = cli('audit', 'export', '--data-dir', server.dataDir, '--out', out);
    assert.equal(exported.status, 0, exported.stderr);
    const offline = cli('audit', 'verify', '--export', out, '--public-key', join(out, 'kontext-audit-public-key.pem'), '--json');
    assert.equal(offline.status, 0, offline.stdout + offline.stderr);
    const report = JSON.parse(offline.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.publicKeyFingerprint, key.json['Fingerprint']);
    const api = await kontext('VerifyAuditTrail', {});
    assert.equal(api.json['Valid'], true, JSON.stringify(api.json));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const queried = cli('audit', 'query', '--data-dir', server.dataDir, '--encryption-context', 'customer_id=cust_98765', '--event-name', 'Decrypt');
  assert.equal(queried.status, 0, queried.stderr);
  const lines = queried.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.ok(lines.length >= 1, 'the CLI printed events');
  assert.ok(lines.every((e) => e.eventName === 'Decrypt' && e.requestParameters.encryptionContext.customer_id === 'cust_98765'));
});

test('no plaintext, data key or secret credential used in this suite reaches the audit trail or the server output', async () => {
  const reader = openSqliteAuditReader(join(server.dataDir, 'kontext.db'));
  let bodies = '';
  try {
    for (let from = 0; ; ) {
      const rows = await reader.audit.events(from, 1000);
      if (rows.length === 0) break;
      bodies += rows.map((r) => r.body).join('\n');
      from = rows[rows.length - 1]!.seq + 1;
    }
  } finally {
    reader.close();
  }
  assert.ok(bodies.length > 1000, 'the trail has events');
  const output = server.output.join('\n');
  for (const secret of secrets) {
    assert.ok(!bodies.includes(secret), `the audit trail contains a secret (${secret.length} chars)`);
    assert.ok(!output.includes(secret), `the server output contains a secret (${secret.length} chars)`);
  }
});

test('LookupEvents is regional, as CloudTrail event history is: each region sees the calls made in it', async () => {
  const west = clientsFor(server, undefined, 'eu-west-1');
  const westTrail = new CloudTrailClient(server.clientConfig('eu-west-1'));
  const { KeyMetadata } = await west.kms.send(new CreateKeyCommand({ Description: 'audit e2e, eu-west-1' }));
  const westEncrypt = await west.kms.send(new EncryptCommand({ KeyId: KeyMetadata!.Arn!, Plaintext: Buffer.from('regional'), EncryptionContext: { region: 'west' } }));
  const eastEncrypt = await admin.kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('regional east'), EncryptionContext: { region: 'east' } }));
  const idsIn = async (client: CloudTrailClient) => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }], MaxResults: 50, NextToken }));
      for (const e of page.Events ?? []) {
        const record = JSON.parse(e.CloudTrailEvent ?? '{}') as { requestID: string; awsRegion: string };
        ids.push(`${record.awsRegion}/${record.requestID}`);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return ids;
  };
  const westIds = await idsIn(westTrail);
  const eastIds = await idsIn(trail);
  assert.ok(westIds.includes(`eu-west-1/${westEncrypt.$metadata.requestId}`), 'the west Encrypt in the west history');
  assert.ok(eastIds.includes(`us-east-1/${eastEncrypt.$metadata.requestId}`), 'the east Encrypt in the east history');
  assert.ok(westIds.every((id) => id.startsWith('eu-west-1/')), 'nothing from another region in the west history');
  assert.ok(eastIds.every((id) => id.startsWith('us-east-1/')), 'nothing from another region in the east history');
});

test('an IAM user reads the event history only with cloudtrail:LookupEvents in an identity policy', async () => {
  const auditorKey = await userWithKey(admin.iam, 'auditor');
  const auditor = new CloudTrailClient({ ...server.clientConfig(), credentials: auditorKey });
  const denied = await expectAwsError(auditor.send(new LookupEventsCommand({ MaxResults: 5 })), 'AccessDeniedException');
  assert.match(denied.message, /arn:aws:iam::123456789012:user\/auditor is not authorized to perform: cloudtrail:LookupEvents/);
  const kmsOnly = await userWithKey(admin.iam, 'kms-only', { policy: KMS_ALL_POLICY });
  await expectAwsError(new CloudTrailClient({ ...server.clientConfig(), credentials: kmsOnly }).send(new LookupEventsCommand({ MaxResults: 5 })), 'AccessDeniedException');

  await admin.iam.send(new PutUserPolicyCommand({
    UserName: 'auditor',
    PolicyName: 'read-trail',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }] }),
  }));
  const page = await auditor.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'auditor' }], MaxResults: 50 }));
  const names = (page.Events ?? []).map((e) => e.EventName);
  assert.ok(names.includes('LookupEvents'), 'its own refused and allowed lookups are in the history it reads');
  const refused = (page.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as { errorCode?: string }).filter((r) => r.errorCode === 'AccessDenied');
  assert.ok(refused.length >= 1, 'the refused lookup was recorded as AccessDenied');
});
