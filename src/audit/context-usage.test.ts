import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextUsageAggregator, MAX_SAMPLE_VALUES } from './context-usage.ts';
import type { CloudTrailEvent } from './cloudtrail-event.ts';

const ev = (requestParameters: Record<string, unknown> | null, errorCode?: string): CloudTrailEvent =>
  ({ eventName: 'Encrypt', requestParameters, ...(errorCode ? { errorCode } : {}) }) as unknown as CloudTrailEvent;

test('counts distinct values and events per context key, keys by name', () => {
  const agg = new ContextUsageAggregator();
  for (const t of ['t1', 't2', 't3', 't1']) agg.add(ev({ keyId: 'k', encryptionContext: { tenant: t, purpose: 'billing' } }));
  agg.add(ev({ keyId: 'k' })); // no context
  const r = agg.result();
  assert.equal(agg.scanned, 5);
  assert.deepEqual(r.map((k) => [k.key, k.distinctValues, k.events]), [['purpose', 1, 4], ['tenant', 3, 4]]);
  assert.deepEqual(r.find((k) => k.key === 'tenant')!.sampleValues, ['t1', 't2', 't3']);
});

test('failed calls are scanned but not counted', () => {
  const agg = new ContextUsageAggregator();
  agg.add(ev({ encryptionContext: { tenant: 'x' } }, 'ValidationException'));
  assert.equal(agg.scanned, 1);
  assert.deepEqual(agg.result(), []);
});

test('source and destination contexts count; a key used twice in one event counts one event', () => {
  const agg = new ContextUsageAggregator();
  agg.add(ev({ sourceEncryptionContext: { tenant: 'a' }, destinationEncryptionContext: { tenant: 'b' } }));
  assert.deepEqual(agg.result().map((k) => [k.key, k.distinctValues, k.events]), [['tenant', 2, 1]]);
});

test('samples are at most a few, never a flagged secret or a redaction marker', () => {
  const agg = new ContextUsageAggregator();
  agg.add(ev({ encryptionContext: { card: '4111 1111 1111 1111' } }));
  agg.add(ev({ encryptionContext: { card: '[REDACTED:card-number]' } }));
  agg.add(ev({ encryptionContext: { card: 'visa' } }));
  for (let i = 0; i < 10; i++) agg.add(ev({ encryptionContext: { n: `v${i}` } }));
  const r = new Map(agg.result().map((k) => [k.key, k]));
  assert.equal(r.get('card')!.distinctValues, 3);
  assert.deepEqual(r.get('card')!.sampleValues, ['visa']);
  assert.equal(r.get('n')!.distinctValues, 10);
  assert.equal(r.get('n')!.sampleValues.length, MAX_SAMPLE_VALUES);
});
