// CloudTrail LookupEvents over the audit trail: at most one lookup attribute, a time range, pages
// of up to 50 events, newest first, each with its record as a JSON string (CloudTrailEvent).

import { KontextError } from '../../errors.ts';
import { eventUsername, type CloudTrailEvent } from '../../audit/cloudtrail-event.ts';
import { searchAuditEvents } from '../../audit/audit-query.ts';
import { AuditAttr, type IndexTerm } from '../../audit/event-index.ts';
import { defineOperation } from '../operation.ts';
import { int, list, str, struct, REQUIRED } from '../validate.ts';
import { authorizeAccountAction } from '../kms/use-key.ts';
import { checkTimeRange, isoSeconds, secondRange, timestampField } from './timestamp-field.ts';

const LOOKUP_KEYS: Readonly<Record<string, IndexTerm['attr']>> = {
  EventId: AuditAttr.EventId,
  EventName: AuditAttr.EventName,
  ReadOnly: AuditAttr.ReadOnly,
  Username: AuditAttr.Username,
  ResourceType: AuditAttr.ResourceType,
  ResourceName: AuditAttr.ResourceName,
  EventSource: AuditAttr.EventSource,
  AccessKeyId: AuditAttr.AccessKeyId,
};

const invalidAttributes = (message: string) => new KontextError('InvalidLookupAttributesException', message);

function lookupTerms(attrs: ReadonlyArray<{ AttributeKey: string; AttributeValue: string }> | undefined): IndexTerm[] {
  if (!attrs || attrs.length === 0) return [];
  if (attrs.length > 1) throw invalidAttributes('You cannot specify more than one lookup attribute');
  const { AttributeKey: key, AttributeValue: value } = attrs[0] as { AttributeKey: string; AttributeValue: string };
  const attr = LOOKUP_KEYS[key];
  if (attr === undefined) throw invalidAttributes(`The lookup attribute key '${key}' is not valid: use one of ${Object.keys(LOOKUP_KEYS).join(', ')}`);
  if (value.length < 1 || value.length > 2000) throw invalidAttributes('The lookup attribute value must be 1 to 2000 characters long');
  if (attr === AuditAttr.ReadOnly && value !== 'true' && value !== 'false') throw invalidAttributes(`The ReadOnly lookup attribute must be 'true' or 'false': '${value}'`);
  return [{ attr, value }];
}

export function lookupEventOf(body: string, e: CloudTrailEvent) {
  const username = eventUsername(e.userIdentity);
  return {
    EventId: e.eventID,
    EventName: e.eventName,
    ReadOnly: String(e.readOnly),
    ...(e.userIdentity.accessKeyId !== undefined ? { AccessKeyId: e.userIdentity.accessKeyId } : {}),
    EventTime: Math.floor(Date.parse(e.eventTime) / 1000),
    EventSource: e.eventSource,
    ...(username !== undefined ? { Username: username } : {}),
    Resources: (e.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
    CloudTrailEvent: body,
  };
}

export const lookupEvents = defineOperation({
  service: 'cloudtrail',
  name: 'LookupEvents',
  action: 'cloudtrail:LookupEvents',
  readOnly: true,
  input: {
    LookupAttributes: list(struct({ AttributeKey: str({}, REQUIRED), AttributeValue: str({}, REQUIRED) })),
    StartTime: timestampField(),
    EndTime: timestampField(),
    EventCategory: str(),
    MaxResults: int(),
    NextToken: str(),
  },
  async handle(i, ctx) {
    await authorizeAccountAction(ctx, 'cloudtrail:LookupEvents');
    const terms = lookupTerms(i.LookupAttributes);
    checkTimeRange(i.StartTime, i.EndTime);
    const limit = i.MaxResults ?? 50;
    if (limit < 1 || limit > 50) throw new KontextError('InvalidMaxResultsException', `MaxResults must be 1 to 50: ${limit}`);
    if (i.EventCategory !== undefined) {
      if (i.EventCategory !== 'insight') throw new KontextError('InvalidEventCategoryException', `The event category '${i.EventCategory}' is not valid: use 'insight'`);
      return { Events: [] }; // The trail records API calls only; there are no Insights events.
    }
    const result = await searchAuditEvents(ctx.services.store.audit, {
      account: ctx.caller.accountId,
      // Event history is regional, as in CloudTrail: the events recorded in the region called.
      terms: [...terms, { attr: AuditAttr.Region, value: ctx.region }],
      ...secondRange(i.StartTime, i.EndTime),
      limit,
      nextToken: i.NextToken,
    });
    return {
      Events: result.events.map((f) => lookupEventOf(f.body, f.event)),
      ...(result.nextToken ? { NextToken: result.nextToken } : {}),
    };
  },
  requestParameters: (i) => ({
    ...(i.LookupAttributes ? { lookupAttributes: i.LookupAttributes.map((a) => ({ attributeKey: a.AttributeKey, attributeValue: a.AttributeValue })) } : {}),
    ...(i.StartTime !== undefined ? { startTime: isoSeconds(i.StartTime) } : {}),
    ...(i.EndTime !== undefined ? { endTime: isoSeconds(i.EndTime) } : {}),
    ...(i.EventCategory !== undefined ? { eventCategory: i.EventCategory } : {}),
    ...(i.MaxResults !== undefined ? { maxResults: i.MaxResults } : {}),
  }),
  responseElements: () => null,
});
