// End-to-end: the RateSpike and OutsideAllowed alert rules against a real server process, from a
// rules file (KONTEXT_ALERT_RULES_FILE), on real @aws-sdk/client-kms traffic; the per-rule hourly
// alert limit under a flood; and opt-in context-value labels (KONTEXT_METRICS_CONTEXT_LABELS)
// scraped from /metrics. Everything is polled with generous deadlines; no durations are asserted.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { KMSClient, CreateKeyCommand, DecryptCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { NodeSha256 } from '../helpers/node-sha256.ts';
import { startServerProcess, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type ServerProcess } from '../helpers/server-process.ts';

const ACCOUNT = '123456789012';
const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:root`;
const OUTSIDE_LIMIT = 3;
const SECRET_VALUE = 'AKIAIOSFODNN7EXAMPLE';

let server: ServerProcess;
let kms: KMSClient;
let work: string;
let labelledKey: string;
let plainKey: string;
/** Decrypts made with tenant=acme on the labelled key (checked against /metrics). */
let acmeDecrypts = 0;

const signer = new SignatureV4({
  service: 'kontext',
  region: 'us-east-1',
  credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
  sha256: NodeSha256,
});

async function kontext(operation: string, body: object): Promise<Record<string, any>> {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  const headers = { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kontext.${operation}` };
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body: text });
  const res = await fetch(server.url + '/', { method: 'POST', headers: signed.headers as Record<string, string>, body: text });
  const reply = await res.text();
  assert.equal(res.status, 200, `${operation}: ${reply}`);
  return reply ? (JSON.parse(reply) as Record<string, any>) : {};
}

async function eventually<T>(read: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const alertsOf = async (ruleName: string): Promise<Array<Record<string, any>>> => (await kontext('ListAlerts', { MaxResults: 1000, RuleName: ruleName }))['Alerts'];

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

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

const metricsText = async (): Promise<string> => {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
};

const sampleValue = (samples: Sample[], name: string, labels: Record<string, string>): number =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

/** Waits until the monitor has evaluated at least `n` events and its queue is empty. */
async function monitorCaughtUp(n: number): Promise<void> {
  await eventually(async () => {
    const s = parseMetrics(await metricsText());
    return sampleValue(s, 'kontext_monitor_events_evaluated_total', {}) >= n && sampleValue(s, 'kontext_monitor_queue_depth', {}) === 0;
  }, `the monitor to evaluate ${n} events`);
}

const evaluatedNow = async (): Promise<number> => sampleValue(parseMetrics(await metricsText()), 'kontext_monitor_events_evaluated_total', {});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function decrypt(key: string, tenant: string, blob: Uint8Array): Promise<void> {
  await kms.send(new DecryptCommand({ KeyId: key, CiphertextBlob: blob, EncryptionContext: { tenant } }));
  if (key === labelledKey && tenant === 'acme') acmeDecrypts++;
}

async function encrypt(key: string, tenant: string): Promise<Uint8Array> {
  const r = await kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x'), EncryptionContext: { tenant } }));
  return r.CiphertextBlob!;
}

/** A call with an access key the server does not know: audited as `anonymous:<key id>`. */
async function outsiderCall(accessKeyId: string): Promise<void> {
  const client = new KMSClient({ ...server.clientConfig(), credentials: { accessKeyId, secretAccessKey: 'not-a-real-secret-0000000000000000000000' } });
  try {
    await assert.rejects(client.send(new ListKeysCommand({})));
  } finally {
    client.destroy();
  }
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kontext-e2e-monitor-rules-'));
  const rulesFile = join(work, 'rules.json');
  writeFileSync(
    rulesFile,
    JSON.stringify({
      Rules: [
        {
          RuleName: 'decrypt-spike',
          Kind: 'RateSpike',
          Match: { EventNames: ['Decrypt'] },
          Parameters: { ContextKey: 'tenant', WindowSeconds: 4, Factor: 3, MinCount: 25, BaselineWindows: 1 },
        },
        {
          RuleName: 'outsiders',
          Kind: 'OutsideAllowed',
          MaxAlertsPerHour: OUTSIDE_LIMIT,
          Parameters: { AllowedPrincipals: [ADMIN_ARN], DedupeSeconds: 3600 },
        },
      ],
    }),
  );
  // The labels setting names keys, so the keys are made first and the server restarted with it.
  const dataDir = join(work, 'data');
  server = await startServerProcess({ dataDir });
  kms = new KMSClient(server.clientConfig());
  labelledKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  plainKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  kms.destroy();
  await server.stop();
  server = await startServerProcess({
    dataDir,
    env: { KONTEXT_ALERT_RULES_FILE: rulesFile, KONTEXT_METRICS_CONTEXT_LABELS: JSON.stringify({ [labelledKey]: ['tenant'] }) },
  });
  kms = new KMSClient(server.clientConfig());
});

after(async () => {
  kms?.destroy();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('RateSpike: quiet on a baseline of normal traffic, one alert for a spike of Decrypts on one context value', async () => {
  const acme = await encrypt(labelledKey, 'acme');
  const globex = await encrypt(labelledKey, 'globex');
  // Baseline: a steady trickle on two tenants, long enough for the series' baselines to form
  // (BaselineWindows 1 × WindowSeconds 4), and a little more.
  const until = Date.now() + 6_000;
  while (Date.now() < until) {
    await decrypt(labelledKey, 'acme', acme);
    await decrypt(labelledKey, 'globex', globex);
    await sleep(400);
  }
  await monitorCaughtUp(await evaluatedNow());
  assert.deepEqual(await alertsOf('decrypt-spike'), [], 'normal traffic raises no rate-spike alert');

  // The spike: many Decrypts with tenant=acme at once.
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < 80; i++) {
    pending.push(decrypt(labelledKey, 'acme', acme));
    if (pending.length >= 10) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const alerts = await eventually(async () => {
    const a = await alertsOf('decrypt-spike');
    return a.length > 0 && a;
  }, 'the rate-spike alert');
  await monitorCaughtUp(await evaluatedNow());
  const all = await alertsOf('decrypt-spike');
  assert.equal(all.length, 1, `one alert for one spike: ${JSON.stringify(all.map((a) => a['Summary']))}`);
  const [alert] = alerts;
  assert.equal(alert!['Kind'], 'RateSpike');
  assert.match(String(alert!['Summary']), /tenant=acme/);
  assert.doesNotMatch(String(alert!['Summary']), /globex/);
});

test('OutsideAllowed: an allowed principal raises nothing, a principal outside the set raises an alert', async () => {
  // The admin's calls (the whole previous test, and these) are inside the allowed set.
  await kms.send(new ListKeysCommand({}));
  await monitorCaughtUp(await evaluatedNow());
  assert.deepEqual(await alertsOf('outsiders'), []);

  await outsiderCall('AKIAOUTSIDER00000001');
  const [alert] = await eventually(async () => {
    const a = await alertsOf('outsiders');
    return a.length > 0 && a;
  }, 'the outside-allowed alert');
  assert.equal(alert!['Kind'], 'OutsideAllowed');
  assert.match(String(alert!['Summary']), /AKIAOUTSIDER00000001/);
  assert.doesNotMatch(String(alert!['Summary']), new RegExp(ADMIN_ARN.replace(/[:]/g, '\\:')));
});

test('a flood of matching events yields a bounded number of alerts (dedupe and the hourly limit)', async () => {
  const before = await evaluatedNow();
  // The same outsider again and again: deduplicated into the one alert it already has.
  for (let i = 0; i < 10; i++) await outsiderCall('AKIAOUTSIDER00000001');
  await monitorCaughtUp(before + 10);
  assert.equal((await alertsOf('outsiders')).length, 1, 'repeats of one violation are deduplicated');

  // Many different outsiders: each is a new violation, but the rule raises at most its hourly limit.
  const flood = 25;
  for (let i = 0; i < flood; i++) await outsiderCall(`AKIAFLOOD${String(i).padStart(11, '0')}`);
  await eventually(async () => sampleValue(parseMetrics(await metricsText()), 'kontext_alerts_suppressed_total', { kind: 'OutsideAllowed' }) >= flood - (OUTSIDE_LIMIT - 1), 'the flood to be suppressed');
  await monitorCaughtUp(await evaluatedNow());
  assert.equal((await alertsOf('outsiders')).length, OUTSIDE_LIMIT);
});

test('opt-in context labels: kontext_context_requests_total counts the configured key per value, nothing else', async () => {
  // The other key is not configured: its context values never become labels.
  const blob = await encrypt(plainKey, 'hidden-tenant');
  await decrypt(plainKey, 'hidden-tenant', blob);
  // A secret-shaped value is refused (secret detection enforces) and never becomes a label either.
  await assert.rejects(kms.send(new EncryptCommand({ KeyId: labelledKey, Plaintext: Buffer.from('x'), EncryptionContext: { tenant: SECRET_VALUE } })));
  await monitorCaughtUp(await evaluatedNow());
  const text = await eventually(async () => {
    const t = await metricsText();
    return sampleValue(parseMetrics(t), 'kontext_context_requests_total', { key_id: labelledKey, context_key: 'tenant', context_value: 'acme', operation: 'Decrypt' }) === acmeDecrypts && t;
  }, `${acmeDecrypts} acme Decrypts counted`);
  const samples = parseMetrics(text).filter((s) => s.name === 'kontext_context_requests_total');
  assert.ok(sampleValue(samples, 'kontext_context_requests_total', { key_id: labelledKey, context_value: 'globex', operation: 'Decrypt' }) > 0);
  assert.equal(sampleValue(samples, 'kontext_context_requests_total', { key_id: labelledKey, context_value: 'acme', operation: 'Encrypt' }), 1);
  assert.ok(samples.every((s) => s.labels['key_id'] === labelledKey), 'only the configured key is labelled');
  assert.ok(!text.includes('hidden-tenant'));
  assert.ok(!text.includes(SECRET_VALUE));
});
