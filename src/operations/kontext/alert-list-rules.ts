// Kontext.ListAlertRules: the account's alert rules by name, from the rules file and the API.

import { defineOperation } from '../operation.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { limitField, markerField } from '../kms/fields.ts';
import { decodeMarker, pageOf } from '../kms/pagination.ts';
import { monitorOf, ruleToWire } from './alert-wire.ts';

export const listAlertRules = defineOperation({
  service: 'kontext',
  name: 'ListAlertRules',
  action: 'kontext:ListAlertRules',
  readOnly: true,
  input: { Limit: limitField(), Marker: markerField() },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:ListAlertRules');
    const after = decodeMarker('alert-rule', input.Marker);
    const limit = input.Limit ?? 100;
    const rules = monitorOf(ctx)
      .rules.list(ctx.caller.accountId)
      .filter((r) => after === undefined || r.document.RuleName > after);
    const page = pageOf(rules.slice(0, limit + 1), limit, 'alert-rule', (r) => r.document.RuleName);
    return { Rules: page.items.map(ruleToWire), ...(page.NextMarker ? { NextMarker: page.NextMarker } : {}), Truncated: page.Truncated };
  },
  requestParameters: (i) => ({ ...(i.Limit !== undefined ? { limit: i.Limit } : {}), ...(i.Marker !== undefined ? { marker: i.Marker } : {}) }),
  responseElements: () => null,
});
