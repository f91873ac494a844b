import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KontextMetrics, UNKNOWN_OPERATION } from './metrics.ts';
import { timedAuthorizer } from './timed-authorizer.ts';
import { KontextError } from '../errors.ts';
import type { AuthzRequest } from '../authz/authorizer.ts';

test('KontextMetrics counts requests by service, operation, outcome and error code, and times them', async () => {
  const m = new KontextMetrics({ defaultMetrics: false });
  m.requestDone('kms', 'Decrypt', undefined, 3);
  m.requestDone('kms', 'Decrypt', undefined, 4);
  m.requestDone('kms', 'Decrypt', 'InvalidCiphertextException', 2);
  m.requestDone('kms', UNKNOWN_OPERATION, 'UnknownOperationException', 0);
  const text = await m.text();
  assert.match(text, /kontext_requests_total\{service="kms",operation="Decrypt",outcome="ok",error_code=""\} 2/);
  assert.match(text, /kontext_requests_total\{service="kms",operation="Decrypt",outcome="error",error_code="InvalidCiphertextException"\} 1/);
  assert.match(text, /kontext_requests_total\{service="kms",operation="unknown",outcome="error",error_code="UnknownOperationException"\} 1/);
  assert.match(text, /kontext_request_duration_seconds_count\{service="kms",operation="Decrypt"\} 3/);
  assert.match(text, /kontext_request_duration_seconds_bucket\{le="0.005",service="kms",operation="Decrypt"\} 3/);
});

test('KontextMetrics reads key states and open alerts when scraped, and tracks audit health', async () => {
  const m = new KontextMetrics({ defaultMetrics: false });
  m.setSources({ keyStates: async () => ({ Enabled: 3, Disabled: 1 }), openAlerts: async () => ({ high: 2 }), queueDepth: () => 7 });
  m.auditBatch(5, 0.002, true);
  assert.equal(m.auditHealthy, true);
  m.auditBatch(5, 0.002, false);
  assert.equal(m.auditHealthy, false);
  const text = await m.text();
  assert.match(text, /kontext_keys\{state="Enabled"\} 3/);
  assert.match(text, /kontext_keys\{state="Disabled"\} 1/);
  assert.match(text, /kontext_alerts_open\{severity="high"\} 2/);
  assert.match(text, /kontext_monitor_queue_depth 7/);
  assert.match(text, /kontext_audit_batch_size_sum 5/);
  assert.match(text, /kontext_audit_commit_failures_total 1/);
});

test('timedAuthorizer observes allow and deny decisions and passes errors and key-policy validation through', async () => {
  const seen: boolean[] = [];
  let validated = false;
  const inner = {
    async authorize(r: AuthzRequest) {
      if (r.action === 'kms:Decrypt') throw new KontextError('AccessDeniedException', 'no');
    },
    async validateKeyPolicy() {
      validated = true;
    },
  };
  const timed = timedAuthorizer(inner, (s, allowed) => {
    assert.ok(s >= 0);
    seen.push(allowed);
  });
  const req = { action: 'kms:Encrypt' } as AuthzRequest;
  await timed.authorize(req);
  await assert.rejects(timed.authorize({ ...req, action: 'kms:Decrypt' }), { name: 'AccessDeniedException' });
  await timed.validateKeyPolicy?.('{}', {} as never);
  assert.deepEqual(seen, [true, false]);
  assert.equal(validated, true);
});
