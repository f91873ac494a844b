// Shared fixtures for the monitoring unit tests: synthetic audit events built by the real
// CloudTrail builder (so rules see exactly what the trail commits), on a clock the test moves.

import { buildCloudTrailEvent } from '../audit/cloudtrail-event.ts';
import type { CommittedAuditEvent } from '../audit/audit-sink.ts';
import type { Caller } from '../identity/caller.ts';
import { parseAlertRule } from './rule-parse.ts';
import type { AlertRuleDocument, StoredAlertRule } from './alert-rule.ts';
import { monitoredEvent, type MonitoredEvent } from './monitored-event.ts';

export const ACCOUNT = '111122223333';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
export const OTHER_KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0000abcd-12ab-34cd-56ef-1234567890ab`;
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

export function userCaller(name: string, accountId = ACCOUNT): Caller {
  return {
    type: 'IAMUser',
    accountId,
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    principalId: `AIDA${name.toUpperCase()}`,
    accessKeyId: `AKIA${name.toUpperCase()}`,
    userName: name,
    sessionIssuer: undefined,
    sessionCreatedAt: undefined,
  };
}

export interface EventSpec {
  readonly time?: number;
  readonly name?: string;
  readonly service?: 'kms' | 'kontext';
  readonly user?: string;
  /** undefined caller: an unauthenticated call. */
  readonly anonymous?: boolean;
  readonly ip?: string;
  readonly keyArn?: string | null;
  readonly context?: Record<string, string>;
  readonly error?: string;
}

let nextSeq = 1;

/** A committed event as the audit trail hands it to observers. */
export function committed(s: EventSpec = {}): CommittedAuditEvent {
  const time = s.time ?? T0;
  const keyArn = s.keyArn === undefined ? KEY_ARN : s.keyArn;
  const seq = nextSeq++;
  const event = buildCloudTrailEvent(
    {
      meta: { requestId: `req-${seq}`, sourceIp: s.ip ?? '10.1.2.3', userAgent: 'test', receivedAt: time, secureTransport: false },
      service: s.service ?? 'kms',
      eventName: s.name ?? 'Decrypt',
      region: 'us-east-1',
      caller: s.anonymous ? undefined : userCaller(s.user ?? 'app'),
      readOnly: true,
      requestParameters: s.context ? { encryptionContext: s.context, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } : {},
      responseElements: null,
      error: s.error ? { code: s.error, message: '', reason: undefined } : undefined,
      notes: { resources: keyArn ? [{ ARN: keyArn, accountId: ACCOUNT, type: 'AWS::KMS::Key' }] : [], reason: undefined, extraRequestParameters: {} },
      completedAt: time,
    },
    { eventId: `evt-${seq}`, defaultAccountId: ACCOUNT },
  );
  return { seq, time, event };
}

export const ev = (s: EventSpec = {}): MonitoredEvent => monitoredEvent(committed(s));

/** Parses a rule document for a test; fails the test on validation issues. */
export function ruleDoc(doc: object): AlertRuleDocument {
  const r = parseAlertRule(doc);
  if (r.issues) throw new Error(`test rule does not validate: ${JSON.stringify(r.issues)}`);
  return r.rule;
}

export function storedRule(doc: object, createdAt = T0, accountId = ACCOUNT): StoredAlertRule {
  return { accountId, source: 'api', document: ruleDoc(doc), createdAt, updatedAt: createdAt };
}

export const silentLog = { info() {}, warn() {}, error() {}, debug() {} };
