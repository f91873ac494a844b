import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FirstUseEvaluator } from './first-use.ts';
import { KEY_ARN, OTHER_KEY_ARN, T0, ev, ruleDoc } from '../monitor-test-kit.ts';
import type { FirstUseParameters } from '../alert-rule.ts';

const params = (p: object = {}): FirstUseParameters => {
  const d = ruleDoc({ RuleName: 'fu', Kind: 'FirstUse', Parameters: { LearningPeriodSeconds: 60, ...p } });
  return d.Parameters as FirstUseParameters;
};
const MIN = 60_000;

test('FirstUse learns values silently during the learning period, then alerts once per new value', () => {
  const fu = new FirstUseEvaluator(params({ ContextKeys: ['customer_id'] }), T0);
  assert.equal(fu.evaluate(ev({ time: T0 + 1000, context: { customer_id: 'c1' } })), undefined);
  assert.equal(fu.evaluate(ev({ time: T0 + 2000, context: { customer_id: 'c2' } })), undefined);
  assert.equal(fu.evaluate(ev({ time: T0 + 2 * MIN, context: { customer_id: 'c1' } })), undefined, 'a learned value is known');
  const alert = fu.evaluate(ev({ time: T0 + 2 * MIN, context: { customer_id: 'c3', other: 'x' } }));
  assert.ok(alert);
  assert.deepEqual(alert.evidence.details['newContext'], ['customer_id=c3'], 'only the watched context key');
  assert.equal(alert.subject.keyArn, KEY_ARN);
  assert.match(alert.summary, /customer_id=c3/);
  assert.equal(alert.evidence.eventIds.length, 1);
  assert.equal(fu.evaluate(ev({ time: T0 + 3 * MIN, context: { customer_id: 'c3' } })), undefined, 'the new value is learned by its first use');
});

test('FirstUse keeps values per key: a value known on one key is new on another', () => {
  const fu = new FirstUseEvaluator(params(), T0);
  fu.evaluate(ev({ time: T0, context: { tenant: 'acme' } }));
  assert.ok(fu.evaluate(ev({ time: T0 + 2 * MIN, keyArn: OTHER_KEY_ARN, context: { tenant: 'acme' } })));
});

test('FirstUse with PerPrincipal alerts when a principal uses a value only others used', () => {
  const fu = new FirstUseEvaluator(params({ PerPrincipal: true }), T0);
  fu.evaluate(ev({ time: T0, user: 'alice', context: { customer_id: 'c1' } }));
  assert.equal(fu.evaluate(ev({ time: T0 + 2 * MIN, user: 'alice', context: { customer_id: 'c1' } })), undefined);
  const alert = fu.evaluate(ev({ time: T0 + 2 * MIN, user: 'bob', context: { customer_id: 'c1' } }));
  assert.ok(alert);
  assert.equal(alert.subject.principal, `arn:aws:iam::111122223333:user/bob`);
});

test('FirstUse ignores failed calls: a made-up context that did not decrypt is neither learned nor alerted', () => {
  const fu = new FirstUseEvaluator(params(), T0);
  assert.equal(fu.evaluate(ev({ time: T0 + 2 * MIN, context: { customer_id: 'probe' }, error: 'InvalidCiphertextException' })), undefined);
  assert.equal(fu.entries, 0);
});

test('FirstUse holds at most MaxEntries values, evicting the least recently used', () => {
  const fu = new FirstUseEvaluator(params({ MaxEntries: 3, LearningPeriodSeconds: 0 }), T0);
  for (let i = 0; i < 10; i++) fu.evaluate(ev({ time: T0 + i, context: { customer_id: `c${i}` } }));
  assert.equal(fu.entries, 3);
  assert.equal(fu.evictions, 7);
});

test('FirstUse state survives a snapshot round trip', () => {
  const a = new FirstUseEvaluator(params(), T0);
  a.evaluate(ev({ time: T0, context: { customer_id: 'c1' } }));
  const b = new FirstUseEvaluator(params(), T0);
  b.restore(JSON.parse(JSON.stringify(a.snapshot())));
  assert.equal(b.evaluate(ev({ time: T0 + 2 * MIN, context: { customer_id: 'c1' } })), undefined);
  assert.ok(b.evaluate(ev({ time: T0 + 2 * MIN, context: { customer_id: 'c2' } })));
  b.restore('garbage');
  b.restore([['only-a-key'], [1, 2], ['k', 'not-a-number']]);
});
