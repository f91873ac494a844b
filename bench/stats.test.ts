import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencySamples, percentile, summarize } from './stats.ts';

test('percentile() uses the nearest rank', () => {
  const s = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.equal(percentile(s, 50), 50);
  assert.equal(percentile(s, 90), 90);
  assert.equal(percentile(s, 99), 100);
  assert.equal(percentile(s, 100), 100);
  assert.equal(percentile([7], 1), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('LatencySamples grows past its initial capacity and sorts numerically', () => {
  const samples = new LatencySamples(2);
  for (const v of [1000, 3, 250, 20, 9]) samples.add(v);
  assert.equal(samples.count, 5);
  assert.deepEqual([...samples.sorted()], [3, 9, 20, 250, 1000]);
});

test('summarize() reports milliseconds', () => {
  const samples = new LatencySamples();
  for (let i = 1; i <= 1000; i++) samples.add(i * 10);
  const s = summarize(samples);
  assert.equal(s.count, 1000);
  assert.equal(s.p50, 5);
  assert.equal(s.p90, 9);
  assert.equal(s.p99, 9.9);
  assert.equal(s.max, 10);
  assert.equal(s.mean, 5.005);
});
