import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutsideAllowedEvaluator } from './outside-allowed.ts';
import { T0, ev, ruleDoc } from '../monitor-test-kit.ts';
import type { OutsideAllowedParameters } from '../alert-rule.ts';

const params = (p: object): OutsideAllowedParameters => ruleDoc({ RuleName: 'oa', Kind: 'OutsideAllowed', Parameters: p }).Parameters as OutsideAllowedParameters;
const HOUR = 3_600_000;

test('OutsideAllowed alerts on a principal outside the allowed list or pattern', () => {
  const oa = new OutsideAllowedEvaluator(params({ AllowedPrincipals: ['arn:aws:iam::*:user/app'], AllowedPrincipalPattern: '^arn:aws:sts::\\d{12}:assumed-role/batch-' }));
  assert.equal(oa.evaluate(ev({ user: 'app' })), undefined);
  const alert = oa.evaluate(ev({ user: 'mallory' }));
  assert.ok(alert);
  assert.deepEqual(alert.evidence.details['violations'], ['principal']);
});

test('OutsideAllowed alerts on a source outside the allowed CIDR ranges (IPv4 and IPv6)', () => {
  const oa = new OutsideAllowedEvaluator(params({ AllowedSourceCidrs: ['10.0.0.0/8', '2001:db8::/32'], DedupeSeconds: 0 }));
  assert.equal(oa.evaluate(ev({ ip: '10.200.1.1' })), undefined);
  assert.equal(oa.evaluate(ev({ ip: '2001:db8::7' })), undefined);
  assert.ok(oa.evaluate(ev({ ip: '192.0.2.1' })));
  assert.ok(oa.evaluate(ev({ ip: 'not-an-ip' })));
});

test('OutsideAllowed checks the hour in UTC, including spans past midnight', () => {
  const day = new OutsideAllowedEvaluator(params({ AllowedHoursUtc: { Start: 8, End: 18 }, DedupeSeconds: 0 }));
  const midnight = Date.UTC(2026, 0, 5);
  assert.equal(day.evaluate(ev({ time: midnight + 9 * HOUR })), undefined);
  assert.ok(day.evaluate(ev({ time: midnight + 18 * HOUR })));
  const night = new OutsideAllowedEvaluator(params({ AllowedHoursUtc: { Start: 22, End: 6 }, DedupeSeconds: 0 }));
  assert.equal(night.evaluate(ev({ time: midnight + 23 * HOUR })), undefined);
  assert.equal(night.evaluate(ev({ time: midnight + 2 * HOUR })), undefined);
  const alert = night.evaluate(ev({ time: midnight + 12 * HOUR }));
  assert.equal(alert?.evidence.details['hourUtc'], 12);
});

test('OutsideAllowed raises one alert per principal, source and violation within DedupeSeconds', () => {
  const oa = new OutsideAllowedEvaluator(params({ AllowedSourceCidrs: ['10.0.0.0/8'], DedupeSeconds: 60 }));
  let n = 0;
  for (let i = 0; i < 100; i++) if (oa.evaluate(ev({ time: T0 + i * 100, ip: '192.0.2.1' }))) n++;
  assert.equal(n, 1);
  assert.ok(oa.evaluate(ev({ time: T0 + 61_000, ip: '192.0.2.1' })));
  assert.ok(oa.evaluate(ev({ time: T0 + 61_000, ip: '192.0.2.2' })));
});
