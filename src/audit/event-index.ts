// What each event is findable by: (account, attribute, value) entries kept beside the event so
// LookupEvents and QueryAuditEvents read one index range instead of scanning the trail.

import type { AuditIndexEntry } from '../store/audit-repository.ts';
import { eventUsername, type CloudTrailEvent } from './cloudtrail-event.ts';

/** Attribute codes stored in the index (append only: the numbers are on disk). */
export const AuditAttr = {
  All: 0,
  EventId: 1,
  EventName: 2,
  ReadOnly: 3,
  Username: 4,
  ResourceType: 5,
  ResourceName: 6,
  EventSource: 7,
  AccessKeyId: 8,
  PrincipalArn: 9,
  ErrorCode: 10,
  ContextKey: 11,
  ContextPair: 12,
  /** The event's awsRegion: CloudTrail's event history (LookupEvents) is regional. */
  Region: 13,
} as const;

export type AuditAttrCode = (typeof AuditAttr)[keyof typeof AuditAttr];

/** Request parameters that hold an encryption context, as KMS's CloudTrail records name them. */
export const CONTEXT_PARAMETERS = ['encryptionContext', 'sourceEncryptionContext', 'destinationEncryptionContext'] as const;

/** One index value for a context pair; the length prefix keeps `a=b` + `c` apart from `a` + `b=c`. */
export const contextPairValue = (key: string, value: string): string => `${key.length}:${key}=${value}`;

export interface IndexTerm {
  readonly attr: AuditAttrCode;
  readonly value: string;
}

/** The index terms of an event (without the account, which `indexEntries` adds). */
export function indexTerms(event: CloudTrailEvent): IndexTerm[] {
  // No EventId entry: an event id names its row (event-id.ts).
  const terms: IndexTerm[] = [
    { attr: AuditAttr.All, value: '' },
    { attr: AuditAttr.EventName, value: event.eventName },
    { attr: AuditAttr.ReadOnly, value: String(event.readOnly) },
    { attr: AuditAttr.EventSource, value: event.eventSource },
    { attr: AuditAttr.Region, value: event.awsRegion },
  ];
  const id = event.userIdentity;
  const username = eventUsername(id);
  if (username !== undefined) terms.push({ attr: AuditAttr.Username, value: username });
  if (id.accessKeyId !== undefined) terms.push({ attr: AuditAttr.AccessKeyId, value: id.accessKeyId });
  if (id.arn !== undefined) terms.push({ attr: AuditAttr.PrincipalArn, value: id.arn });
  if (event.errorCode !== undefined) terms.push({ attr: AuditAttr.ErrorCode, value: event.errorCode });
  const seenTypes = new Set<string>();
  const seenNames = new Set<string>();
  for (const r of event.resources ?? []) {
    if (!seenTypes.has(r.type)) terms.push({ attr: AuditAttr.ResourceType, value: r.type }), seenTypes.add(r.type);
    if (!seenNames.has(r.ARN)) terms.push({ attr: AuditAttr.ResourceName, value: r.ARN }), seenNames.add(r.ARN);
  }
  const params = event.requestParameters;
  if (params) {
    const keys = new Set<string>();
    const pairs = new Set<string>();
    for (const name of CONTEXT_PARAMETERS) {
      const ctx = params[name];
      if (ctx === null || typeof ctx !== 'object' || Array.isArray(ctx)) continue;
      for (const [k, v] of Object.entries(ctx as Record<string, unknown>)) {
        if (typeof v !== 'string') continue;
        keys.add(k);
        pairs.add(contextPairValue(k, v));
      }
    }
    for (const k of keys) terms.push({ attr: AuditAttr.ContextKey, value: k });
    for (const p of pairs) terms.push({ attr: AuditAttr.ContextPair, value: p });
  }
  return terms;
}

/** The accounts an event is visible to: the trail owner, and the caller's account when different. */
export function eventAccounts(event: CloudTrailEvent): string[] {
  const caller = event.userIdentity.accountId;
  return caller !== undefined && caller !== event.recipientAccountId ? [event.recipientAccountId, caller] : [event.recipientAccountId];
}

/**
 * The index entries of a stored event. An unreadable row has none: its entries can only dangle,
 * which queries tolerate (they check every candidate against the event).
 */
export function indexEntriesOfBody(body: string): AuditIndexEntry[] {
  try {
    return indexEntries(JSON.parse(body) as CloudTrailEvent);
  } catch {
    return [];
  }
}

export function indexEntries(event: CloudTrailEvent): AuditIndexEntry[] {
  const terms = indexTerms(event);
  const out: AuditIndexEntry[] = [];
  for (const account of eventAccounts(event)) for (const t of terms) out.push({ account, attr: t.attr, value: t.value });
  return out;
}
