import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleEngine } from './rule-engine.ts';
import type { StoredAlertRule } from './alert-rule.ts';
import type { LimitedDraft } from './compiled-rule.ts';
import { ACCOUNT, T0, committed, silentLog, storedRule } from './monitor-test-kit.ts';

function engine(queueSize = 1000) {
  const raised: Array<{ rule: StoredAlertRule; draft: LimitedDraft }> = [];
  let suppressed = 0;
  let dropped = 0;
  const e = new RuleEngine({
    queueSize,
    chunk: 16,
    raise: async (rule, draft) => void raised.push({ rule, draft }),
    onSuppressed: () => void suppressed++,
    onDropped: (n) => void (dropped += n),
    log: silentLog,
  });
  return { e, raised, counts: () => ({ suppressed, dropped }) };
}

const probing = (over: object = {}) => storedRule({ RuleName: 'probing', Kind: 'FailureBurst', Parameters: { Threshold: 3, WindowSeconds: 60 }, ...over });
const failures = (n: number, from = T0) => Array.from({ length: n }, (_, i) => committed({ time: from + i, error: 'InvalidCiphertextException' }));

test('RuleEngine evaluates after enqueue returns, never inside it', async () => {
  const { e, raised } = engine();
  e.install(probing());
  e.enqueue(failures(3));
  assert.equal(raised.length, 0, 'enqueue only queues');
  assert.equal(e.queueDepth, 3);
  await e.drain();
  assert.equal(raised.length, 1);
  assert.equal(raised[0]?.draft.evidence.count, 3);
  assert.equal(e.queueDepth, 0);
});

test('RuleEngine drops and counts events beyond its queue bound', async () => {
  const { e, counts } = engine(10);
  e.install(probing());
  e.enqueue(failures(25));
  assert.equal(e.queueDepth, 10);
  assert.equal(counts().dropped, 15);
  assert.equal(e.dropped, 15);
  await e.drain();
});

test("RuleEngine holds back alerts beyond a rule's hourly limit and reports how many on the next", async () => {
  const { e, raised, counts } = engine();
  e.install(storedRule({ RuleName: 'changes', Kind: 'ConfigChange', MaxAlertsPerHour: 2 }));
  e.enqueue(Array.from({ length: 5 }, (_, i) => committed({ name: 'PutKeyPolicy', time: T0 + i })));
  await e.drain();
  assert.equal(raised.length, 2);
  assert.equal(counts().suppressed, 3);
  e.enqueue([committed({ name: 'PutKeyPolicy', time: T0 + 3_600_000 })]);
  await e.drain();
  assert.equal(raised[2]?.draft.suppressedBefore, 3);
});

test('RuleEngine applies a rule only to events of its account, and skips disabled rules and non-matching events', async () => {
  const { e, raised } = engine();
  e.install(probing({}), undefined);
  e.install(storedRule({ RuleName: 'elsewhere', Kind: 'ConfigChange' }, T0, '999988887777'));
  e.install(storedRule({ RuleName: 'off', Kind: 'ConfigChange', Enabled: false }));
  e.install(storedRule({ RuleName: 'only-grants', Kind: 'ConfigChange', Match: { EventNames: ['CreateGrant'] } }));
  e.enqueue([committed({ name: 'PutKeyPolicy' })]);
  await e.drain();
  assert.deepEqual(raised.map((r) => r.rule.document.RuleName), []);
  e.enqueue([committed({ name: 'CreateGrant' })]);
  await e.drain();
  assert.deepEqual(raised.map((r) => r.rule.document.RuleName), ['only-grants']);
  assert.deepEqual(e.rules(ACCOUNT).map((r) => r.rule.document.RuleName), ['off', 'only-grants', 'probing']);
});

test('RuleEngine state rows round-trip: a reinstalled rule with the same definition remembers, a changed one starts afresh', async () => {
  const first = engine();
  const fu = storedRule({ RuleName: 'new-customers', Kind: 'FirstUse', Parameters: { LearningPeriodSeconds: 60 } });
  first.e.install(fu);
  first.e.enqueue([committed({ time: T0 + 1, context: { customer_id: 'c1' } })]);
  await first.e.drain();
  const rows = first.e.stateRows(T0 + 2, true);
  assert.equal(rows.length, 1);
  first.e.markSaved(rows);
  assert.equal(first.e.stateRows(T0 + 3, true).length, 0, 'nothing changed since the save');
  const saved = JSON.parse(JSON.stringify(rows[0]));

  const again = engine();
  again.e.install(fu, saved);
  again.e.enqueue([committed({ time: T0 + 120_000, context: { customer_id: 'c1' } }), committed({ time: T0 + 120_000, context: { customer_id: 'c2' } })]);
  await again.e.drain();
  assert.deepEqual(again.raised.map((r) => r.draft.evidence.details['newContext']), [['customer_id=c2']]);

  const changed = engine();
  changed.e.install(storedRule({ RuleName: 'new-customers', Kind: 'FirstUse', Parameters: { LearningPeriodSeconds: 60, PerPrincipal: true } }), saved);
  assert.equal(changed.e.stateEntries, 0, 'state learned under another definition is not restored');
});

test('RuleEngine replaces and removes rules by account and name', () => {
  const { e } = engine();
  e.install(probing());
  e.install(probing({ Severity: 'low' }));
  assert.equal(e.rules().length, 1);
  assert.equal(e.rule(ACCOUNT, 'probing')?.rule.document.Severity, 'low');
  assert.equal(e.remove(ACCOUNT, 'probing'), true);
  assert.equal(e.remove(ACCOUNT, 'probing'), false);
});
