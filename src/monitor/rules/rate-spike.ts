// RateSpike: calls per key (and per value of one context key) over a sliding window, against that
// series' own baseline. The window is ten buckets; each time a bucket closes, the window's count
// feeds an exponentially weighted average (memory: BaselineWindows windows). A series alerts when
// its baseline has that much history, the window holds at least MinCount calls and more than
// Factor times the baseline; then it stays quiet for one window.

import type { RateSpikeParameters } from '../alert-rule.ts';
import { LruMap } from '../lru-map.ts';
import type { MonitoredEvent } from '../monitored-event.ts';
import { pairsOf, subjectLine, type AlertDraft, type RuleEvaluator } from './evaluator.ts';

const BUCKETS = 10;
const RECENT_IDS = 5;
const SEP = '\u0000';

interface Series {
  /** Counts per bucket, a ring indexed by bucket number mod BUCKETS. */
  b: number[];
  /** Bucket number (time / bucket length) of the newest bucket. */
  cur: number;
  /** Baseline: average calls per window. */
  base: number;
  /** Buckets closed since the series began. */
  n: number;
  quietUntil: number;
  /** Recent event ids, for evidence (not persisted). */
  ids: string[];
}

const isSeries = (v: unknown): v is Series => {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<Series>;
  return Array.isArray(s.b) && s.b.length === BUCKETS && s.b.every((x) => typeof x === 'number') && typeof s.cur === 'number' && typeof s.base === 'number' && typeof s.n === 'number' && typeof s.quietUntil === 'number';
};

export class RateSpikeEvaluator implements RuleEvaluator {
  readonly #p: RateSpikeParameters;
  readonly #windowMs: number;
  readonly #bucketMs: number;
  readonly #alpha: number;
  readonly #series: LruMap<string, Series>;

  constructor(p: RateSpikeParameters) {
    this.#p = p;
    this.#windowMs = p.WindowSeconds * 1000;
    this.#bucketMs = this.#windowMs / BUCKETS;
    this.#alpha = 1 / (BUCKETS * p.BaselineWindows);
    this.#series = new LruMap(p.MaxEntries);
  }

  get entries(): number {
    return this.#series.size;
  }

  get evictions(): number {
    return this.#series.evictions;
  }

  evaluate(ev: MonitoredEvent): AlertDraft | undefined {
    if (ev.errorCode !== undefined || ev.keyArn === undefined) return undefined;
    const ctxKey = this.#p.ContextKey;
    let value: string | undefined;
    if (ctxKey !== undefined) {
      value = ev.uses.find((u) => u.keyArn === ev.keyArn && u.context[ctxKey] !== undefined)?.context[ctxKey];
      if (value === undefined) return undefined;
    }
    const id = value === undefined ? ev.keyArn : ev.keyArn + SEP + value;
    const bucket = Math.floor(ev.time / this.#bucketMs);
    let s = this.#series.get(id);
    if (!s) {
      s = { b: new Array<number>(BUCKETS).fill(0), cur: bucket, base: 0, n: 0, quietUntil: 0, ids: [] };
      this.#series.set(id, s);
    } else this.#advance(s, bucket);
    s.b[((s.cur % BUCKETS) + BUCKETS) % BUCKETS]! += 1;
    s.ids.push(ev.eventId);
    if (s.ids.length > RECENT_IDS) s.ids.shift();
    const count = s.b.reduce((a, x) => a + x, 0);
    const established = s.n >= BUCKETS * this.#p.BaselineWindows;
    if (!established || count < this.#p.MinCount || !(count > this.#p.Factor * s.base) || ev.time < s.quietUntil) return undefined;
    s.quietUntil = ev.time + this.#windowMs;
    const what = value === undefined ? `key ${ev.keyArn}` : `key ${ev.keyArn} with ${ctxKey}=${value}`;
    const baseline = Math.round(s.base * 100) / 100;
    return {
      time: ev.time,
      summary: `Rate spike on ${what}: ${count} calls in ${this.#p.WindowSeconds}s against a baseline of ${baseline}`,
      subject: subjectLine(ev),
      evidence: {
        eventIds: [...s.ids],
        count,
        windowStart: ev.time - this.#windowMs,
        windowEnd: ev.time,
        details: { baseline, factor: this.#p.Factor, ...(ctxKey !== undefined && value !== undefined ? { contextKey: ctxKey, contextValue: value } : {}) },
      },
    };
  }

  /** Closes buckets up to `bucket`, each feeding the baseline; an older event lands in the newest bucket. */
  #advance(s: Series, bucket: number): void {
    const steps = bucket - s.cur;
    if (steps <= 0) return;
    const exact = Math.min(steps, BUCKETS);
    for (let i = 0; i < exact; i++) {
      this.#close(s, s.b.reduce((a, x) => a + x, 0));
      s.cur++;
      s.b[((s.cur % BUCKETS) + BUCKETS) % BUCKETS] = 0;
    }
    // Past a whole window of silence every further closed window counted zero: decay in one step.
    const rest = steps - exact;
    if (rest > 0) {
      s.base *= Math.pow(1 - this.#alpha, rest);
      s.n += rest;
      s.cur = bucket;
    }
  }

  #close(s: Series, windowCount: number): void {
    s.base = s.n === 0 ? windowCount : s.base + this.#alpha * (windowCount - s.base);
    s.n++;
  }

  snapshot(): unknown {
    return [...this.#series.entries()].map(([k, s]) => [k, { b: s.b, cur: s.cur, base: s.base, n: s.n, quietUntil: s.quietUntil }]);
  }

  restore(state: unknown): void {
    for (const [k, s] of pairsOf(state, isSeries)) this.#series.set(k, { b: [...s.b], cur: s.cur, base: s.base, n: s.n, quietUntil: s.quietUntil, ids: [] });
  }
}
