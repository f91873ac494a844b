// The SQLite AlertRepository. Alerts are stored as JSON with the columns the listing filters on;
// delivery updates rewrite the document in one synchronous transaction, so they never interleave.

import type { StoredAlertRule } from '../../monitor/alert-rule.ts';
import type { AlertRecord, DeliveryStatus } from '../../monitor/alert-record.ts';
import type { AlertRepository, RuleStateRow } from '../alert-repository.ts';
import type { SqliteDatabase } from './sqlite-store.ts';

interface RuleRow {
  account_id: string;
  name: string;
  doc: string;
  created_at: number;
  updated_at: number;
}

interface StateRow {
  account_id: string;
  name: string;
  fingerprint: string;
  created_at: number;
  saved_at: number;
  state: string | null;
}

const pendingCount = (a: AlertRecord): number => a.deliveries.filter((d) => d.state === 'pending').length;

export function sqliteAlertRepository(db: SqliteDatabase): AlertRepository {
  const upsertRule = db.prepare(
    `INSERT INTO alert_rules (account_id, name, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, name) DO UPDATE SET doc = excluded.doc, created_at = excluded.created_at, updated_at = excluded.updated_at`,
  );
  const removeRule = db.prepare('DELETE FROM alert_rules WHERE account_id = ? AND name = ?');
  const removeState = db.prepare('DELETE FROM alert_rule_state WHERE account_id = ? AND name = ?');
  const allRules = db.prepare('SELECT * FROM alert_rules ORDER BY account_id, name');
  const upsertState = db.prepare(
    `INSERT INTO alert_rule_state (account_id, name, fingerprint, created_at, saved_at, state) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, name) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, saved_at = excluded.saved_at, state = excluded.state`,
  );
  const allStates = db.prepare('SELECT * FROM alert_rule_state');
  const insertAlert = db.prepare(
    'INSERT INTO alerts (alert_id, account_id, rule_name, kind, severity, created_at, key_arn, acknowledged, pending_deliveries, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const selectAlert = db.prepare('SELECT doc FROM alerts WHERE alert_id = ?').pluck();
  const selectAccountAlert = db.prepare('SELECT doc FROM alerts WHERE account_id = ? AND alert_id = ?').pluck();
  const updateAlert = db.prepare('UPDATE alerts SET acknowledged = ?, pending_deliveries = ?, doc = ? WHERE alert_id = ?');
  const list = db
    .prepare(
      `SELECT doc FROM alerts WHERE account_id = ? AND alert_id < ?
         AND (? IS NULL OR rule_name = ?) AND (? IS NULL OR kind = ?) AND (? IS NULL OR severity = ?)
         AND (? IS NULL OR acknowledged = ?) AND (? IS NULL OR key_arn = ?)
         AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR created_at <= ?)
       ORDER BY alert_id DESC LIMIT ?`,
    )
    .pluck();
  const pending = db.prepare('SELECT doc FROM alerts WHERE pending_deliveries > 0 ORDER BY alert_id LIMIT ?').pluck();
  const open = db.prepare('SELECT severity, count(*) AS n FROM alerts WHERE acknowledged = 0 GROUP BY severity');

  const write = (a: AlertRecord) => updateAlert.run(a.acknowledged ? 1 : 0, pendingCount(a), JSON.stringify(a), a.alertId);
  const saveAll = db.transaction((rows: readonly RuleStateRow[]) => {
    for (const r of rows) upsertState.run(r.accountId, r.ruleName, r.fingerprint, r.createdAt, r.savedAt, r.state);
  });
  const deleteRuleAndState = db.transaction((accountId: string, name: string) => {
    removeState.run(accountId, name);
    return removeRule.run(accountId, name).changes > 0;
  });
  const setDelivery = db.transaction((alertId: string, status: DeliveryStatus) => {
    const doc = selectAlert.get(alertId) as string | undefined;
    if (doc === undefined) return;
    const a = JSON.parse(doc) as AlertRecord;
    const others = a.deliveries.filter((d) => d.webhook !== status.webhook);
    write({ ...a, deliveries: [...others, status].sort((x, y) => (x.webhook < y.webhook ? -1 : x.webhook > y.webhook ? 1 : 0)) });
  });
  const ack = db.transaction((accountId: string, alertId: string, value: AlertRecord['acknowledged']) => {
    const doc = selectAccountAlert.get(accountId, alertId) as string | undefined;
    if (doc === undefined) return undefined;
    const a = JSON.parse(doc) as AlertRecord;
    if (a.acknowledged) return a;
    const next: AlertRecord = { ...a, ...(value ? { acknowledged: value } : {}) };
    write(next);
    return next;
  });

  return {
    async putRule(r: StoredAlertRule) {
      upsertRule.run(r.accountId, r.document.RuleName, JSON.stringify(r.document), r.createdAt, r.updatedAt);
    },
    async deleteRule(accountId, name) {
      return deleteRuleAndState(accountId, name);
    },
    async listRules() {
      return (allRules.all() as RuleRow[]).map((r) => ({ accountId: r.account_id, source: 'api' as const, document: JSON.parse(r.doc), createdAt: r.created_at, updatedAt: r.updated_at }));
    },
    async saveStates(rows) {
      saveAll(rows);
    },
    async loadStates() {
      return (allStates.all() as StateRow[]).map((r) => ({ accountId: r.account_id, ruleName: r.name, fingerprint: r.fingerprint, createdAt: r.created_at, savedAt: r.saved_at, state: r.state }));
    },
    async deleteState(accountId, name) {
      removeState.run(accountId, name);
    },
    async insertAlert(a) {
      insertAlert.run(a.alertId, a.accountId, a.ruleName, a.ruleKind, a.severity, a.createdAt, a.subject.keyArn ?? null, a.acknowledged ? 1 : 0, pendingCount(a), JSON.stringify(a));
    },
    async getAlert(accountId, alertId) {
      const doc = selectAccountAlert.get(accountId, alertId) as string | undefined;
      return doc === undefined ? undefined : (JSON.parse(doc) as AlertRecord);
    },
    async listAlerts(q) {
      const opt = <T>(v: T | undefined): [T | null, T | null] => [v ?? null, v ?? null];
      const ackFlag = q.acknowledged === undefined ? undefined : q.acknowledged ? 1 : 0;
      const rows = list.all(
        q.accountId,
        q.before ?? '\uffff',
        ...opt(q.ruleName),
        ...opt(q.kind),
        ...opt(q.severity),
        ...opt(ackFlag),
        ...opt(q.keyArn),
        ...opt(q.from),
        ...opt(q.to),
        q.limit,
      ) as string[];
      return rows.map((d) => JSON.parse(d) as AlertRecord);
    },
    async acknowledge(accountId, alertId, value) {
      return ack(accountId, alertId, value);
    },
    async putDelivery(alertId, status) {
      setDelivery(alertId, status);
    },
    async pendingDeliveries(limit) {
      return (pending.all(limit) as string[]).map((d) => JSON.parse(d) as AlertRecord);
    },
    async countOpen() {
      const out: Record<string, number> = {};
      for (const r of open.all() as Array<{ severity: string; n: number }>) out[r.severity] = r.n;
      return out;
    },
  };
}
