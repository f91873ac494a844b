// The audit trail's operations (CloudTrail LookupEvents and the Kontext audit API), for the one registry.

import type { OperationSpec } from '../operation.ts';
import { lookupEvents } from '../cloudtrail/lookup-events.ts';
import { queryAuditEvents } from './audit-query-events.ts';
import { getAuditPublicKey } from './audit-get-public-key.ts';
import { verifyAuditTrail } from './audit-verify-trail.ts';

type AnySpec = OperationSpec<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const AUDIT_OPERATIONS: readonly AnySpec[] = [lookupEvents, queryAuditEvents, getAuditPublicKey, verifyAuditTrail];
