// Prometheus metrics (prom-client, a registry of our own). Label sets are small and fixed: service,
// operation (only registered operations; anything else is `unknown`), outcome and error code —
// never a key id, a principal or a context value. The request path records through bound
// children (bound-metrics.ts) found in nested maps: two map lookups and a few additions, no
// strings built.

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { BoundCounter, BoundHistogram, CounterFamily, HistogramFamily } from './bound-metrics.ts';

export const UNKNOWN_OPERATION = 'unknown';

interface OperationChildren {
  readonly ok: BoundCounter;
  readonly errors: Map<string, BoundCounter>;
  readonly duration: BoundHistogram;
}

/** Values read when Prometheus scrapes, not kept up to date per request. */
export interface ScrapeSources {
  keyStates?(): Promise<Record<string, number>>;
  openAlerts?(): Promise<Record<string, number>>;
  queueDepth?(): number;
  ruleStateEntries?(): number;
  ruleStateEvictions?(): number;
}

const SCRAPE_CACHE_MS = 5_000;

export class KontextMetrics {
  readonly registry = new Registry();
  readonly #requests: CounterFamily;
  readonly #duration: HistogramFamily;
  readonly #byService = new Map<string, Map<string, OperationChildren>>();
  readonly #auditCommit: BoundHistogram;
  readonly #auditBatch: BoundHistogram;
  readonly #auditFailures: BoundCounter;
  readonly #policyAllow: BoundHistogram;
  readonly #policyDeny: BoundHistogram;
  readonly #alerts: Counter<'kind' | 'severity'>;
  readonly #suppressed: Counter<'kind'>;
  readonly #dropped: Counter;
  readonly #evaluated: Counter;
  readonly #deliveries: Counter<'webhook' | 'result'>;
  #sources: ScrapeSources = {};
  #lastAuditOk = true;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'kontext_' });
    const reg = this.registry;
    this.#requests = new CounterFamily(reg, 'kontext_requests_total', 'API calls by service, operation, outcome (ok, error) and AWS error code');
    this.#duration = new HistogramFamily(reg, 'kontext_request_duration_seconds', 'Time from receiving a call to its audit event being durable, by operation', [
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]);
    this.#auditCommit = new HistogramFamily(reg, 'kontext_audit_commit_duration_seconds', 'Time to make one batch of audit events durable', [
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    ]).child({});
    this.#auditBatch = new HistogramFamily(reg, 'kontext_audit_batch_size', 'Audit events per group commit', [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]).child({});
    this.#auditFailures = new CounterFamily(reg, 'kontext_audit_commit_failures_total', 'Audit batches that failed to commit (their requests failed)').child({});
    const policy = new HistogramFamily(reg, 'kontext_policy_evaluation_duration_seconds', 'Time to authorize one action (key policy, identity policies, grants), by decision', [
      0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05,
    ]);
    this.#policyAllow = policy.child({ decision: 'allow' });
    this.#policyDeny = policy.child({ decision: 'deny' });
    this.#alerts = new Counter({ name: 'kontext_alerts_total', help: 'Alerts raised, by rule kind and severity', labelNames: ['kind', 'severity'], registers });
    this.#suppressed = new Counter({ name: 'kontext_alerts_suppressed_total', help: "Alerts held back by their rule's hourly limit", labelNames: ['kind'], registers });
    this.#dropped = new Counter({ name: 'kontext_monitor_events_dropped_total', help: 'Audit events not evaluated by alert rules because the queue was full', registers });
    this.#evaluated = new Counter({ name: 'kontext_monitor_events_evaluated_total', help: 'Audit events evaluated by alert rules', registers });
    this.#deliveries = new Counter({ name: 'kontext_webhook_deliveries_total', help: 'Webhook delivery attempts by webhook and result (delivered, retry, failed, dropped)', labelNames: ['webhook', 'result'], registers });
    const sources = () => this.#sources;
    const cached = <T>(read: () => Promise<T> | undefined) => {
      let at = 0;
      let value: T | undefined;
      return async (): Promise<T | undefined> => {
        const now = Date.now();
        if (value === undefined || now - at > SCRAPE_CACHE_MS) {
          value = await read();
          at = now;
        }
        return value;
      };
    };
    const keyStates = cached(() => sources().keyStates?.());
    const openAlerts = cached(() => sources().openAlerts?.());
    new Gauge({
      name: 'kontext_keys',
      help: 'KMS keys by key state (all accounts and regions)',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries((await keyStates()) ?? {})) this.labels(state).set(n);
      },
    });
    new Gauge({
      name: 'kontext_alerts_open',
      help: 'Alerts not yet acknowledged, by severity',
      labelNames: ['severity'],
      registers,
      async collect() {
        this.reset();
        for (const [severity, n] of Object.entries((await openAlerts()) ?? {})) this.labels(severity).set(n);
      },
    });
    new Gauge({ name: 'kontext_monitor_queue_depth', help: 'Audit events waiting for alert evaluation', registers, collect() { this.set(sources().queueDepth?.() ?? 0); } });
    new Gauge({ name: 'kontext_monitor_state_entries', help: 'Entries held by alert rules (learned values, baselines, counters)', registers, collect() { this.set(sources().ruleStateEntries?.() ?? 0); } });
    new Gauge({ name: 'kontext_monitor_state_evictions', help: 'Least recently used entries alert rules evicted to stay within MaxEntries', registers, collect() { this.set(sources().ruleStateEvictions?.() ?? 0); } });
  }

  setSources(s: ScrapeSources): void {
    this.#sources = s;
  }

  /** One finished API call. `operation` must be a registered name (or UNKNOWN_OPERATION). */
  requestDone(service: string, operation: string, errorCode: string | undefined, ms: number): void {
    let ops = this.#byService.get(service);
    if (!ops) this.#byService.set(service, (ops = new Map()));
    let c = ops.get(operation);
    if (!c) {
      c = { ok: this.#requests.child({ service, operation, outcome: 'ok', error_code: '' }), errors: new Map(), duration: this.#duration.child({ service, operation }) };
      ops.set(operation, c);
    }
    if (errorCode === undefined) c.ok.inc();
    else {
      let e = c.errors.get(errorCode);
      if (!e) c.errors.set(errorCode, (e = this.#requests.child({ service, operation, outcome: 'error', error_code: errorCode })));
      e.inc();
    }
    c.duration.observe(ms / 1000);
  }

  policyEvaluated(seconds: number, allowed: boolean): void {
    (allowed ? this.#policyAllow : this.#policyDeny).observe(seconds);
  }

  auditBatch(events: number, seconds: number, ok: boolean): void {
    this.#lastAuditOk = ok;
    if (!ok) {
      this.#auditFailures.inc();
      return;
    }
    this.#auditCommit.observe(seconds);
    this.#auditBatch.observe(events);
  }

  /** False while the last audit batch failed to commit (readiness). */
  get auditHealthy(): boolean {
    return this.#lastAuditOk;
  }

  alertRaised(kind: string, severity: string): void {
    this.#alerts.labels(kind, severity).inc();
  }

  alertSuppressed(kind: string): void {
    this.#suppressed.labels(kind).inc();
  }

  eventsDropped(n: number): void {
    this.#dropped.inc(n);
  }

  eventsEvaluated(n: number): void {
    this.#evaluated.inc(n);
  }

  delivery(webhook: string, result: 'delivered' | 'retry' | 'failed' | 'dropped'): void {
    this.#deliveries.labels(webhook, result).inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
