// Exposes the guardrail counters on the Prometheus registry, read at scrape time (the request
// path only increments plain numbers). Labels are fixed: the outcome and the finding source.

import { Counter, type Registry } from 'prom-client';
import type { GuardrailCounters } from './guardrails.ts';

export function registerGuardrailMetrics(registry: Registry, counters: GuardrailCounters): void {
  new Counter({
    name: 'kontext_context_checks_total',
    help: 'Encryption contexts checked by the guardrails (schemas, secret detection, naming), by result',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'rejected' }, counters.rejected);
      this.inc({ result: 'warned' }, counters.warned);
      this.inc({ result: 'passed' }, counters.checks - counters.rejected - counters.warned);
    },
  });
  new Counter({
    name: 'kontext_context_findings_total',
    help: 'Guardrail findings on encryption contexts, by source (schema, secret, naming)',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ source: 'schema' }, counters.schemaFindings);
      this.inc({ source: 'secret' }, counters.secretFindings);
      this.inc({ source: 'naming' }, counters.namingFindings);
    },
  });
}
