import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureBurstEvaluator } from './failure-burst.ts';
import { T0, ev, ruleDoc } from '../monitor-test-kit.ts';
import type { FailureBurstParameters } from '../alert-rule.ts';
import type { AlertDraft } from './evaluator.ts';

const params = (p: object = {}): FailureBurstParameters =>
  ruleDoc({ RuleName: 'fb', Kind: 'FailureBurst', Parameters: { Threshold: 5, WindowSeconds: 60, ...p } }).Parameters as FailureBurstParameters;

function fail(fb: FailureBurstEvaluator, n: number, from: number, step: number, spec: object = {}): AlertDraft[] {
  const out: AlertDraft[] = [];
  for (let i = 0; i < n; i++) {
    const a = fb.evaluate(ev({ time: from + i * step, error: 'InvalidCiphertextException', context: { customer_id: `guess-${i}` }, ...spec }));
    if (a) out.push(a);
  }
  return out;
}

test('FailureBurst alerts when one principal reaches the threshold within the window, with the events as evidence', () => {
  const fb = new FailureBurstEvaluator(params());
  assert.deepEqual(fail(fb, 4, T0, 1000), []);
  const [alert, ...more] = fail(fb, 1, T0 + 4000, 1000);
  assert.ok(alert);
  assert.equal(more.length, 0);
  assert.equal(alert.evidence.count, 5);
  assert.equal(alert.evidence.eventIds.length, 5);
  assert.equal(alert.evidence.windowStart, T0);
  assert.equal(alert.evidence.windowEnd, T0 + 4000);
  assert.equal(alert.subject.principal, 'arn:aws:iam::111122223333:user/app');
});

test('FailureBurst does not alert on failures spread wider than the window', () => {
  const fb = new FailureBurstEvaluator(params());
  assert.deepEqual(fail(fb, 20, T0, 20_000), []);
});

test('FailureBurst raises one alert per window for a continuing flood', () => {
  const fb = new FailureBurstEvaluator(params());
  const alerts = fail(fb, 1000, T0, 100);
  // 1000 failures over 100 s, window 60 s: the first alert, then one after the quiet window.
  assert.equal(alerts.length, 2);
});

test('FailureBurst counts AccessDenied under either spelling and ignores other errors and successes', () => {
  const fb = new FailureBurstEvaluator(params({ ErrorCodes: ['AccessDeniedException'], Threshold: 2 }));
  assert.equal(fb.evaluate(ev({ error: 'ValidationException' })), undefined);
  assert.equal(fb.evaluate(ev({})), undefined);
  assert.equal(fb.evaluate(ev({ error: 'AccessDenied' })), undefined);
  assert.ok(fb.evaluate(ev({ error: 'AccessDeniedException' })));
});

test('FailureBurst groups by source address when asked, unauthenticated callers included', () => {
  const fb = new FailureBurstEvaluator(params({ GroupBy: 'sourceIp', Threshold: 3, ErrorCodes: ['AccessDenied', 'UnrecognizedClientException'] }));
  fb.evaluate(ev({ ip: '203.0.113.9', user: 'a', error: 'AccessDenied' }));
  fb.evaluate(ev({ ip: '203.0.113.9', anonymous: true, error: 'UnrecognizedClientException' }));
  fb.evaluate(ev({ ip: '198.51.100.1', user: 'a', error: 'AccessDenied' }));
  const alert = fb.evaluate(ev({ ip: '203.0.113.9', user: 'c', error: 'AccessDenied' }));
  assert.ok(alert);
  assert.equal(alert.subject.sourceIp, '203.0.113.9');
});

test('FailureBurst memory is bounded by MaxEntries and its state round-trips', () => {
  const fb = new FailureBurstEvaluator(params({ MaxEntries: 10 }));
  for (let i = 0; i < 1000; i++) fb.evaluate(ev({ user: `u${i}`, error: 'AccessDenied' }));
  assert.equal(fb.entries, 10);
  const a = new FailureBurstEvaluator(params());
  fail(a, 4, T0, 1000);
  const b = new FailureBurstEvaluator(params());
  b.restore(JSON.parse(JSON.stringify(a.snapshot())));
  assert.equal(fail(b, 1, T0 + 4000, 0).length, 1, 'the restored failures count toward the threshold');
});
