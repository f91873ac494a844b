// An alert as stored, listed and delivered: which rule raised it, about whom and what, the
// evidence (event ids, counts, window) and where it was delivered. Never plaintext or secrets:
// everything here comes from audit events, which hold neither.

import { randomBytes } from 'node:crypto';
import type { RuleKind, Severity } from './alert-rule.ts';

export interface AlertEvidence {
  /** The audit events behind the alert (eventID), newest last; at most MAX_EVIDENCE_IDS. */
  readonly eventIds: readonly string[];
  /** How many events the rule counted. */
  readonly count: number;
  /** The window counted over (epoch ms), for rules that count. */
  readonly windowStart?: number;
  readonly windowEnd?: number;
  /** What the kind adds: the new context values, the baseline, the violated allowance... */
  readonly details: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export interface AlertSubject {
  readonly keyArn?: string;
  readonly principal?: string;
  readonly sourceIp?: string;
}

export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'dropped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface DeliveryStatus {
  readonly webhook: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly lastAttemptAt?: number;
  /** HTTP status of the last attempt, when there was a response. */
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly deliveredAt?: number;
}

export interface Acknowledgement {
  readonly at: number;
  readonly by: string;
  readonly note?: string;
}

export interface AlertRecord {
  readonly alertId: string;
  readonly accountId: string;
  readonly ruleName: string;
  readonly ruleKind: RuleKind;
  readonly severity: Severity;
  readonly createdAt: number;
  readonly summary: string;
  readonly subject: AlertSubject;
  readonly evidence: AlertEvidence;
  /** Alerts of this rule not raised just before this one (the rule's hourly limit). */
  readonly suppressedBefore: number;
  readonly acknowledged?: Acknowledgement;
  readonly deliveries: readonly DeliveryStatus[];
}

export const MAX_EVIDENCE_IDS = 20;

/** Sorts by creation time as text: 12 hex digits of epoch ms, then 8 random hex digits. */
export function newAlertId(now: number, random: (n: number) => Buffer = randomBytes): string {
  return `${Math.max(0, Math.floor(now)).toString(16).padStart(12, '0')}-${random(4).toString('hex')}`;
}

export const ALERT_ID_PATTERN = /^[0-9a-f]{12}-[0-9a-f]{8}$/;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The wire shape (Kontext.ListAlerts, webhooks). */
export function alertToWire(a: AlertRecord, withDeliveries = true): Record<string, unknown> {
  return {
    AlertId: a.alertId,
    AccountId: a.accountId,
    RuleName: a.ruleName,
    Kind: a.ruleKind,
    Severity: a.severity,
    CreationDate: a.createdAt / 1000,
    Time: iso(a.createdAt),
    Summary: a.summary,
    ...(a.subject.keyArn !== undefined ? { KeyArn: a.subject.keyArn } : {}),
    ...(a.subject.principal !== undefined ? { Principal: a.subject.principal } : {}),
    ...(a.subject.sourceIp !== undefined ? { SourceIPAddress: a.subject.sourceIp } : {}),
    Evidence: {
      EventIds: a.evidence.eventIds,
      Count: a.evidence.count,
      ...(a.evidence.windowStart !== undefined ? { WindowStart: iso(a.evidence.windowStart) } : {}),
      ...(a.evidence.windowEnd !== undefined ? { WindowEnd: iso(a.evidence.windowEnd) } : {}),
      Details: a.evidence.details,
    },
    ...(a.suppressedBefore > 0 ? { SuppressedBefore: a.suppressedBefore } : {}),
    Acknowledged: a.acknowledged !== undefined,
    ...(a.acknowledged
      ? { Acknowledgement: { Time: iso(a.acknowledged.at), By: a.acknowledged.by, ...(a.acknowledged.note !== undefined ? { Note: a.acknowledged.note } : {}) } }
      : {}),
    ...(withDeliveries
      ? {
          Deliveries: a.deliveries.map((d) => ({
            Webhook: d.webhook,
            State: d.state,
            Attempts: d.attempts,
            ...(d.lastAttemptAt !== undefined ? { LastAttempt: iso(d.lastAttemptAt) } : {}),
            ...(d.lastStatus !== undefined ? { LastStatus: d.lastStatus } : {}),
            ...(d.lastError !== undefined ? { LastError: d.lastError } : {}),
            ...(d.deliveredAt !== undefined ? { Delivered: iso(d.deliveredAt) } : {}),
          })),
        }
      : {}),
  };
}
