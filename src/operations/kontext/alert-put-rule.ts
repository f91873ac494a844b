// Kontext.PutAlertRule: creates or replaces an alert rule of the caller's account. The whole
// document is validated here (every bad member named in one ValidationException); a rule whose
// definition is unchanged keeps what it learned.

import { KontextError } from '../../errors.ts';
import type { OperationSpec } from '../operation.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { monitorOf, ruleToWire } from './alert-wire.ts';

export const putAlertRule: OperationSpec<Record<string, unknown>, { Rule: Record<string, unknown> }> = {
  service: 'kontext',
  name: 'PutAlertRule',
  action: 'kontext:PutAlertRule',
  readOnly: false,
  parse(body) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new KontextError('SerializationException', "Unexpected value at 'body': expected an object");
    return body as Record<string, unknown>;
  },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:PutAlertRule');
    const rule = await monitorOf(ctx).rules.put(ctx.caller.accountId, input);
    return { Rule: ruleToWire(rule) };
  },
  // The rule as sent: rules hold no secrets (webhook secrets live only in the rules file).
  requestParameters: (i) => ({ ruleName: typeof i['RuleName'] === 'string' ? i['RuleName'] : null, kind: typeof i['Kind'] === 'string' ? i['Kind'] : null, rule: i }),
  responseElements: () => null,
};
