// End-to-end: monitoring against a real server process — /metrics scraped and parsed, /readyz,
// alert rules from a rules file and from Kontext.PutAlertRule firing on real traffic from
// @aws-sdk/client-kms, alerts listed and acknowledged, delivered signed to a webhook in this test
// (which fails its first delivery), and alerts, rules and learned values surviving a restart.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { KMSClient, CreateKeyCommand, DecryptCommand, DisableKeyCommand, EncryptCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { NodeSha256 } from '../helpers/node-sha256.ts';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789abcdef';
const ACCOUNT = '123456789012';
const LEARNING_SECONDS = 8;

let server: ServerProcess;
let kms: KMSClient;
let work: string;
let rulesFile: string;
let hook: Server;
const deliveries: Array<{ body: string; signature: string | undefined; attempt: string | undefined }> = [];
let hookRequests = 0;

const signer = new SignatureV4({
  service: 'kontext',
  region: 'us-east-1',
  credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
  sha256: NodeSha256,
});

interface Reply {
  status: number;
  json: Record<string, any>;
}

async function kontext(operation: string, body: object): Promise<Reply> {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  const headers = { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kontext.${operation}` };
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body: text });
  const res = await fetch(server.url + '/', { method: 'POST', headers: signed.headers as Record<string, string>, body: text });
  const reply = await res.text();
  return { status: res.status, json: reply ? (JSON.parse(reply) as Record<string, any>) : {} };
}

async function ok(operation: string, body: object): Promise<Record<string, any>> {
  const r = await kontext(operation, body);
  assert.equal(r.status, 200, `${operation}: ${JSON.stringify(r.json)}`);
  return r.json;
}

/** Polls until `read` returns something truthy; generous, since the machine may be busy. */
async function eventually<T>(read: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const alertsOf = async (filter: object = {}): Promise<Array<Record<string, any>>> => (await ok('ListAlerts', { MaxResults: 1000, ...filter }))['Alerts'];

async function start(dataDir?: string): Promise<void> {
  server = await startServerProcess({
    ...(dataDir ? { dataDir } : {}),
    env: { KONTEXT_ALERT_RULES_FILE: rulesFile, KONTEXT_WEBHOOK_RETRY_BASE_MS: '200', KONTEXT_WEBHOOK_TIMEOUT_SECONDS: '10', KONTEXT_E2E_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  kms = new KMSClient(server.clientConfig());
}

async function stop(): Promise<void> {
  kms.destroy();
  await server.stop();
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, samples only. */
function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string;
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

const scrape = async (): Promise<Sample[]> => {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return parseMetrics(await res.text());
};

const sampleValue = (samples: Sample[], name: string, labels: Record<string, string>): number =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

const validSignature = (body: string, header: string | undefined): boolean => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`);
  return header !== undefined && header.length === expected.length && timingSafeEqual(Buffer.from(header), expected);
};

before(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hookRequests++;
      // The first delivery fails: every alert must still arrive, through the retries.
      if (hookRequests === 1) {
        res.writeHead(500).end('try again');
        return;
      }
      deliveries.push({ body, signature: req.headers['x-kontext-signature'] as string | undefined, attempt: req.headers['x-kontext-attempt'] as string | undefined });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/kontext-alerts`;
  work = mkdtempSync(join(tmpdir(), 'kontext-monitor-e2e-'));
  rulesFile = join(work, 'alert-rules.json');
  writeFileSync(
    rulesFile,
    JSON.stringify({
      Webhooks: [{ Name: 'ops', Url: hookUrl, SecretEnv: 'KONTEXT_E2E_WEBHOOK_SECRET' }],
      Rules: [
        { RuleName: 'probing', Kind: 'FailureBurst', Parameters: { Threshold: 5, WindowSeconds: 600, GroupBy: 'principal' } },
        { RuleName: 'config-changes', Kind: 'ConfigChange' },
        { RuleName: 'retired-keys', Kind: 'KeyStateUse' },
      ],
    }),
  );
  await start();
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  server?.cleanup();
  await new Promise<void>((r) => hook.close(() => r()));
  rmSync(work, { recursive: true, force: true });
});

let keyId: string;
let keyArn: string;
const plaintext = new TextEncoder().encode('sensitive-data-here');

test('/readyz answers 200 when the store and the audit trail are usable', async () => {
  const res = await fetch(`${server.url}/readyz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ready', checks: { store: 'ok', audit: 'ok' } });
});

test('/metrics counts requests by operation and outcome, and no context value or key id appears in a label', async () => {
  const meta = (await kms.send(new CreateKeyCommand({ Description: 'monitored' }))).KeyMetadata!;
  keyId = meta.KeyId!;
  keyArn = meta.Arn!;
  const ctx = { customer_id: 'cust_secretish_98765', department: 'finance' };
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: ctx }));
  await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: ctx }));
  await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { customer_id: 'cust_other_11111' } })), { name: 'InvalidCiphertextException' });

  const samples = await scrape();
  assert.ok(sampleValue(samples, 'kontext_requests_total', { service: 'kms', operation: 'Encrypt', outcome: 'ok' }) >= 1);
  assert.ok(sampleValue(samples, 'kontext_requests_total', { service: 'kms', operation: 'Decrypt', outcome: 'ok' }) >= 1);
  assert.ok(sampleValue(samples, 'kontext_requests_total', { service: 'kms', operation: 'Decrypt', outcome: 'error', error_code: 'InvalidCiphertextException' }) >= 1);
  assert.ok(sampleValue(samples, 'kontext_request_duration_seconds_count', { service: 'kms', operation: 'Encrypt' }) >= 1);
  assert.ok(sampleValue(samples, 'kontext_audit_batch_size_count', {}) >= 1);
  assert.ok(sampleValue(samples, 'kontext_audit_commit_duration_seconds_count', {}) >= 1);
  assert.ok(sampleValue(samples, 'kontext_policy_evaluation_duration_seconds_count', { decision: 'allow' }) >= 1);
  assert.ok(sampleValue(samples, 'kontext_keys', { state: 'Enabled' }) >= 1);
  const labelValues = samples.flatMap((s) => Object.values(s.labels));
  for (const secretish of ['cust_secretish_98765', 'cust_other_11111', 'finance', keyId]) {
    assert.ok(!labelValues.some((v) => v.includes(secretish)), `${secretish} appears in a metric label`);
  }
});

test('a burst of wrong-context Decrypts raises one FailureBurst alert, listed by Kontext.ListAlerts and delivered signed to the webhook despite its first failure', async () => {
  const ctx = { customer_id: 'cust_1' };
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: ctx }));
  // One wrong Decrypt happened in the previous test; five more make six, over a threshold of five.
  for (let i = 0; i < 5; i++) {
    await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { customer_id: `guess_${i}` } })), { name: 'InvalidCiphertextException' });
  }
  const [alert] = await eventually(async () => {
    const a = await alertsOf({ RuleName: 'probing' });
    return a.length > 0 && a;
  }, 'the probing alert');
  assert.ok(alert);
  assert.equal(alert['Kind'], 'FailureBurst');
  assert.equal(alert['Severity'], 'high');
  assert.equal(alert['Principal'], `arn:aws:iam::${ACCOUNT}:root`);
  assert.equal(alert['Evidence']['Count'], 5);
  assert.equal(alert['Evidence']['EventIds'].length, 5);
  assert.ok(alert['Evidence']['WindowStart'] && alert['Evidence']['WindowEnd']);
  const evidence = await ok('QueryAuditEvents', { EventId: alert['Evidence']['EventIds'][0] });
  assert.equal(evidence['Events'][0]['Event']['errorCode'], 'InvalidCiphertextException', 'the evidence names real audit events');

  const delivery = await eventually(async () => deliveries.find((d) => d.body.includes(alert['AlertId'])), 'the webhook delivery');
  assert.ok(validSignature(delivery.body, delivery.signature), 'X-Kontext-Signature is the HMAC of the body');
  const body = JSON.parse(delivery.body);
  assert.equal(body.Type, 'KontextAlert');
  assert.equal(body.Alert.AlertId, alert['AlertId']);
  assert.equal(body.Alert.RuleName, 'probing');
  assert.ok(!delivery.body.includes('sensitive-data-here'));

  const listed = await eventually(async () => {
    const [a] = await alertsOf({ RuleName: 'probing' });
    return a?.['Deliveries']?.[0]?.['State'] === 'delivered' && a;
  }, 'the delivery status');
  assert.equal(listed['Deliveries'][0]['Webhook'], 'ops');
  if (delivery.attempt !== '1') assert.ok(listed['Deliveries'][0]['Attempts'] >= 2);
  assert.ok(hookRequests >= 2, 'the failed first delivery was retried');

  // More failures within the window do not raise another alert.
  for (let i = 0; i < 3; i++) await assert.rejects(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { customer_id: `again_${i}` } })));
  await ok('ListAlerts', {});
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await alertsOf({ RuleName: 'probing' })).length, 1);
});

test('a context value first used after the learning period raises a FirstUse alert; learned values do not', async () => {
  const put = await ok('PutAlertRule', { RuleName: 'new-customers', Kind: 'FirstUse', Severity: 'medium', Parameters: { ContextKeys: ['customer_id'], LearningPeriodSeconds: LEARNING_SECONDS } });
  assert.equal(put['Rule']['Source'], 'api');
  assert.equal(put['Rule']['Parameters']['PerPrincipal'], false, 'defaults are filled in');
  const putAt = Date.now();
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { customer_id: 'cust_known' } }));
  const learnedInTime = Date.now() - putAt < LEARNING_SECONDS * 1000;
  await new Promise((r) => setTimeout(r, Math.max(0, putAt + LEARNING_SECONDS * 1000 + 1000 - Date.now())));
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { customer_id: 'cust_known' } }));
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { customer_id: 'cust_brand_new' } }));
  const alerts = await eventually(async () => {
    const a = await alertsOf({ RuleName: 'new-customers' });
    return a.some((x) => JSON.stringify(x['Evidence']['Details']).includes('cust_brand_new')) && a;
  }, 'the first-use alert');
  const fresh = alerts.find((x) => x['Evidence']['Details']['newContext'].includes('customer_id=cust_brand_new'));
  assert.ok(fresh);
  assert.equal(fresh['Kind'], 'FirstUse');
  assert.equal(fresh['KeyArn'], keyArn);
  // Only meaningful when the learning-period Encrypt finished inside the period on this machine.
  if (learnedInTime) assert.ok(!alerts.some((x) => x['Evidence']['Details']['newContext'].includes('customer_id=cust_known')), 'a learned value raised an alert');
  assert.equal(alerts.filter((x) => x['Evidence']['Details']['newContext'].includes('customer_id=cust_brand_new')).length, 1);
});

test('PutKeyPolicy raises a ConfigChange alert naming the key; using a disabled key raises KeyStateUse', async () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
  });
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy }));
  const change = await eventually(async () => (await alertsOf({ RuleName: 'config-changes' })).find((a) => String(a['Summary']).startsWith('PutKeyPolicy')), 'the policy-change alert');
  assert.equal(change['KeyArn'], keyArn);
  assert.equal(change['Kind'], 'ConfigChange');

  const retired = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await kms.send(new DisableKeyCommand({ KeyId: retired }));
  await assert.rejects(kms.send(new EncryptCommand({ KeyId: retired, Plaintext: plaintext })), { name: 'DisabledException' });
  const stateAlert = await eventually(async () => (await alertsOf({ RuleName: 'retired-keys' }))[0], 'the key-state alert');
  assert.match(stateAlert['Summary'], /DisabledException/);
});

test('ListAlerts filters and pages; AcknowledgeAlert marks an alert once; bad rules are refused naming the field', async () => {
  const all = await alertsOf();
  assert.ok(all.length >= 4);
  const page1 = await ok('ListAlerts', { MaxResults: 2 });
  assert.equal(page1['Alerts'].length, 2);
  const page2 = await ok('ListAlerts', { MaxResults: 2, NextToken: page1['NextToken'] });
  assert.deepEqual([...page1['Alerts'], ...page2['Alerts']].map((a: any) => a['AlertId']), all.slice(0, 4).map((a) => a['AlertId']));

  const target = all.find((a) => a['RuleName'] === 'probing')!;
  const acked = await ok('AcknowledgeAlert', { AlertId: target['AlertId'], Note: 'investigated: a test' });
  assert.equal(acked['Alert']['Acknowledged'], true);
  assert.equal(acked['Alert']['Acknowledgement']['By'], `arn:aws:iam::${ACCOUNT}:root`);
  assert.ok(!(await alertsOf({ Acknowledged: false })).some((a) => a['AlertId'] === target['AlertId']));
  const missing = await kontext('AcknowledgeAlert', { AlertId: '000000000000-00000000' });
  assert.equal(missing.json['__type'], 'NotFoundException');

  const cases: Array<[object, RegExp]> = [
    [{ RuleName: 'bad', Kind: 'Sideways' }, /'kind'/],
    [{ RuleName: 'bad', Kind: 'FailureBurst', Parameters: { WindowSeconds: -10 } }, /'parameters.windowSeconds'/],
    [{ RuleName: 'bad', Kind: 'OutsideAllowed', Parameters: { AllowedSourceCidrs: ['10.0.0.0/40'] } }, /'parameters.allowedSourceCidrs.1.member'/],
    [{ RuleName: 'bad', Kind: 'ConfigChange', Match: { PrincipalArnPattern: '([' } }, /'match.principalArnPattern'/],
    [{ RuleName: 'probing', Kind: 'ConfigChange' }, /rules file/],
  ];
  for (const [doc, field] of cases) {
    const r = await kontext('PutAlertRule', doc);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.json['__type'], 'ValidationException');
    assert.match(r.json['message'], field);
  }
  const rules = await ok('ListAlertRules', {});
  assert.deepEqual(rules['Rules'].map((r: any) => [r['RuleName'], r['Source']]), [['config-changes', 'file'], ['new-customers', 'api'], ['probing', 'file'], ['retired-keys', 'file']]);
});

test('alerts, API rules and learned context values survive a restart', async () => {
  const before = await alertsOf();
  const dataDir = server.dataDir;
  await stop();
  await start(dataDir);

  const after = await alertsOf();
  assert.deepEqual(after.slice(0, before.length).map((a) => a['AlertId']), before.map((a) => a['AlertId']));
  assert.equal(after.find((a) => a['RuleName'] === 'probing')?.['Acknowledged'], true);
  assert.ok((await ok('ListAlertRules', {}))['Rules'].some((r: any) => r['RuleName'] === 'new-customers'));

  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { customer_id: 'cust_brand_new' } }));
  await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { customer_id: 'cust_after_restart' } }));
  const alerts = await eventually(async () => {
    const a = await alertsOf({ RuleName: 'new-customers' });
    return a.some((x) => x['Evidence']['Details']['newContext'].includes('customer_id=cust_after_restart')) && a;
  }, 'the first-use alert after the restart');
  assert.equal(alerts.filter((x) => x['Evidence']['Details']['newContext'].includes('customer_id=cust_brand_new')).length, 1, 'the value learned before the restart is still known');

  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200);
});
