// SQLite migration 7: monitoring — alert rules from the API, learned rule state, alerts.

export const ALERT_MIGRATION = {
  version: 7,
  description: 'monitoring: alert rules, learned rule state, alerts and deliveries',
  sql: `
    CREATE TABLE alert_rules (
      account_id TEXT NOT NULL,
      name TEXT NOT NULL,
      doc TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (account_id, name)
    );
    CREATE TABLE alert_rule_state (
      account_id TEXT NOT NULL,
      name TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      saved_at INTEGER NOT NULL,
      state TEXT,
      PRIMARY KEY (account_id, name)
    );
    CREATE TABLE alerts (
      alert_id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL,
      rule_name TEXT NOT NULL,
      kind TEXT NOT NULL,
      severity TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      key_arn TEXT,
      acknowledged INTEGER NOT NULL DEFAULT 0,
      pending_deliveries INTEGER NOT NULL DEFAULT 0,
      doc TEXT NOT NULL
    );
    CREATE INDEX alerts_account ON alerts (account_id, alert_id);
    CREATE INDEX alerts_pending ON alerts (alert_id) WHERE pending_deliveries > 0;
  `,
} as const;
