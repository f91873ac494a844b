import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { CounterFamily, HistogramFamily } from './bound-metrics.ts';

test('bound counters and histograms expose the Prometheus text prom-client would, and reset in place', async () => {
  const registry = new Registry();
  const calls = new CounterFamily(registry, 'x_calls_total', 'Calls');
  const latency = new HistogramFamily(registry, 'x_seconds', 'Latency', [0.1, 1]);
  const a = calls.child({ op: 'a' });
  assert.equal(calls.child({ op: 'a' }), a, 'one child per label set');
  a.inc();
  a.inc(2);
  const h = latency.child({ op: 'a' });
  for (const v of [0.05, 0.1, 0.5, 7]) h.observe(v);
  const text = await registry.metrics();
  assert.match(text, /# TYPE x_calls_total counter\nx_calls_total\{op="a"\} 3/);
  assert.match(text, /# TYPE x_seconds histogram/);
  assert.match(text, /x_seconds_bucket\{le="0.1",op="a"\} 2\nx_seconds_bucket\{le="1",op="a"\} 3\nx_seconds_bucket\{le="\+Inf",op="a"\} 4\nx_seconds_sum\{op="a"\} 7.65\nx_seconds_count\{op="a"\} 4/);
  registry.resetMetrics();
  assert.equal(a.value, 0);
  assert.equal(h.count, 0);
  a.inc();
  assert.match(await registry.metrics(), /x_calls_total\{op="a"\} 1/);
});
