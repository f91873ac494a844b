// Counter and histogram families for the request path. prom-client's own label children hash
// their label values into a string on every increment; these children are bound once and then
// cost a few additions, and the exposition text is built only when Prometheus scrapes. They
// register in a prom-client Registry like its own metrics.

import type { Metric, Registry } from 'prom-client';

export type Labels = Readonly<Record<string, string>>;

interface Sample {
  readonly labels: Labels;
  readonly value: number;
  readonly metricName?: string;
}

export class BoundCounter {
  value = 0;
  inc(n = 1): void {
    this.value += n;
  }
}

export class BoundHistogram {
  readonly #bounds: readonly number[];
  /** Observations per bucket (not cumulative); the +Inf bucket is `count`. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }

  observe(v: number): void {
    const b = this.#bounds;
    let i = 0;
    while (i < b.length && v > (b[i] as number)) i++;
    if (i < b.length) this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += v;
    this.count++;
  }
}

abstract class Family<C> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  readonly #children = new Map<string, { readonly labels: Labels; readonly child: C }>();

  constructor(registry: Registry, name: string, help: string) {
    this.name = name;
    this.help = help;
    registry.registerMetric(this as unknown as Metric);
  }

  /** The child for these labels; callers keep it (finding it builds a key). */
  child(labels: Labels): C {
    const key = JSON.stringify(labels);
    let entry = this.#children.get(key);
    if (!entry) this.#children.set(key, (entry = { labels: { ...labels }, child: this.create() }));
    return entry.child;
  }

  protected abstract create(): C;

  protected children(): IterableIterator<{ readonly labels: Labels; readonly child: C }> {
    return this.#children.values();
  }

  /** Registry.resetMetrics: children stay bound, their values go to zero. */
  abstract reset(): void;
}

export class CounterFamily extends Family<BoundCounter> {
  readonly type = 'counter';

  protected create(): BoundCounter {
    return new BoundCounter();
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values = [...this.children()].map(({ labels, child }) => ({ labels, value: child.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const { child } of this.children()) child.value = 0;
  }
}

export class HistogramFamily extends Family<BoundHistogram> {
  readonly type = 'histogram';
  readonly #bounds: readonly number[];

  constructor(registry: Registry, name: string, help: string, bounds: readonly number[]) {
    super(registry, name, help);
    this.#bounds = [...bounds].sort((a, b) => a - b);
  }

  protected create(): BoundHistogram {
    return new BoundHistogram(this.#bounds);
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    for (const { labels, child } of this.children()) {
      let acc = 0;
      this.#bounds.forEach((le, i) => {
        acc += child.counts[i] as number;
        values.push({ labels: { le: String(le), ...labels }, value: acc, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: child.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: child.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: child.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const { child } of this.children()) {
      child.counts.fill(0);
      child.sum = 0;
      child.count = 0;
    }
  }
}
