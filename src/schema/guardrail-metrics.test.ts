import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { registerGuardrailMetrics } from './guardrail-metrics.ts';

test('registerGuardrailMetrics() reports the counters at scrape time', async () => {
  const registry = new Registry();
  const counters = { checks: 10, rejected: 2, warned: 3, schemaFindings: 4, secretFindings: 1, namingFindings: 5 };
  registerGuardrailMetrics(registry, counters);
  counters.checks = 11;
  const text = await registry.metrics();
  assert.match(text, /kontext_context_checks_total\{result="rejected"\} 2/);
  assert.match(text, /kontext_context_checks_total\{result="passed"\} 6/);
  assert.match(text, /kontext_context_findings_total\{source="secret"\} 1/);
});
