// Storage for monitoring (src/monitor): alert rules defined through the API, the learned state
// of every rule (saved periodically and at shutdown), alerts, and their webhook deliveries.

import type { StoredAlertRule } from '../monitor/alert-rule.ts';
import type { Acknowledgement, AlertRecord, DeliveryStatus } from '../monitor/alert-record.ts';

export interface RuleStateRow {
  readonly accountId: string;
  readonly ruleName: string;
  /** The rule definition the state was learned under (src/monitor/compiled-rule.ts). */
  readonly fingerprint: string;
  /** Epoch ms that definition took effect: a file rule's learning period survives restarts. */
  readonly createdAt: number;
  readonly savedAt: number;
  /** JSON of the evaluator's snapshot; null for a kind that learns nothing. */
  readonly state: string | null;
}

export interface AlertQuery {
  readonly accountId: string;
  readonly ruleName?: string | undefined;
  readonly kind?: string | undefined;
  readonly severity?: string | undefined;
  readonly acknowledged?: boolean | undefined;
  readonly keyArn?: string | undefined;
  /** Inclusive epoch ms bounds on creation time. */
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  /** Alerts with ids below this (the previous page's last id); newest first. */
  readonly before?: string | undefined;
  readonly limit: number;
}

export interface AlertRepository {
  /** Creates or replaces the rule (account, name). */
  putRule(rule: StoredAlertRule): Promise<void>;
  /** True when a rule was deleted; its learned state goes with it. */
  deleteRule(accountId: string, name: string): Promise<boolean>;
  /** Every API-defined rule, all accounts. */
  listRules(): Promise<StoredAlertRule[]>;

  /** Writes the states in one transaction. */
  saveStates(rows: readonly RuleStateRow[]): Promise<void>;
  loadStates(): Promise<RuleStateRow[]>;
  deleteState(accountId: string, name: string): Promise<void>;

  insertAlert(alert: AlertRecord): Promise<void>;
  getAlert(accountId: string, alertId: string): Promise<AlertRecord | undefined>;
  listAlerts(q: AlertQuery): Promise<AlertRecord[]>;
  /** Records the acknowledgement unless one exists; returns the alert as stored, undefined if none. */
  acknowledge(accountId: string, alertId: string, ack: Acknowledgement): Promise<AlertRecord | undefined>;
  /** Sets one webhook's delivery status on an alert (any account). */
  putDelivery(alertId: string, status: DeliveryStatus): Promise<void>;
  /** Alerts with a delivery still pending (resumed at start-up), oldest first. */
  pendingDeliveries(limit: number): Promise<AlertRecord[]>;
  /** Unacknowledged alerts by severity, for the metrics. */
  countOpen(): Promise<Record<string, number>>;
}
