// The context usage report (Kontext.GetContextUsage, `kontext audit contexts`): which encryption
// context keys a key's successful calls used, how many distinct values each had, and a few
// sample values (never one the secret detector flags, nor a redaction marker), so a team can
// write a context schema from real traffic.

import { detectSecrets } from '../detect/detect-secrets.ts';
import type { CloudTrailEvent } from './cloudtrail-event.ts';
import { CONTEXT_PARAMETERS } from './event-index.ts';

export const MAX_SAMPLE_VALUES = 5;
/** Distinct values tracked per key; past it the count is a lower bound (`DistinctValuesCapped`). */
export const MAX_DISTINCT_TRACKED = 100_000;

export interface ContextKeyUsage {
  readonly key: string;
  readonly distinctValues: number;
  readonly distinctValuesCapped: boolean;
  /** Events whose context had this key. */
  readonly events: number;
  readonly sampleValues: readonly string[];
}

interface KeyStats {
  values: Set<string>;
  capped: boolean;
  events: number;
  samples: string[];
}

const REDACTED = /^\[REDACTED:[^\]]+\](#\d+)?$/;

export class ContextUsageAggregator {
  readonly #keys = new Map<string, KeyStats>();
  #events = 0;

  /** Events added (successful or not). */
  get scanned(): number {
    return this.#events;
  }

  /** Counts the contexts of one event; failed calls (errorCode) are skipped: they are not traffic that worked. */
  add(event: CloudTrailEvent): void {
    this.#events++;
    if (event.errorCode !== undefined) return;
    const params = event.requestParameters;
    if (!params) return;
    const seen = new Map<string, Set<string>>();
    for (const name of CONTEXT_PARAMETERS) {
      const ctx = params[name];
      if (ctx === null || typeof ctx !== 'object' || Array.isArray(ctx)) continue;
      for (const [k, v] of Object.entries(ctx as Record<string, unknown>)) {
        if (typeof v !== 'string' || REDACTED.test(k)) continue;
        let values = seen.get(k);
        if (!values) seen.set(k, (values = new Set()));
        values.add(v);
      }
    }
    for (const [k, values] of seen) {
      let stats = this.#keys.get(k);
      if (!stats) this.#keys.set(k, (stats = { values: new Set(), capped: false, events: 0, samples: [] }));
      stats.events++;
      for (const v of values) {
        if (stats.values.has(v)) continue;
        if (stats.values.size >= MAX_DISTINCT_TRACKED) {
          stats.capped = true;
          continue;
        }
        stats.values.add(v);
        if (stats.samples.length < MAX_SAMPLE_VALUES && !REDACTED.test(v) && detectSecrets({ [k]: v }).length === 0) stats.samples.push(v);
      }
    }
  }

  /** Keys by name. */
  result(): ContextKeyUsage[] {
    return [...this.#keys.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, s]) => ({ key, distinctValues: s.values.size, distinctValuesCapped: s.capped, events: s.events, sampleValues: [...s.samples] }));
  }
}
