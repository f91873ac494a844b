// The Kontext alerting operations, for the one registry.

import type { OperationSpec } from '../operation.ts';
import { putAlertRule } from './alert-put-rule.ts';
import { listAlertRules } from './alert-list-rules.ts';
import { deleteAlertRule } from './alert-delete-rule.ts';
import { listAlerts } from './alert-list.ts';
import { acknowledgeAlert } from './alert-acknowledge.ts';

type AnySpec = OperationSpec<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ALERT_OPERATIONS: readonly AnySpec[] = [putAlertRule, listAlertRules, deleteAlertRule, listAlerts, acknowledgeAlert];
