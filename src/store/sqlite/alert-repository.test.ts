import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from './sqlite-store.ts';
import type { AlertRecord } from '../../monitor/alert-record.ts';
import { storedRule, T0, ACCOUNT } from '../../monitor/monitor-test-kit.ts';

function alert(n: number, over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alertId: `${(T0 + n).toString(16).padStart(12, '0')}-0000000${n % 10}`,
    accountId: ACCOUNT,
    ruleName: n % 2 ? 'odd' : 'even',
    ruleKind: 'FailureBurst',
    severity: n % 3 ? 'high' : 'low',
    createdAt: T0 + n,
    summary: `alert ${n}`,
    subject: { principal: 'p', ...(n === 4 ? { keyArn: 'k4' } : {}) },
    evidence: { eventIds: [`e${n}`], count: 1, details: {} },
    suppressedBefore: 0,
    deliveries: [{ webhook: 'ops', state: 'pending', attempts: 0 }],
    ...over,
  };
}

test('SQLite alert repository lists alerts newest first with filters and pages', async () => {
  const store = openSqliteStore(':memory:');
  for (let i = 1; i <= 9; i++) await store.alerts.insertAlert(alert(i));
  await store.alerts.insertAlert(alert(10, { accountId: '999988887777' }));
  const ids = (rows: AlertRecord[]) => rows.map((a) => a.summary);
  assert.deepEqual(ids(await store.alerts.listAlerts({ accountId: ACCOUNT, limit: 3 })), ['alert 9', 'alert 8', 'alert 7']);
  const page2 = await store.alerts.listAlerts({ accountId: ACCOUNT, limit: 3, before: alert(7).alertId });
  assert.deepEqual(ids(page2), ['alert 6', 'alert 5', 'alert 4']);
  assert.deepEqual(ids(await store.alerts.listAlerts({ accountId: ACCOUNT, ruleName: 'odd', severity: 'high', limit: 10 })), ['alert 7', 'alert 5', 'alert 1']);
  assert.deepEqual(ids(await store.alerts.listAlerts({ accountId: ACCOUNT, keyArn: 'k4', limit: 10 })), ['alert 4']);
  assert.deepEqual(ids(await store.alerts.listAlerts({ accountId: ACCOUNT, from: T0 + 2, to: T0 + 3, limit: 10 })), ['alert 3', 'alert 2']);
  assert.deepEqual(ids(await store.alerts.listAlerts({ accountId: '999988887777', limit: 10 })), ['alert 10']);
  await store.close();
});

test('SQLite alert repository acknowledges once, tracks deliveries and pending work, counts open alerts', async () => {
  const store = openSqliteStore(':memory:');
  await store.alerts.insertAlert(alert(1));
  await store.alerts.insertAlert(alert(2));
  const a1 = alert(1).alertId;
  assert.equal(await store.alerts.acknowledge('999988887777', a1, { at: 1, by: 'x' }), undefined, 'another account cannot');
  const acked = await store.alerts.acknowledge(ACCOUNT, a1, { at: T0, by: 'arn:aws:iam::111122223333:root', note: 'seen' });
  assert.equal(acked?.acknowledged?.note, 'seen');
  const again = await store.alerts.acknowledge(ACCOUNT, a1, { at: T0 + 5, by: 'someone else' });
  assert.equal(again?.acknowledged?.by, 'arn:aws:iam::111122223333:root', 'the first acknowledgement stays');
  assert.deepEqual((await store.alerts.listAlerts({ accountId: ACCOUNT, acknowledged: false, limit: 10 })).map((a) => a.alertId), [alert(2).alertId]);
  assert.deepEqual(await store.alerts.countOpen(), { high: 1 });

  assert.equal((await store.alerts.pendingDeliveries(10)).length, 2);
  await store.alerts.putDelivery(a1, { webhook: 'ops', state: 'delivered', attempts: 2, deliveredAt: T0 });
  await store.alerts.putDelivery(a1, { webhook: 'audit', state: 'failed', attempts: 6, lastError: 'HTTP 500' });
  const got = await store.alerts.getAlert(ACCOUNT, a1);
  assert.deepEqual(got?.deliveries.map((d) => [d.webhook, d.state]), [['audit', 'failed'], ['ops', 'delivered']]);
  assert.deepEqual((await store.alerts.pendingDeliveries(10)).map((a) => a.alertId), [alert(2).alertId]);
  await store.close();
});

test('SQLite alert repository stores rules and learned state, and deleting a rule deletes its state', async () => {
  const store = openSqliteStore(':memory:');
  const rule = storedRule({ RuleName: 'probing', Kind: 'FailureBurst' });
  await store.alerts.putRule(rule);
  await store.alerts.putRule({ ...rule, updatedAt: T0 + 1 });
  assert.deepEqual(await store.alerts.listRules(), [{ ...rule, updatedAt: T0 + 1 }]);
  await store.alerts.saveStates([{ accountId: ACCOUNT, ruleName: 'probing', fingerprint: 'f1', createdAt: T0, savedAt: T0 + 2, state: '[]' }]);
  await store.alerts.saveStates([{ accountId: ACCOUNT, ruleName: 'probing', fingerprint: 'f1', createdAt: T0, savedAt: T0 + 3, state: '[["k",1]]' }]);
  assert.deepEqual(await store.alerts.loadStates(), [{ accountId: ACCOUNT, ruleName: 'probing', fingerprint: 'f1', createdAt: T0, savedAt: T0 + 3, state: '[["k",1]]' }]);
  assert.equal(await store.alerts.deleteRule(ACCOUNT, 'probing'), true);
  assert.equal(await store.alerts.deleteRule(ACCOUNT, 'probing'), false);
  assert.deepEqual(await store.alerts.loadStates(), []);
  await store.close();
});

test('SQLite key repository counts keys by state', async () => {
  const store = openSqliteStore(':memory:');
  assert.deepEqual(await store.keys.countByState(), {});
  await store.close();
});
