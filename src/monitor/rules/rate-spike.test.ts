import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateSpikeEvaluator } from './rate-spike.ts';
import { T0, ev, ruleDoc } from '../monitor-test-kit.ts';
import type { RateSpikeParameters } from '../alert-rule.ts';
import type { AlertDraft } from './evaluator.ts';

const params = (p: object = {}): RateSpikeParameters =>
  ruleDoc({ RuleName: 'rs', Kind: 'RateSpike', Parameters: { WindowSeconds: 10, Factor: 3, MinCount: 10, BaselineWindows: 2, ContextKey: 'customer_id', ...p } }).Parameters as RateSpikeParameters;

/** One call per second for `seconds` from `from`, for one customer. */
function steady(rs: RateSpikeEvaluator, from: number, seconds: number, customer = 'c1'): AlertDraft[] {
  const out: AlertDraft[] = [];
  for (let i = 0; i < seconds; i++) {
    const a = rs.evaluate(ev({ time: from + i * 1000, context: { customer_id: customer } }));
    if (a) out.push(a);
  }
  return out;
}

test('RateSpike stays quiet on steady traffic and alerts once when a series exceeds its baseline by the factor', () => {
  const rs = new RateSpikeEvaluator(params());
  assert.deepEqual(steady(rs, T0, 60), [], 'steady 1/s: about 10 per window, never 3x the baseline');
  const alerts: AlertDraft[] = [];
  for (let i = 0; i < 100; i++) {
    const a = rs.evaluate(ev({ time: T0 + 60_000 + i * 20, context: { customer_id: 'c1' } }));
    if (a) alerts.push(a);
  }
  assert.equal(alerts.length, 1, 'one alert, then quiet for a window');
  const a = alerts[0] as AlertDraft;
  assert.equal(a.evidence.details['contextValue'], 'c1');
  assert.ok(a.evidence.count > 3 * (a.evidence.details['baseline'] as number));
  assert.ok(a.evidence.eventIds.length > 0);
});

test('RateSpike needs BaselineWindows of history before alerting, and MinCount calls', () => {
  const rs = new RateSpikeEvaluator(params());
  const burst: AlertDraft[] = [];
  for (let i = 0; i < 50; i++) {
    const a = rs.evaluate(ev({ time: T0 + i, context: { customer_id: 'new' } }));
    if (a) burst.push(a);
  }
  assert.deepEqual(burst, [], 'a brand-new series has no baseline yet');
  const quiet = new RateSpikeEvaluator(params({ MinCount: 1000 }));
  steady(quiet, T0, 60);
  for (let i = 0; i < 100; i++) assert.equal(quiet.evaluate(ev({ time: T0 + 60_000 + i, context: { customer_id: 'c1' } })), undefined);
});

test('RateSpike keeps a series per context value: one customer spiking does not count for another', () => {
  const rs = new RateSpikeEvaluator(params());
  steady(rs, T0, 60, 'c1');
  steady(rs, T0, 60, 'c2');
  const alerts = [];
  for (let i = 0; i < 100; i++) alerts.push(rs.evaluate(ev({ time: T0 + 60_000 + i * 20, context: { customer_id: 'c2' } })));
  assert.equal(alerts.filter(Boolean).length, 1);
  assert.equal(rs.entries, 2);
});

test('RateSpike after a long silence treats the idle windows as zero (baseline decays, no per-bucket loop)', () => {
  const rs = new RateSpikeEvaluator(params({ MinCount: 5 }));
  steady(rs, T0, 60);
  const later = T0 + 365 * 86_400_000;
  const alerts = [];
  for (let i = 0; i < 10; i++) alerts.push(rs.evaluate(ev({ time: later + i, context: { customer_id: 'c1' } })));
  assert.equal(alerts.filter(Boolean).length, 1);
});

test('RateSpike ignores failed calls and calls without the context key', () => {
  const rs = new RateSpikeEvaluator(params());
  assert.equal(rs.evaluate(ev({ context: { customer_id: 'c1' }, error: 'AccessDenied' })), undefined);
  assert.equal(rs.evaluate(ev({ context: { tenant: 'x' } })), undefined);
  assert.equal(rs.entries, 0);
});

test('RateSpike state survives a snapshot round trip and is bounded by MaxEntries', () => {
  const a = new RateSpikeEvaluator(params());
  steady(a, T0, 60);
  const b = new RateSpikeEvaluator(params());
  b.restore(JSON.parse(JSON.stringify(a.snapshot())));
  let fired = 0;
  for (let i = 0; i < 100; i++) if (b.evaluate(ev({ time: T0 + 60_000 + i * 20, context: { customer_id: 'c1' } }))) fired++;
  assert.equal(fired, 1, 'the restored baseline is established');
  const small = new RateSpikeEvaluator(params({ MaxEntries: 5 }));
  for (let i = 0; i < 50; i++) small.evaluate(ev({ time: T0, context: { customer_id: `c${i}` } }));
  assert.equal(small.entries, 5);
});
