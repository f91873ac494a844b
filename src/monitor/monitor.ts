// Monitoring, assembled: metrics, the alert rules engine fed by the audit trail, alerts and
// their webhook deliveries, readiness. Opened before the server takes requests, closed after the
// audit trail (so the last committed events are evaluated) and before the store.

import type { Logger } from 'pino';
import type { AuditObserver } from '../audit/audit-sink.ts';
import type { Store } from '../store/store.ts';
import { AlertService } from './alert-service.ts';
import { ContextLabelCounter } from './context-labels.ts';
import { KontextMetrics } from './metrics.ts';
import type { MonitorSettings } from './monitor-settings.ts';
import { checkReadiness, type Readiness } from './readiness.ts';
import { RuleEngine } from './rule-engine.ts';
import { loadRuleFile, type RuleFile } from './rule-file.ts';
import { RuleRegistry } from './rule-registry.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';

export interface OpenMonitorOptions {
  readonly store: Store;
  readonly settings: MonitorSettings;
  /** The account file rules belong to unless the file names one. */
  readonly accountId: string;
  readonly log: Logger;
  readonly now: () => number;
  readonly env: Record<string, string | undefined>;
  /** Whether an audit trail feeds the rules (readiness checks it). */
  readonly auditEnabled: boolean;
  /** Process metrics (event loop, memory, GC); off in unit tests. */
  readonly defaultMetrics?: boolean;
  readonly fetch?: typeof fetch;
}

const DELIVERY_GRACE_MS = 2000;

export class Monitor {
  readonly settings: MonitorSettings;
  readonly log: Logger;
  readonly metrics: KontextMetrics;
  readonly engine: RuleEngine;
  readonly rules: RuleRegistry;
  readonly alerts: AlertService;
  readonly #store: Store;
  readonly #dispatcher: WebhookDispatcher;
  readonly #auditEnabled: boolean;
  #saveTimer: NodeJS.Timeout | undefined;
  #saving: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** Hand this to the audit trail: committed batches are queued for the rules, commits timed. */
  readonly auditObserver: AuditObserver;

  private constructor(o: OpenMonitorOptions, file: RuleFile | undefined) {
    this.settings = o.settings;
    this.log = o.log;
    this.#store = o.store;
    this.#auditEnabled = o.auditEnabled;
    const metrics = (this.metrics = new KontextMetrics({ defaultMetrics: o.defaultMetrics ?? true }));
    let alerts: AlertService | undefined;
    const labelConfig = o.settings.contextLabels;
    const contextLabels = labelConfig && Object.keys(labelConfig).length > 0 ? new ContextLabelCounter(metrics.registry, labelConfig) : undefined;
    this.#dispatcher = new WebhookDispatcher({
      webhooks: file?.webhooks ?? [],
      timeoutMs: o.settings.webhookTimeoutSeconds * 1000,
      baseDelayMs: o.settings.webhookRetryBaseMs,
      maxDelayMs: o.settings.webhookRetryMaxMs,
      maxAttempts: o.settings.webhookMaxAttempts,
      record: (id, status) => (alerts as AlertService).recordDelivery(id, status),
      onResult: (hook, result) => metrics.delivery(hook, result),
      log: o.log,
      now: o.now,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    alerts = this.alerts = new AlertService({ repo: o.store.alerts, dispatcher: this.#dispatcher, metrics, log: o.log, now: o.now });
    this.engine = new RuleEngine({
      queueSize: o.settings.queueSize,
      raise: async (rule, draft) => void (await this.alerts.raise(rule, draft)),
      onSuppressed: (rule) => metrics.alertSuppressed(rule.document.Kind),
      onDropped: (n) => metrics.eventsDropped(n),
      onEvaluated: (n) => metrics.eventsEvaluated(n),
      ...(contextLabels ? { onEvent: (ev) => contextLabels.observe(ev) } : {}),
      log: o.log,
    });
    this.rules = new RuleRegistry({ repo: o.store.alerts, engine: this.engine, webhookNames: this.#dispatcher.webhookNames, now: o.now, log: o.log });
    const engine = this.engine;
    this.auditObserver = {
      committed: (events) => engine.enqueue(events),
      batchWritten: (n, seconds, ok) => metrics.auditBatch(n, seconds, ok),
    };
    metrics.setSources({
      keyStates: () => o.store.keys.countByState(),
      openAlerts: () => this.alerts.countOpen(),
      queueDepth: () => engine.queueDepth,
      ruleStateEntries: () => engine.stateEntries,
      ruleStateEvictions: () => engine.stateEvictions,
    });
  }

  static async open(o: OpenMonitorOptions): Promise<Monitor> {
    const file = o.settings.rulesFile ? loadRuleFile(o.settings.rulesFile, o.env) : undefined;
    const m = new Monitor(o, file);
    await m.rules.load(file, o.accountId);
    await m.alerts.resumeDeliveries();
    const rules = m.engine.rules();
    if (rules.length > 0 || file) o.log.info({ rules: rules.length, webhooks: file?.webhooks.length ?? 0, rulesFile: o.settings.rulesFile || undefined }, 'alert rules loaded');
    m.#saveTimer = setInterval(() => m.#periodicSave(), o.settings.stateSaveSeconds * 1000);
    m.#saveTimer.unref();
    return m;
  }

  #periodicSave(): void {
    this.#saving = this.#saving
      .then(() => this.rules.saveState(false))
      .catch((err: unknown) => this.log.error({ err }, 'saving alert rule state failed'));
  }

  readiness(): Promise<Readiness> {
    return checkReadiness({
      store: () => this.#store.meta.get('kontext:readyz'),
      ...(this.#auditEnabled ? { audit: () => this.#store.audit.ready() } : {}),
      auditHealthy: () => this.metrics.auditHealthy,
    });
  }

  /** Evaluates every queued event (tests, shutdown). */
  drain(): Promise<void> {
    return this.engine.drain();
  }

  /** Evaluates what is queued, saves all learned state, and stops deliveries (pending ones resume at the next start). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#saveTimer);
    await this.engine.drain().catch((err: unknown) => this.log.error({ err }, 'alert rules: final evaluation failed'));
    await this.#saving;
    await this.rules.saveState(true).catch((err: unknown) => this.log.error({ err }, 'saving alert rule state at shutdown failed'));
    await this.#dispatcher.close(DELIVERY_GRACE_MS);
  }
}

export const openMonitor = (o: OpenMonitorOptions): Promise<Monitor> => Monitor.open(o);
