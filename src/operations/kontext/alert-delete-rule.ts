// Kontext.DeleteAlertRule: removes an API-defined alert rule and what it learned (its alerts stay).

import { defineOperation } from '../operation.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { monitorOf, ruleNameField } from './alert-wire.ts';

export const deleteAlertRule = defineOperation({
  service: 'kontext',
  name: 'DeleteAlertRule',
  action: 'kontext:DeleteAlertRule',
  readOnly: false,
  input: { RuleName: ruleNameField() },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:DeleteAlertRule');
    await monitorOf(ctx).rules.delete(ctx.caller.accountId, input.RuleName);
    return {};
  },
  requestParameters: (i) => ({ ruleName: i.RuleName }),
  responseElements: () => null,
});
