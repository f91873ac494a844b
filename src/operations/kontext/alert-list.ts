// Kontext.ListAlerts: the account's alerts, newest first, filtered by rule, kind, severity,
// acknowledgement, key and time; NextToken pages on.

import { RULE_KINDS, SEVERITIES } from '../../monitor/alert-rule.ts';
import { alertToWire } from '../../monitor/alert-record.ts';
import { RULE_NAME_PATTERN } from '../../monitor/rule-parse.ts';
import { defineOperation } from '../operation.ts';
import { bool, int, str } from '../validate.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { decodeMarker, encodeMarker } from '../kms/pagination.ts';
import { checkTimeRange, isoSeconds, timestampField } from '../cloudtrail/timestamp-field.ts';
import { monitorOf } from './alert-wire.ts';

export const listAlerts = defineOperation({
  service: 'kontext',
  name: 'ListAlerts',
  action: 'kontext:ListAlerts',
  readOnly: true,
  input: {
    RuleName: str({ min: 1, max: 128, pattern: RULE_NAME_PATTERN }),
    Kind: str({ enum: RULE_KINDS }),
    Severity: str({ enum: SEVERITIES }),
    Acknowledged: bool(),
    KeyArn: str({ min: 1, max: 2048 }),
    StartTime: timestampField(),
    EndTime: timestampField(),
    MaxResults: int({ min: 1, max: 1000 }),
    NextToken: str({ min: 1, max: 1024 }),
  },
  async handle(i, ctx) {
    await authorizeAccountAction(ctx, 'kontext:ListAlerts');
    checkTimeRange(i.StartTime, i.EndTime);
    const limit = i.MaxResults ?? 50;
    const rows = await monitorOf(ctx).alerts.list({
      accountId: ctx.caller.accountId,
      ruleName: i.RuleName,
      kind: i.Kind,
      severity: i.Severity,
      acknowledged: i.Acknowledged,
      keyArn: i.KeyArn,
      from: i.StartTime,
      to: i.EndTime,
      before: decodeMarker('alert', i.NextToken),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { Alerts: page.map((a) => alertToWire(a)), ...(rows.length > limit && last ? { NextToken: encodeMarker('alert', last.alertId) } : {}) };
  },
  requestParameters: (i) => {
    const { StartTime, EndTime, NextToken: _token, ...filters } = i;
    return {
      ...Object.fromEntries(Object.entries(filters).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v])),
      ...(StartTime !== undefined ? { startTime: isoSeconds(StartTime) } : {}),
      ...(EndTime !== undefined ? { endTime: isoSeconds(EndTime) } : {}),
    };
  },
  responseElements: () => null,
});
