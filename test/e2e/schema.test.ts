// End-to-end: context schemas and secret detection against a real server process — Kontext.*
// schema operations as signed awsJson1.1 requests, Encrypt and friends with the real
// @aws-sdk/client-kms, and the audit trail read back from the server's database.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  KMSClient,
  CreateKeyCommand,
  CreateAliasCommand,
  EncryptCommand,
  DecryptCommand,
  ReEncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { NodeSha256 } from '../helpers/node-sha256.ts';
import { BAD_POLICY, CLEAN_POLICY } from '../../src/schema/lint/lint-fixtures.ts';
import { LINT_RULES } from '../../src/schema/lint/lint-finding.ts';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess;
let kms: KMSClient;

const CARD = '4111 1111 1111 1111';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const plaintext = new TextEncoder().encode('sensitive-data-here');

const signer = new SignatureV4({
  service: 'kontext',
  region: 'us-east-1',
  credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
  sha256: NodeSha256,
});

interface KontextReply {
  status: number;
  json: Record<string, unknown> & { __type?: string; message?: string };
}

async function kontext(operation: string, body: object): Promise<KontextReply> {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  const headers = { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kontext.${operation}` };
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body: text });
  const res = await fetch(server.url + '/', { method: 'POST', headers: signed.headers as Record<string, string>, body: text });
  const reply = await res.text();
  return { status: res.status, json: reply ? (JSON.parse(reply) as KontextReply['json']) : {} };
}

async function putSchema(doc: object): Promise<number> {
  const r = await kontext('PutContextSchema', doc);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json['Version'] as number;
}

async function rejects(p: Promise<unknown>, name: string, message?: RegExp): Promise<Error> {
  let caught: Error | undefined;
  await assert.rejects(p, (err: Error) => {
    caught = err;
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (message) assert.match(err.message, message);
    return true;
  });
  return caught!;
}

async function newKey(alias?: string): Promise<string> {
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  if (alias) await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  return keyId;
}

/** Audit events (CloudTrail JSON) as stored by the server. */
function auditEvents(): Array<Record<string, any>> {
  const db = new Database(join(server.dataDir, 'kontext.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT body FROM audit_events ORDER BY seq').pluck().all() as string[]).map((b) => JSON.parse(b) as Record<string, any>);
  } finally {
    db.close();
  }
}

const eventFor = (requestId: string | undefined) => auditEvents().find((e) => e['requestID'] === requestId);

const requestIdOf = (err: unknown): string | undefined => (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;

before(async () => {
  server = await startServerProcess();
  kms = new KMSClient(server.clientConfig());
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  server?.cleanup();
});

const paymentsSchema = (mode: string, over: object = {}) => ({
  SchemaName: 'payments',
  Mode: mode,
  AppliesTo: { AliasPatterns: ['alias/payments-*'] },
  Fields: [
    { Name: 'customer_id', Required: true, Pattern: '^cust_[0-9]+$' },
    { Name: 'department', Enum: ['finance', 'hr'] },
  ],
  AllowOtherKeys: false,
  ...over,
});

describe('schema operations', () => {
  test('PutContextSchema stores versions that GetContextSchema and ListContextSchemas return', async () => {
    const doc = { ...paymentsSchema('warn'), SchemaName: 'ops-test', AppliesTo: { Tags: [{ TagKey: 'never', TagValue: 'used' }] } };
    assert.equal(await putSchema(doc), 1);
    assert.equal(await putSchema({ ...doc, Mode: 'enforce' }), 2);
    const got = await kontext('GetContextSchema', { SchemaName: 'ops-test' });
    assert.equal((got.json['Schema'] as Record<string, unknown>)['Version'], 2);
    assert.equal((got.json['Schema'] as Record<string, unknown>)['Mode'], 'enforce');
    const v1 = await kontext('GetContextSchema', { SchemaName: 'ops-test', Version: 1 });
    assert.equal((v1.json['Schema'] as Record<string, unknown>)['Mode'], 'warn');
    const list = await kontext('ListContextSchemas', {});
    assert.ok((list.json['Schemas'] as Array<{ SchemaName: string }>).some((s) => s.SchemaName === 'ops-test'));
    const history = await kontext('ListContextSchemas', { SchemaName: 'ops-test' });
    assert.deepEqual((history.json['Schemas'] as Array<{ Version: number }>).map((s) => s.Version), [1, 2]);
  });

  test('DeleteContextSchema hides the schema but keeps its versions readable', async () => {
    await putSchema({ ...paymentsSchema('enforce'), SchemaName: 'short-lived', AppliesTo: { Tags: [{ TagKey: 'never' }] } });
    const del = await kontext('DeleteContextSchema', { SchemaName: 'short-lived' });
    assert.equal(del.json['Version'], 2);
    assert.equal((await kontext('GetContextSchema', { SchemaName: 'short-lived' })).json.__type, 'NotFoundException');
    assert.equal((await kontext('GetContextSchema', { SchemaName: 'short-lived', Version: 1 })).status, 200);
    assert.equal((await kontext('DeleteContextSchema', { SchemaName: 'short-lived' })).json.__type, 'NotFoundException');
  });

  test('an invalid schema is a ValidationException naming each problem', async () => {
    const backref = await kontext('PutContextSchema', { ...paymentsSchema('enforce'), SchemaName: 'bad', Fields: [{ Name: 'a', Pattern: '(a)\\1' }] });
    assert.equal(backref.json.__type, 'ValidationException');
    assert.match(backref.json.message!, /fields\.1\.pattern.*backreferences are not supported/);
    const lookahead = await kontext('PutContextSchema', { ...paymentsSchema('enforce'), SchemaName: 'bad', Fields: [{ Name: 'a', Pattern: '^(?!x).*' }] });
    assert.match(lookahead.json.message!, /lookahead/);
    const mode = await kontext('PutContextSchema', { ...paymentsSchema('strict'), SchemaName: 'bad' });
    assert.equal(mode.json.__type, 'ValidationException');
    assert.match(mode.json.message!, /mode/);
    const target = await kontext('PutContextSchema', { ...paymentsSchema('enforce'), SchemaName: 'bad', AppliesTo: {} });
    assert.match(target.json.message!, /at least one key id, alias pattern or tag/);
    const type = await kontext('PutContextSchema', { ...paymentsSchema('enforce'), SchemaName: 'bad', Fields: 'nope' });
    assert.equal(type.json.__type, 'SerializationException');
    assert.equal((await kontext('GetContextSchema', { SchemaName: 'bad' })).json.__type, 'NotFoundException');
  });
});

describe('enforce mode', () => {
  let keyId: string;
  before(async () => {
    keyId = await newKey('alias/payments-eu');
    await putSchema(paymentsSchema('enforce'));
  });

  test('Encrypt by key id rejects a missing required field with a ValidationException naming it', async () => {
    const err = await rejects(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { department: 'finance' } })),
      'ValidationException',
      /Value null at 'encryptionContext\.customer_id' failed to satisfy constraint: Member is required by context schema 'payments'/,
    );
    const event = eventFor(requestIdOf(err));
    assert.equal(event?.['kontextDetail']?.['guardrails']?.['result'], 'reject');
    assert.deepEqual(event?.['kontextDetail']?.['guardrails']?.['schema'], { name: 'payments', version: 1, mode: 'enforce', matchedBy: 'alias' });
  });

  test('Encrypt rejects a value that breaks the pattern, without echoing it', async () => {
    const err = await rejects(kms.send(new EncryptCommand({ KeyId: 'alias/payments-eu', Plaintext: plaintext, EncryptionContext: { customer_id: 'client-777' } })), 'ValidationException', /encryptionContext\.customer_id.*pattern/);
    assert.ok(!err.message.includes('client-777'));
  });

  test('Encrypt rejects an extra key when other keys are not allowed', async () => {
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { customer_id: 'cust_1', purpose: 'x' } })), 'ValidationException', /encryptionContext\.purpose.*not allowed/);
  });

  test('GenerateDataKey, GenerateDataKeyWithoutPlaintext and ReEncrypt to the key are checked too', async () => {
    await rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: {} })), 'ValidationException', /customer_id/);
    await rejects(kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256' })), 'ValidationException', /customer_id/);
    const other = await newKey();
    const blob = (await kms.send(new EncryptCommand({ KeyId: other, Plaintext: plaintext, EncryptionContext: { any: 'thing' } }))).CiphertextBlob;
    await rejects(
      kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { any: 'thing' }, DestinationKeyId: keyId, DestinationEncryptionContext: { any: 'thing' } })),
      'ValidationException',
      /destinationEncryptionContext\.customer_id/,
    );
    const ok = await kms.send(
      new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { any: 'thing' }, DestinationKeyId: keyId, DestinationEncryptionContext: { customer_id: 'cust_1' } }),
    );
    assert.ok(ok.CiphertextBlob);
  });

  test('a context that meets the schema encrypts and decrypts', async () => {
    const ctx = { customer_id: 'cust_98765', department: 'finance' };
    const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: ctx }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx }));
    assert.deepEqual(dec.Plaintext, plaintext);
    const event = eventFor(out.$metadata.requestId);
    assert.equal(event?.['kontextDetail']?.['guardrails']?.['result'], 'pass');
    assert.equal(event?.['kontextDetail']?.['guardrails']?.['schema']?.['version'], 1);
  });
});

describe('schema changes', () => {
  test('Decrypt of data encrypted before a stricter schema still works', async () => {
    const keyId = await newKey('alias/ledger-old');
    const old = { department: 'finance' };
    const blob = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: old }))).CiphertextBlob;
    await putSchema({ ...paymentsSchema('enforce'), SchemaName: 'ledger', AppliesTo: { AliasPatterns: ['alias/ledger-*'] } });
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: old })), 'ValidationException');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: old }));
    assert.deepEqual(dec.Plaintext, plaintext);
    const other = await newKey();
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: old, DestinationKeyId: other, DestinationEncryptionContext: old }));
    assert.ok(moved.CiphertextBlob, "ReEncrypt's source context is never checked");
  });

  test('warn mode lets the request through and marks the audit event', async () => {
    const keyId = await newKey();
    await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'team', TagValue: 'rollout' }] }));
    await putSchema({ ...paymentsSchema('warn'), SchemaName: 'rollout', AppliesTo: { Tags: [{ TagKey: 'team', TagValue: 'rollout' }] } });
    const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { department: 'sales', extra: 'x' } }));
    assert.ok(out.CiphertextBlob);
    const g = eventFor(out.$metadata.requestId)?.['kontextDetail']?.['guardrails'];
    assert.equal(g?.['result'], 'warn');
    assert.deepEqual(g?.['schema'], { name: 'rollout', version: 1, mode: 'warn', matchedBy: 'tag' });
    assert.deepEqual(
      (g?.['findings'] as Array<{ code: string; key: string; action: string }>).filter((f) => f.action === 'warn').map((f) => `${f.code}:${f.key}`).sort(),
      ['enum-mismatch:department', 'missing-required-key:customer_id', 'unexpected-key:extra'],
    );
  });

  test('a schema switched from warn to enforce applies from the next request', async () => {
    const keyId = await newKey('alias/switch-1');
    const doc = { ...paymentsSchema('warn'), SchemaName: 'switch', AppliesTo: { AliasPatterns: ['alias/switch-*'] } };
    await putSchema(doc);
    await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: {} }));
    await putSchema({ ...doc, Mode: 'enforce' });
    await rejects(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: {} })), 'ValidationException');
    await kontext('DeleteContextSchema', { SchemaName: 'switch' });
    await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: {} }));
  });
});

describe('secret detection', () => {
  let keyId: string;
  before(async () => {
    keyId = await newKey();
  });

  test('a card number in a context is rejected without being echoed, and never reaches the log or the audit trail', async () => {
    const err = await rejects(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { customer_id: 'cust_98765', card: CARD } })),
      'ValidationException',
      /encryptionContext\.card' failed to satisfy constraint: Member looks like a secret \(card-number\)/,
    );
    assert.ok(!err.message.includes('4111'));
    const event = eventFor(requestIdOf(err));
    assert.deepEqual(event?.['requestParameters']?.['encryptionContext'], { customer_id: 'cust_98765', card: '[REDACTED:card-number]' });
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!server.output.join('\n').includes('4111'), 'the server output never holds the card number');
    assert.ok(!auditEvents().some((e) => JSON.stringify(e).includes('4111')), 'the audit trail never holds the card number');
  });

  test('an AWS secret access key in a context is rejected', async () => {
    const err = await rejects(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { creds: AWS_SECRET } })), 'ValidationException', /aws-secret-access-key/);
    assert.ok(!err.message.includes(AWS_SECRET));
    assert.ok(!JSON.stringify(auditEvents()).includes(AWS_SECRET));
  });

  test('a secret is redacted from the audit record even when the request fails before the check', async () => {
    const err = await rejects(kms.send(new EncryptCommand({ KeyId: 'alias/does-not-exist', Plaintext: plaintext, EncryptionContext: { password: 'hunter2-but-longer' } })), 'NotFoundException');
    const event = eventFor(requestIdOf(err));
    assert.deepEqual(event?.['requestParameters']?.['encryptionContext'], { password: '[REDACTED:secret-key-name]' });
  });

  test('ordinary identifiers pass', async () => {
    const ctx = {
      customer_id: 'cust_98765',
      request_id: '3f2b9c1e-8d4a-4f6b-9e2a-7c5d1b0a9f8e',
      role: 'arn:aws:iam::123456789012:role/service-role/PaymentsProcessorRole',
      commit: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
      order_id: '1234567890',
      date: '2024-01-15T10:30:00Z',
      tenant: 'acme-corp@tenants.example.com',
      s3_path: 's3://my-bucket/data/2024/01/15/part-00000.parquet',
      pod: 'payments-api-7d9f8b6c5d-x2x9k',
    };
    const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: ctx }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx }));
    assert.deepEqual(dec.Plaintext, plaintext);
    assert.deepEqual(eventFor(out.$metadata.requestId)?.['requestParameters']?.['encryptionContext'], ctx);
  });
});

describe('policy lint', () => {
  test('LintPolicy reports each finding type on a fixture policy, with the schema of the key it names', async () => {
    await newKey('alias/payments-lint');
    const r = await kontext('LintPolicy', { Policy: JSON.stringify(BAD_POLICY), KeyId: 'alias/payments-lint' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json['SchemaName'], 'payments');
    const findings = r.json['Findings'] as Array<{ Id: string; Severity: string; Sid: string; Suggestion: string }>;
    assert.deepEqual([...new Set(findings.map((f) => f.Id))].sort(), Object.keys(LINT_RULES).sort());
    for (const f of findings) assert.ok(f.Sid && f.Suggestion && f.Severity === LINT_RULES[f.Id as keyof typeof LINT_RULES].severity);
  });

  test('LintPolicy finds nothing in a clean policy', async () => {
    const r = await kontext('LintPolicy', { Policy: JSON.stringify(CLEAN_POLICY), KeyId: 'alias/payments-lint' });
    assert.deepEqual(r.json['Findings'], []);
  });

  test('LintPolicy answers a malformed policy with MalformedPolicyDocumentException', async () => {
    const r = await kontext('LintPolicy', { Policy: '{"Statement": [{"Effect": "Maybe"}]}' });
    assert.equal(r.json.__type, 'MalformedPolicyDocumentException');
  });
});
