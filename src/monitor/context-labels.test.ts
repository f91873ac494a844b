import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { ContextLabelCounter, OTHER_VALUE, REDACTED_VALUE } from './context-labels.ts';
import type { MonitoredEvent } from './monitored-event.ts';
import { monitorSettingsFromEnv, checkMonitorSettings } from './monitor-settings.ts';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ARN = `arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}`;
const OTHER_ARN = 'arn:aws:kms:us-east-1:123456789012:key/ffffffff-12ab-34cd-56ef-1234567890ab';

const event = (keyArn: string, context: Record<string, string>, eventName = 'Decrypt'): MonitoredEvent => ({
  seq: 1,
  time: 0,
  eventId: 'e',
  eventName,
  eventSource: 'kms.amazonaws.com',
  errorCode: undefined,
  principal: 'arn:aws:iam::123456789012:root',
  sourceIp: '127.0.0.1',
  region: 'us-east-1',
  keyArn,
  uses: [{ keyArn, context }],
  accounts: ['123456789012'],
});

async function values(reg: Registry): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const m = reg.getSingleMetric('kontext_context_requests_total');
  assert.ok(m);
  return (await m.get()).values as Array<{ labels: Record<string, string | number>; value: number }>;
}

test('counts configured keys per context value and operation, ignores other keys and context keys', async () => {
  const reg = new Registry();
  const c = new ContextLabelCounter(reg, { [KEY_ID]: ['tenant'] });
  c.observe(event(ARN, { tenant: 'acme', region: 'eu' }));
  c.observe(event(ARN, { tenant: 'acme' }));
  c.observe(event(ARN, { tenant: 'globex' }, 'Encrypt'));
  c.observe(event(OTHER_ARN, { tenant: 'acme' }));
  const v = await values(reg);
  assert.deepEqual(
    v.map((s) => [s.labels['key_id'], s.labels['context_key'], s.labels['context_value'], s.labels['operation'], s.value]).sort(),
    [
      [KEY_ID, 'tenant', 'acme', 'Decrypt', 2],
      [KEY_ID, 'tenant', 'globex', 'Encrypt', 1],
    ],
  );
});

test('a key ARN works as the configured name too', async () => {
  const reg = new Registry();
  const c = new ContextLabelCounter(reg, { [ARN]: ['tenant'] });
  c.observe(event(ARN, { tenant: 'acme' }));
  assert.equal((await values(reg))[0]?.labels['key_id'], KEY_ID);
});

test('distinct values per key are capped; the rest count as __other__', async () => {
  const reg = new Registry();
  const c = new ContextLabelCounter(reg, { [KEY_ID]: ['tenant'] }, 3);
  for (let i = 0; i < 10; i++) c.observe(event(ARN, { tenant: `t${i}` }));
  c.observe(event(ARN, { tenant: 't0' }));
  const v = await values(reg);
  assert.equal(v.length, 4);
  assert.equal(v.find((s) => s.labels['context_value'] === OTHER_VALUE)?.value, 7);
  assert.equal(v.find((s) => s.labels['context_value'] === 't0')?.value, 2);
});

test('values the secret detector flags, or the audit trail redacted, are never labels', async () => {
  const reg = new Registry();
  const c = new ContextLabelCounter(reg, { [KEY_ID]: ['tenant', 'token'] });
  const secret = 'AKIAIOSFODNN7EXAMPLE';
  c.observe(event(ARN, { tenant: secret }));
  c.observe(event(ARN, { tenant: '[REDACTED:aws-access-key-id]' }));
  c.observe(event(ARN, { token: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' }));
  const v = await values(reg);
  assert.ok(v.every((s) => s.labels['context_value'] === REDACTED_VALUE), JSON.stringify(v));
  assert.ok(!JSON.stringify(await reg.metrics()).includes(secret));
});

test('KONTEXT_METRICS_CONTEXT_LABELS is read from the environment and checked', () => {
  const s = monitorSettingsFromEnv({ KONTEXT_METRICS_CONTEXT_LABELS: JSON.stringify({ [KEY_ID]: ['tenant'] }) });
  assert.deepEqual(s.contextLabels, { [KEY_ID]: ['tenant'] });
  assert.deepEqual(checkMonitorSettings(s), []);
  assert.equal(monitorSettingsFromEnv({}).contextLabels, undefined);
  for (const bad of ['{', '[]', '{"k": []}', '{"k": [1]}']) {
    assert.equal(checkMonitorSettings(monitorSettingsFromEnv({ KONTEXT_METRICS_CONTEXT_LABELS: bad })).length, 1, bad);
  }
});
