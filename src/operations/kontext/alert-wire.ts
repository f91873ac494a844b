// Shared by the Kontext alert operations: the monitor from the services, and rules on the wire.

import { KontextError } from '../../errors.ts';
import type { StoredAlertRule } from '../../monitor/alert-rule.ts';
import type { Monitor } from '../../monitor/monitor.ts';
import { RULE_NAME_PATTERN } from '../../monitor/rule-parse.ts';
import type { OperationContext } from '../operation.ts';
import { str, REQUIRED } from '../validate.ts';

export function monitorOf(ctx: OperationContext): Monitor {
  const m = ctx.services.monitor;
  if (!m) throw new KontextError('UnsupportedOperationException', 'Alerting is not running on this server');
  return m;
}

export const ruleNameField = () => str({ min: 1, max: 128, pattern: RULE_NAME_PATTERN }, REQUIRED);

export function ruleToWire(r: StoredAlertRule): Record<string, unknown> {
  return { ...r.document, Source: r.source, CreationDate: r.createdAt / 1000, LastUpdatedDate: r.updatedAt / 1000 };
}
