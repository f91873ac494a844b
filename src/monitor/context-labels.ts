// Opt-in context-value labels: for keys named in KONTEXT_METRICS_CONTEXT_LABELS, counts calls per
// value of the configured context keys as kontext_context_requests_total{key_id, context_key,
// context_value, operation}. Counted from committed audit events (off the request path). Bounded:
// at most `maxValuesPerKey` distinct (context key, value) pairs per key, later ones counted under
// context_value="__other__"; a value the secret detector flags (or the audit trail redacted) is
// never a label, it is counted under "__redacted__".

import { Counter, type Registry } from 'prom-client';
import { detectSecrets } from '../detect/detect-secrets.ts';
import type { MonitoredEvent } from './monitored-event.ts';

export const OTHER_VALUE = '__other__';
export const REDACTED_VALUE = '__redacted__';
export const DEFAULT_MAX_VALUES_PER_KEY = 1000;

const SEP = '\u0000';
const REDACTED_PREFIX = '[REDACTED:';

/** The key id of a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`), else the input. */
const keyIdOf = (arn: string): string => {
  const i = arn.lastIndexOf(':key/');
  return i < 0 ? arn : arn.slice(i + 5);
};

export class ContextLabelCounter {
  readonly #config: ReadonlyMap<string, readonly string[]>;
  readonly #max: number;
  readonly #counter: Counter<'key_id' | 'context_key' | 'context_value' | 'operation'>;
  /** key id → distinct `context key SEP value` pairs given their own label. */
  readonly #seen = new Map<string, Set<string>>();

  constructor(registry: Registry, config: Readonly<Record<string, readonly string[]>>, maxValuesPerKey = DEFAULT_MAX_VALUES_PER_KEY) {
    this.#config = new Map(Object.entries(config));
    this.#max = maxValuesPerKey;
    this.#counter = new Counter({
      name: 'kontext_context_requests_total',
      help: 'Calls per value of configured context keys, for keys configured in KONTEXT_METRICS_CONTEXT_LABELS (bounded per key; overflow is __other__)',
      labelNames: ['key_id', 'context_key', 'context_value', 'operation'],
      registers: [registry],
    });
  }

  get enabled(): boolean {
    return this.#config.size > 0;
  }

  /** Counts one committed event's key uses. */
  observe(ev: MonitoredEvent): void {
    for (const use of ev.uses) {
      const keyId = keyIdOf(use.keyArn);
      const keys = this.#config.get(keyId) ?? this.#config.get(use.keyArn);
      if (!keys) continue;
      let flagged: Set<string> | undefined;
      const findings = detectSecrets(use.context);
      if (findings.length > 0) flagged = new Set(findings.filter((f) => !f.inKey).map((f) => f.key));
      for (const contextKey of keys) {
        const raw = use.context[contextKey];
        if (raw === undefined) continue;
        const value = raw.startsWith(REDACTED_PREFIX) || flagged?.has(contextKey) ? REDACTED_VALUE : this.#bounded(keyId, contextKey, raw);
        this.#counter.labels(keyId, contextKey, value, ev.eventName).inc();
      }
    }
  }

  #bounded(keyId: string, contextKey: string, value: string): string {
    let seen = this.#seen.get(keyId);
    if (!seen) this.#seen.set(keyId, (seen = new Set()));
    const id = contextKey + SEP + value;
    if (seen.has(id)) return value;
    if (seen.size >= this.#max) return OTHER_VALUE;
    seen.add(id);
    return value;
  }
}
