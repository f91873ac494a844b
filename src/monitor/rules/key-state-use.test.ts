import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyStateUseEvaluator } from './key-state-use.ts';
import { OTHER_KEY_ARN, T0, ev, ruleDoc } from '../monitor-test-kit.ts';
import type { KeyStateUseParameters } from '../alert-rule.ts';

const params = (p: object = {}): KeyStateUseParameters => ruleDoc({ RuleName: 'ks', Kind: 'KeyStateUse', Parameters: p }).Parameters as KeyStateUseParameters;

test('KeyStateUse alerts on DisabledException and KMSInvalidStateException, once per key and principal within the dedupe window', () => {
  const ks = new KeyStateUseEvaluator(params({ DedupeSeconds: 60 }));
  assert.equal(ks.evaluate(ev({})), undefined);
  assert.equal(ks.evaluate(ev({ error: 'InvalidCiphertextException' })), undefined);
  const alert = ks.evaluate(ev({ time: T0, error: 'DisabledException' }));
  assert.ok(alert);
  assert.match(alert.summary, /DisabledException/);
  assert.equal(ks.evaluate(ev({ time: T0 + 1000, error: 'DisabledException' })), undefined);
  assert.ok(ks.evaluate(ev({ time: T0 + 1000, error: 'KMSInvalidStateException' })));
  assert.ok(ks.evaluate(ev({ time: T0 + 1000, keyArn: OTHER_KEY_ARN, error: 'DisabledException' })));
  assert.ok(ks.evaluate(ev({ time: T0 + 61_000, error: 'DisabledException' })));
});
