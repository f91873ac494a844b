// Monitoring settings, from the environment (KONTEXT_ALERT_*, KONTEXT_WEBHOOK_*, KONTEXT_MONITOR_*,
// KONTEXT_METRICS), with their defaults and their checks.

export interface MonitorSettings {
  /** JSON file of webhooks and alert rules ('' for none). */
  readonly rulesFile: string;
  /** Audit events waiting for evaluation; beyond it events are dropped and counted. */
  readonly queueSize: number;
  /** How often learned rule state is saved (it is also saved at shutdown). */
  readonly stateSaveSeconds: number;
  readonly webhookTimeoutSeconds: number;
  /** First retry delay; each further retry doubles it (capped at webhookRetryMaxMs). */
  readonly webhookRetryBaseMs: number;
  readonly webhookRetryMaxMs: number;
  readonly webhookMaxAttempts: number;
  /** Serve /metrics. */
  readonly metrics: boolean;
  /**
   * Opt-in context-value labels (KONTEXT_METRICS_CONTEXT_LABELS, JSON `{"<key id or ARN>": ["tenant"]}`):
   * for these keys, kontext_context_requests_total counts calls per value of these context keys.
   */
  readonly contextLabels?: Readonly<Record<string, readonly string[]>>;
  /** Why KONTEXT_METRICS_CONTEXT_LABELS could not be read (reported by checkMonitorSettings). */
  readonly contextLabelsProblem?: string;
}

/** Reads KONTEXT_METRICS_CONTEXT_LABELS: a JSON object of key id (or key ARN) → context keys. */
export function parseContextLabels(text: string): { labels: Record<string, string[]> } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { problem: `KONTEXT_METRICS_CONTEXT_LABELS is not JSON: ${(err as Error).message}` };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { problem: 'KONTEXT_METRICS_CONTEXT_LABELS must be a JSON object of key id to a list of context keys' };
  const labels: Record<string, string[]> = {};
  for (const [key, v] of Object.entries(doc as Record<string, unknown>)) {
    if (key === '' || !Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x !== '')) {
      return { problem: `KONTEXT_METRICS_CONTEXT_LABELS: ${JSON.stringify(key)} must map to a non-empty list of context keys` };
    }
    labels[key] = [...new Set(v as string[])];
  }
  return { labels };
}

export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  rulesFile: '',
  queueSize: 10_000,
  stateSaveSeconds: 30,
  webhookTimeoutSeconds: 5,
  webhookRetryBaseMs: 1000,
  webhookRetryMaxMs: 300_000,
  webhookMaxAttempts: 6,
  metrics: true,
};

export function monitorSettingsFromEnv(env: Record<string, string | undefined>, base: MonitorSettings = DEFAULT_MONITOR_SETTINGS): MonitorSettings {
  const num = (name: string, d: number): number => {
    const v = env[name];
    return v === undefined || v === '' ? d : Number(v);
  };
  const metrics = env['KONTEXT_METRICS'];
  const labelsText = env['KONTEXT_METRICS_CONTEXT_LABELS'];
  const labels = labelsText === undefined || labelsText.trim() === '' ? undefined : parseContextLabels(labelsText);
  const contextLabels = labels === undefined ? (base.contextLabels ? { contextLabels: base.contextLabels } : {}) : 'labels' in labels ? { contextLabels: labels.labels } : { contextLabelsProblem: labels.problem };
  return {
    ...contextLabels,
    rulesFile: env['KONTEXT_ALERT_RULES_FILE'] ?? base.rulesFile,
    queueSize: num('KONTEXT_MONITOR_QUEUE_SIZE', base.queueSize),
    stateSaveSeconds: num('KONTEXT_ALERT_STATE_SAVE_SECONDS', base.stateSaveSeconds),
    webhookTimeoutSeconds: num('KONTEXT_WEBHOOK_TIMEOUT_SECONDS', base.webhookTimeoutSeconds),
    webhookRetryBaseMs: num('KONTEXT_WEBHOOK_RETRY_BASE_MS', base.webhookRetryBaseMs),
    webhookRetryMaxMs: num('KONTEXT_WEBHOOK_RETRY_MAX_MS', base.webhookRetryMaxMs),
    webhookMaxAttempts: num('KONTEXT_WEBHOOK_MAX_ATTEMPTS', base.webhookMaxAttempts),
    metrics: metrics === undefined || metrics === '' ? base.metrics : !['off', 'false', '0', 'no'].includes(metrics.toLowerCase()),
  };
}

export function checkMonitorSettings(s: MonitorSettings): string[] {
  const problems: string[] = [];
  if (!(Number.isInteger(s.queueSize) && s.queueSize >= 1)) problems.push(`monitor queue size must be a positive integer: ${s.queueSize}`);
  if (!(s.stateSaveSeconds > 0)) problems.push(`alert state save interval must be positive: ${s.stateSaveSeconds}`);
  if (!(s.webhookTimeoutSeconds > 0)) problems.push(`webhook timeout must be positive: ${s.webhookTimeoutSeconds}`);
  if (!(s.webhookRetryBaseMs >= 0)) problems.push(`webhook retry delay must be 0 or more ms: ${s.webhookRetryBaseMs}`);
  if (!(s.webhookRetryMaxMs >= s.webhookRetryBaseMs)) problems.push(`webhook maximum retry delay must be at least the first: ${s.webhookRetryMaxMs}`);
  if (!(Number.isInteger(s.webhookMaxAttempts) && s.webhookMaxAttempts >= 1)) problems.push(`webhook attempts must be a positive integer: ${s.webhookMaxAttempts}`);
  if (s.contextLabelsProblem !== undefined) problems.push(s.contextLabelsProblem);
  return problems;
}
