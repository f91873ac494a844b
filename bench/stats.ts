// Latency statistics for the load generator: a growable sample buffer (exact percentiles, no
// histogram error) and the summary the bench reports. Samples are microseconds.

export class LatencySamples {
  #buf: Float64Array;
  #n = 0;

  constructor(initialCapacity = 1 << 16) {
    this.#buf = new Float64Array(initialCapacity);
  }

  add(micros: number): void {
    if (this.#n === this.#buf.length) {
      const bigger = new Float64Array(this.#buf.length * 2);
      bigger.set(this.#buf);
      this.#buf = bigger;
    }
    this.#buf[this.#n++] = micros;
  }

  get count(): number {
    return this.#n;
  }

  /** The samples in ascending order (a copy). */
  sorted(): Float64Array {
    return this.#buf.slice(0, this.#n).sort();
  }
}

export interface LatencySummary {
  readonly count: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of ascending samples; `p` in (0, 100]. NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(samples: LatencySamples): LatencySummary {
  const s = samples.sorted();
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i] as number;
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    count: s.length,
    p50: ms(percentile(s, 50)),
    p90: ms(percentile(s, 90)),
    p99: ms(percentile(s, 99)),
    max: ms(s.length ? (s[s.length - 1] as number) : Number.NaN),
    mean: ms(s.length ? sum / s.length : Number.NaN),
  };
}
