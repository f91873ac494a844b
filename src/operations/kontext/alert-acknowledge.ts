// Kontext.AcknowledgeAlert: marks an alert as seen, by whom and with an optional note. Idempotent:
// acknowledging again keeps the first acknowledgement.

import { KontextError } from '../../errors.ts';
import { ALERT_ID_PATTERN, alertToWire } from '../../monitor/alert-record.ts';
import { defineOperation } from '../operation.ts';
import { str, REQUIRED } from '../validate.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { monitorOf } from './alert-wire.ts';

export const acknowledgeAlert = defineOperation({
  service: 'kontext',
  name: 'AcknowledgeAlert',
  action: 'kontext:AcknowledgeAlert',
  readOnly: false,
  input: { AlertId: str({ min: 21, max: 21, pattern: ALERT_ID_PATTERN }, REQUIRED), Note: str({ min: 0, max: 1024 }) },
  async handle(input, ctx) {
    await authorizeAccountAction(ctx, 'kontext:AcknowledgeAlert');
    const alert = await monitorOf(ctx).alerts.acknowledge(ctx.caller.accountId, input.AlertId, ctx.caller.arn, input.Note);
    if (!alert) throw new KontextError('NotFoundException', `Alert '${input.AlertId}' does not exist`);
    return { Alert: alertToWire(alert) };
  },
  requestParameters: (i) => ({ alertId: i.AlertId, ...(i.Note !== undefined ? { note: i.Note } : {}) }),
  responseElements: () => null,
});
