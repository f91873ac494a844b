// Kontext.QueryAuditEvents: what LookupEvents cannot ask — every call that used an encryption
// context pair or key, by a principal, on a key, with an error code — all filters combined.

import { eventErrorCode } from '../../audit/cloudtrail-event.ts';
import { searchAuditEvents } from '../../audit/audit-query.ts';
import { AuditAttr, contextPairValue, type IndexTerm } from '../../audit/event-index.ts';
import { keyArn } from '../../keys/key-record.ts';
import { defineOperation } from '../operation.ts';
import { bool, int, list, str, stringMap } from '../validate.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { checkTimeRange, isoSeconds, secondRange, timestampField } from '../cloudtrail/timestamp-field.ts';

const text = () => str({ min: 1, max: 2048 });

interface QueryInput {
  EncryptionContext?: Record<string, string>;
  EncryptionContextKeys?: string[];
  PrincipalArn?: string;
  KeyArn?: string;
  EventName?: string;
  EventSource?: string;
  ErrorCode?: string;
  AccessKeyId?: string;
  Username?: string;
  EventId?: string;
  ReadOnly?: boolean;
}

/** A bare key id is taken to mean a key of the caller's account in the request's region. */
const asKeyArn = (value: string, region: string, accountId: string): string => (value.startsWith('arn:') ? value : keyArn(region, accountId, value));

function queryTerms(i: QueryInput, region: string, accountId: string): IndexTerm[] {
  const terms: IndexTerm[] = [];
  for (const [k, v] of Object.entries(i.EncryptionContext ?? {})) terms.push({ attr: AuditAttr.ContextPair, value: contextPairValue(k, v) });
  for (const k of i.EncryptionContextKeys ?? []) terms.push({ attr: AuditAttr.ContextKey, value: k });
  if (i.PrincipalArn !== undefined) terms.push({ attr: AuditAttr.PrincipalArn, value: i.PrincipalArn });
  if (i.KeyArn !== undefined) terms.push({ attr: AuditAttr.ResourceName, value: asKeyArn(i.KeyArn, region, accountId) });
  if (i.EventName !== undefined) terms.push({ attr: AuditAttr.EventName, value: i.EventName });
  if (i.EventSource !== undefined) terms.push({ attr: AuditAttr.EventSource, value: i.EventSource });
  if (i.ErrorCode !== undefined) terms.push({ attr: AuditAttr.ErrorCode, value: eventErrorCode(i.ErrorCode) });
  if (i.AccessKeyId !== undefined) terms.push({ attr: AuditAttr.AccessKeyId, value: i.AccessKeyId });
  if (i.Username !== undefined) terms.push({ attr: AuditAttr.Username, value: i.Username });
  if (i.EventId !== undefined) terms.push({ attr: AuditAttr.EventId, value: i.EventId });
  if (i.ReadOnly !== undefined) terms.push({ attr: AuditAttr.ReadOnly, value: String(i.ReadOnly) });
  return terms;
}

export const queryAuditEvents = defineOperation({
  service: 'kontext',
  name: 'QueryAuditEvents',
  action: 'kontext:QueryAuditEvents',
  readOnly: true,
  input: {
    EncryptionContext: stringMap(),
    EncryptionContextKeys: list(str({ min: 1, max: 2048 }), { max: 50 }),
    PrincipalArn: text(),
    KeyArn: text(),
    EventName: text(),
    EventSource: text(),
    ErrorCode: text(),
    AccessKeyId: text(),
    Username: text(),
    EventId: text(),
    ReadOnly: bool(),
    StartTime: timestampField(),
    EndTime: timestampField(),
    MaxResults: int({ min: 1, max: 1000 }),
    NextToken: str({ min: 1, max: 4096 }),
  },
  async handle(i, ctx) {
    await authorizeAccountAction(ctx, 'kontext:QueryAuditEvents');
    checkTimeRange(i.StartTime, i.EndTime);
    const result = await searchAuditEvents(ctx.services.store.audit, {
      account: ctx.caller.accountId,
      terms: queryTerms(i, ctx.region, ctx.caller.accountId),
      ...secondRange(i.StartTime, i.EndTime),
      limit: i.MaxResults ?? 50,
      nextToken: i.NextToken,
    });
    return {
      Events: result.events.map((f) => ({ Sequence: f.seq, Event: f.event })),
      ...(result.nextToken ? { NextToken: result.nextToken } : {}),
    };
  },
  requestParameters: (i) => {
    // The context filters are logged under names the index does not read as a use of that context.
    const { StartTime, EndTime, NextToken: _token, EncryptionContext, EncryptionContextKeys, ...filters } = i;
    return {
      ...(EncryptionContext !== undefined ? { encryptionContextFilter: EncryptionContext } : {}),
      ...(EncryptionContextKeys !== undefined ? { encryptionContextKeysFilter: EncryptionContextKeys } : {}),
      ...Object.fromEntries(Object.entries(filters).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v])),
      ...(StartTime !== undefined ? { startTime: isoSeconds(StartTime) } : {}),
      ...(EndTime !== undefined ? { endTime: isoSeconds(EndTime) } : {}),
    };
  },
  responseElements: () => null,
});
