// End-to-end: policy lint runs automatically on PutKeyPolicy (KONTEXT_POLICY_LINT_ON_PUT):
// `log` (the default) accepts the policy and records the findings in the audit event's
// kontextDetail.policyLint; `enforce` refuses a policy with an error-severity finding.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KMSClient, CreateKeyCommand, PutKeyPolicyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const ACCOUNT = '123456789012';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

/** Decrypt for anyone, no condition: decrypt-without-context-condition (warning) and wildcard-principal-without-condition (error). */
const OPEN_DECRYPT = JSON.stringify({ Version: '2012-10-17', Statement: [admin, { Sid: 'OpenDecrypt', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }] });
/** Decrypt for the account's principals, no context condition: decrypt-without-context-condition (warning) only. */
const DECRYPT_NO_CONTEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    admin,
    { Sid: 'AppDecrypt', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } },
  ],
});

function auditEvents(server: ServerProcess): Array<Record<string, any>> {
  const db = new Database(join(server.dataDir, 'kontext.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT body FROM audit_events ORDER BY seq').pluck().all() as string[]).map((b) => JSON.parse(b) as Record<string, any>);
  } finally {
    db.close();
  }
}

const requestIdOf = (r: unknown): string | undefined => (r as { $metadata?: { requestId?: string } }).$metadata?.requestId;

async function eventFor(server: ServerProcess, requestId: string | undefined): Promise<Record<string, any>> {
  // The audit record is durable before the response; poll briefly in case of reader visibility lag.
  for (let i = 0; i < 50; i++) {
    const e = auditEvents(server).find((x) => x['requestID'] === requestId);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no audit event for request ${requestId}`);
}

describe('policy lint on PutKeyPolicy (default: log)', () => {
  let server: ServerProcess;
  let kms: KMSClient;
  before(async () => {
    server = await startServerProcess();
    kms = new KMSClient(server.clientConfig());
  });
  after(async () => {
    kms?.destroy();
    await server?.stop();
    server?.cleanup();
  });

  test('a Decrypt-without-context-condition policy is stored; the audit event carries the findings; the response is unchanged', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const put = await kms.send(new PutKeyPolicyCommand({ KeyId: key, PolicyName: 'default', Policy: OPEN_DECRYPT }));
    assert.deepEqual(Object.keys(put).filter((k) => k !== '$metadata'), []);
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key, PolicyName: 'default' }))).Policy, OPEN_DECRYPT);

    const event = await eventFor(server, requestIdOf(put));
    assert.equal(event['eventName'], 'PutKeyPolicy');
    assert.equal(event['errorCode'], undefined);
    const lint = event['kontextDetail']?.['policyLint'];
    assert.ok(lint, JSON.stringify(event['kontextDetail']));
    assert.equal(lint.mode, 'log');
    assert.equal(lint.result, 'findings');
    const found = lint.findings.map((f: any) => [f.id, f.severity, f.sid]);
    assert.deepEqual(
      found.filter((f: string[]) => f[2] === 'OpenDecrypt').sort(),
      [
        ['decrypt-without-context-condition', 'warning', 'OpenDecrypt'],
        ['wildcard-principal-without-condition', 'error', 'OpenDecrypt'],
      ],
    );
  });

  test('CreateKey with a Policy records the findings too, and a clean default policy records none', async () => {
    const created = await kms.send(new CreateKeyCommand({ Policy: DECRYPT_NO_CONTEXT }));
    const lint = (await eventFor(server, requestIdOf(created)))['kontextDetail']?.['policyLint'];
    assert.deepEqual(lint.findings.map((f: any) => [f.id, f.sid]), [['decrypt-without-context-condition', 'AppDecrypt']]);

    const plain = await kms.send(new CreateKeyCommand({}));
    assert.equal((await eventFor(server, requestIdOf(plain)))['kontextDetail']?.['policyLint'], undefined);
  });
});

describe('policy lint on PutKeyPolicy with KONTEXT_POLICY_LINT_ON_PUT=enforce', () => {
  let server: ServerProcess;
  let kms: KMSClient;
  before(async () => {
    server = await startServerProcess({ env: { KONTEXT_POLICY_LINT_ON_PUT: 'enforce' } });
    kms = new KMSClient(server.clientConfig());
  });
  after(async () => {
    kms?.destroy();
    await server?.stop();
    server?.cleanup();
  });

  test('the same policy is refused with MalformedPolicyDocumentException naming the finding ids, and not stored', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const before = (await kms.send(new GetKeyPolicyCommand({ KeyId: key, PolicyName: 'default' }))).Policy;
    const err = await kms.send(new PutKeyPolicyCommand({ KeyId: key, PolicyName: 'default', Policy: OPEN_DECRYPT })).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e as Error & { name: string },
    );
    assert.equal(err.name, 'MalformedPolicyDocumentException');
    assert.match(err.message, /wildcard-principal-without-condition/);
    assert.equal((await kms.send(new GetKeyPolicyCommand({ KeyId: key, PolicyName: 'default' }))).Policy, before);

    const event = await eventFor(server, requestIdOf(err));
    assert.equal(event['errorCode'], 'MalformedPolicyDocumentException');
    assert.equal(event['kontextDetail']?.['policyLint']?.result, 'reject');
  });

  test('warning-severity findings only are accepted (and recorded)', async () => {
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const put = await kms.send(new PutKeyPolicyCommand({ KeyId: key, PolicyName: 'default', Policy: DECRYPT_NO_CONTEXT }));
    const lint = (await eventFor(server, requestIdOf(put)))['kontextDetail']?.['policyLint'];
    assert.equal(lint.mode, 'enforce');
    assert.equal(lint.result, 'findings');
    assert.deepEqual(lint.findings.map((f: any) => f.id), ['decrypt-without-context-condition']);
  });
});
