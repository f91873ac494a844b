import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigChangeEvaluator } from './config-change.ts';
import { ev, ruleDoc } from '../monitor-test-kit.ts';
import type { ConfigChangeParameters } from '../alert-rule.ts';

const params = (p: object = {}): ConfigChangeParameters => ruleDoc({ RuleName: 'cc', Kind: 'ConfigChange', Parameters: p }).Parameters as ConfigChangeParameters;

test('ConfigChange alerts on key policy, grant and schema changes by default, not on other calls', () => {
  const cc = new ConfigChangeEvaluator(params());
  for (const name of ['PutKeyPolicy', 'CreateGrant', 'RevokeGrant', 'RetireGrant']) assert.ok(cc.evaluate(ev({ name })), name);
  for (const name of ['PutContextSchema', 'DeleteContextSchema']) assert.ok(cc.evaluate(ev({ name, service: 'kontext', keyArn: null })), name);
  assert.equal(cc.evaluate(ev({ name: 'Decrypt' })), undefined);
  assert.equal(cc.evaluate(ev({ name: 'GetKeyPolicy' })), undefined);
  const alert = cc.evaluate(ev({ name: 'PutKeyPolicy' }));
  assert.match(alert?.summary ?? '', /^PutKeyPolicy on key arn:aws:kms:/);
});

test('ConfigChange skips failed attempts unless IncludeFailed', () => {
  assert.equal(new ConfigChangeEvaluator(params()).evaluate(ev({ name: 'PutKeyPolicy', error: 'AccessDenied' })), undefined);
  const alert = new ConfigChangeEvaluator(params({ IncludeFailed: true })).evaluate(ev({ name: 'PutKeyPolicy', error: 'AccessDenied' }));
  assert.equal(alert?.evidence.details['errorCode'], 'AccessDenied');
});
