// Raises alerts (store, log, metrics, webhooks) and answers for them (list, acknowledge). An
// alert is stored before any delivery starts, with a `pending` delivery per webhook, so a
// delivery interrupted by a restart resumes.

import type { Logger } from 'pino';
import type { AlertQuery, AlertRepository } from '../store/alert-repository.ts';
import { alertToWire, newAlertId, type AlertRecord, type DeliveryStatus } from './alert-record.ts';
import type { StoredAlertRule } from './alert-rule.ts';
import type { LimitedDraft } from './compiled-rule.ts';
import type { KontextMetrics } from './metrics.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';

export interface AlertServiceOptions {
  readonly repo: AlertRepository;
  readonly dispatcher: WebhookDispatcher;
  readonly metrics: KontextMetrics;
  readonly log: Pick<Logger, 'warn' | 'error' | 'info'>;
  readonly now: () => number;
}

/** The webhook body: the alert, without its (changing) delivery status. */
export const webhookBody = (a: AlertRecord): string => JSON.stringify({ Type: 'KontextAlert', Alert: alertToWire(a, false) });

export class AlertService {
  readonly #o: AlertServiceOptions;

  constructor(o: AlertServiceOptions) {
    this.#o = o;
  }

  async raise(rule: StoredAlertRule, draft: LimitedDraft): Promise<AlertRecord> {
    const d = rule.document;
    const hooks = (d.Webhooks ?? this.#o.dispatcher.webhookNames).filter((n) => this.#o.dispatcher.webhookNames.includes(n));
    const alert: AlertRecord = {
      alertId: newAlertId(this.#o.now()),
      accountId: rule.accountId,
      ruleName: d.RuleName,
      ruleKind: d.Kind,
      severity: d.Severity,
      createdAt: this.#o.now(),
      summary: draft.summary,
      subject: draft.subject,
      evidence: draft.evidence,
      suppressedBefore: draft.suppressedBefore,
      deliveries: hooks.map((webhook) => ({ webhook, state: 'pending', attempts: 0 })),
    };
    await this.#o.repo.insertAlert(alert);
    this.#o.metrics.alertRaised(d.Kind, d.Severity);
    this.#o.log.warn({ alert: { id: alert.alertId, rule: d.RuleName, kind: d.Kind, severity: d.Severity, accountId: alert.accountId, ...alert.subject, evidence: alert.evidence } }, `alert: ${alert.summary}`);
    if (hooks.length > 0) this.#o.dispatcher.deliver(alert.alertId, webhookBody(alert), hooks);
    return alert;
  }

  recordDelivery(alertId: string, status: DeliveryStatus): Promise<void> {
    return this.#o.repo.putDelivery(alertId, status);
  }

  /** Re-queues deliveries left pending by the last run; a webhook no longer configured fails them. */
  async resumeDeliveries(limit = 1000): Promise<number> {
    const names = this.#o.dispatcher.webhookNames;
    let resumed = 0;
    for (const alert of await this.#o.repo.pendingDeliveries(limit)) {
      for (const d of alert.deliveries) {
        if (d.state !== 'pending') continue;
        if (!names.includes(d.webhook)) {
          await this.#o.repo.putDelivery(alert.alertId, { ...d, state: 'failed', lastError: 'the webhook is no longer configured' });
          continue;
        }
        this.#o.dispatcher.deliver(alert.alertId, webhookBody(alert), [d.webhook], { [d.webhook]: d.attempts });
        resumed++;
      }
    }
    if (resumed > 0) this.#o.log.info({ deliveries: resumed }, 'alerts: resuming webhook deliveries left pending');
    return resumed;
  }

  list(q: AlertQuery): Promise<AlertRecord[]> {
    return this.#o.repo.listAlerts(q);
  }

  get(accountId: string, alertId: string): Promise<AlertRecord | undefined> {
    return this.#o.repo.getAlert(accountId, alertId);
  }

  acknowledge(accountId: string, alertId: string, by: string, note: string | undefined): Promise<AlertRecord | undefined> {
    return this.#o.repo.acknowledge(accountId, alertId, { at: this.#o.now(), by, ...(note !== undefined ? { note } : {}) });
  }

  countOpen(): Promise<Record<string, number>> {
    return this.#o.repo.countOpen();
  }
}
