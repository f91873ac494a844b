// Kontext.GetContextUsage: the encryption-context keys a key's successful calls used over a time
// range, with distinct value counts and a few sample values (src/audit/context-usage.ts), read
// from the audit trail through its index (events naming the key as a resource). The scan is
// bounded: at most MAX_SCANNED_EVENTS events, newest first, and the output says when it stopped.

import { searchAuditEvents } from '../../audit/audit-query.ts';
import { ContextUsageAggregator } from '../../audit/context-usage.ts';
import { AuditAttr } from '../../audit/event-index.ts';
import { defineOperation } from '../operation.ts';
import { keyIdField } from '../kms/fields.ts';
import { authorizeAccountAction, useKey } from '../kms/use-key.ts';
import { checkTimeRange, isoSeconds, secondRange, timestampField } from '../cloudtrail/timestamp-field.ts';

export const MAX_SCANNED_EVENTS = 1_000_000;
const PAGE = 1000;

export const getContextUsage = defineOperation({
  service: 'kontext',
  name: 'GetContextUsage',
  action: 'kontext:GetContextUsage',
  readOnly: true,
  input: { KeyId: keyIdField(), StartTime: timestampField(), EndTime: timestampField() },
  async handle(i, ctx) {
    await authorizeAccountAction(ctx, 'kontext:GetContextUsage');
    checkTimeRange(i.StartTime, i.EndTime);
    const key = await useKey(ctx, i.KeyId, 'kms:DescribeKey', { state: 'any' });
    const agg = new ContextUsageAggregator();
    const search = {
      account: ctx.caller.accountId,
      terms: [{ attr: AuditAttr.ResourceName, value: key.arn }],
      ...secondRange(i.StartTime, i.EndTime),
      limit: PAGE,
    };
    let nextToken: string | undefined;
    let truncated = false;
    do {
      const page = await searchAuditEvents(ctx.services.store.audit, { ...search, limit: Math.min(PAGE, MAX_SCANNED_EVENTS - agg.scanned), nextToken });
      for (const f of page.events) agg.add(f.event);
      nextToken = page.nextToken;
      if (nextToken !== undefined && agg.scanned >= MAX_SCANNED_EVENTS) truncated = true;
    } while (nextToken !== undefined && !truncated);
    return {
      KeyArn: key.arn,
      Keys: agg.result().map((k) => ({
        Key: k.key,
        DistinctValues: k.distinctValues,
        ...(k.distinctValuesCapped ? { DistinctValuesCapped: true } : {}),
        Events: k.events,
        SampleValues: k.sampleValues,
      })),
      ScannedEvents: agg.scanned,
      ...(truncated ? { Truncated: true, Note: `Stopped after ${MAX_SCANNED_EVENTS} events (newest first): narrow the time range for a complete report` } : {}),
    };
  },
  requestParameters: (i) => ({
    keyId: i.KeyId,
    ...(i.StartTime !== undefined ? { startTime: isoSeconds(i.StartTime) } : {}),
    ...(i.EndTime !== undefined ? { endTime: isoSeconds(i.EndTime) } : {}),
  }),
  // Sample values are context values: kept out of the audit record.
  responseElements: (o) => ({ keyCount: o.Keys.length, scannedEvents: o.ScannedEvents }),
});
