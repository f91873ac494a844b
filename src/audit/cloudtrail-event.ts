// Turns what the pipeline saw (AuditRecord) into a CloudTrail record (eventVersion 1.08), with
// CloudTrail's size limits and our own `kontextDetail` for what AWS keeps vague.

import type { Caller } from '../identity/caller.ts';
import type { ServiceName } from '../operations/operation.ts';
import type { AuditRecord } from './audit-sink.ts';
import type { GuardrailNote } from '../schema/guardrail-note.ts';
import type { PolicyLintNote } from '../schema/lint/lint-note.ts';
import { fitDocument, scrubSecrets, truncateUtf8 } from './event-sanitize.ts';

export const EVENT_VERSION = '1.08';
export const USER_AGENT_MAX_BYTES = 1024;
export const ERROR_MESSAGE_MAX_BYTES = 1024;
export const REQUEST_PARAMETERS_MAX_BYTES = 100 * 1024;
export const RESPONSE_ELEMENTS_MAX_BYTES = 100 * 1024;
export const REASON_MAX_BYTES = 1024;

export const EVENT_SOURCES: Readonly<Record<ServiceName, string>> = {
  kms: 'kms.amazonaws.com',
  iam: 'iam.amazonaws.com',
  sts: 'sts.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  kontext: 'kontext.amazonaws.com',
};

export interface CloudTrailResource {
  readonly accountId: string;
  readonly type: string;
  readonly ARN: string;
}

export interface CloudTrailUserIdentity {
  readonly type: string;
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly userName?: string;
  readonly sessionContext?: {
    readonly sessionIssuer: { readonly type: string; readonly principalId: string; readonly arn: string; readonly accountId: string; readonly userName: string };
    readonly webIdFederationData: Record<string, never>;
    readonly attributes: { readonly creationDate: string; readonly mfaAuthenticated: 'true' | 'false' };
  };
}

/** Ours, not CloudTrail's: why a deliberately vague error was returned, and what was withheld. */
export interface KontextDetail {
  readonly reason?: string;
  readonly redactedFields?: readonly string[];
  readonly truncatedFields?: readonly string[];
  /** The context-schema / secret-detection verdict (schema name and version, result, findings by key name). */
  readonly guardrails?: GuardrailNote;
  /** The automatic policy lint of PutKeyPolicy / CreateKey (finding ids, severities, Sids). */
  readonly policyLint?: PolicyLintNote;
}

export interface CloudTrailEvent {
  readonly eventVersion: string;
  readonly userIdentity: CloudTrailUserIdentity;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly resources?: readonly CloudTrailResource[];
  readonly eventType: 'AwsApiCall';
  readonly managementEvent: true;
  readonly recipientAccountId: string;
  readonly eventCategory: 'Management';
  readonly kontextDetail?: KontextDetail;
}

/** CloudTrail logs KMS's AccessDeniedException under the shorter name. */
const EVENT_ERROR_CODES: Readonly<Record<string, string>> = { AccessDeniedException: 'AccessDenied' };

export const eventErrorCode = (wireCode: string): string => EVENT_ERROR_CODES[wireCode] ?? wireCode;

/** CloudTrail's eventTime: UTC, second precision. Events come in bursts within one second: the last string is reused. */
let lastSecond = Number.NaN;
let lastTimeString = '';
export function eventTimeString(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    lastTimeString = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastTimeString;
}

/**
 * A caller's identity block, built once per Caller object: the authenticator keeps one Caller
 * per credential, so a busy credential's events share it (events are serialized, never mutated).
 */
const identities = new WeakMap<Caller, CloudTrailUserIdentity>();

export function userIdentity(caller: Caller | undefined, claimedAccessKeyId: string | undefined): CloudTrailUserIdentity {
  if (!caller) return buildUserIdentity(caller, claimedAccessKeyId);
  let identity = identities.get(caller);
  if (!identity) identities.set(caller, (identity = buildUserIdentity(caller, claimedAccessKeyId)));
  return identity;
}

function buildUserIdentity(caller: Caller | undefined, claimedAccessKeyId: string | undefined): CloudTrailUserIdentity {
  if (!caller) return { type: 'Unknown', ...(claimedAccessKeyId ? { accessKeyId: truncateUtf8(claimedAccessKeyId, 128) } : {}) };
  const base = {
    type: caller.type,
    principalId: caller.principalId,
    arn: caller.arn,
    accountId: caller.accountId,
    ...(caller.accessKeyId !== undefined ? { accessKeyId: caller.accessKeyId } : {}),
  };
  if (caller.type === 'AssumedRole' && caller.sessionIssuer) {
    return {
      ...base,
      sessionContext: {
        sessionIssuer: { ...caller.sessionIssuer },
        webIdFederationData: {},
        attributes: {
          creationDate: eventTimeString(caller.sessionCreatedAt ?? 0),
          mfaAuthenticated: 'false',
        },
      },
    };
  }
  return caller.userName !== undefined && caller.type === 'IAMUser' ? { ...base, userName: caller.userName } : base;
}

export interface EventIds {
  readonly eventId: string;
  /** Account that owns the trail when no caller or resource says otherwise. */
  readonly defaultAccountId: string;
}

/** Builds the record. Pure: ids come in, nothing is read from the clock or the network. */
export function buildCloudTrailEvent(r: AuditRecord, ids: EventIds): CloudTrailEvent {
  const redacted: string[] = [];
  const truncated: string[] = [];
  const fit = (doc: Record<string, unknown> | null, name: string, max: number): Record<string, unknown> | null => {
    if (doc === null) return null;
    const clean = scrubSecrets(doc, name, redacted) as Record<string, unknown>;
    const fitted = fitDocument(clean, max);
    if (fitted.truncated) truncated.push(name);
    return fitted.doc;
  };
  const requestParameters = fit(r.requestParameters, 'requestParameters', REQUEST_PARAMETERS_MAX_BYTES);
  const responseElements = fit(r.responseElements, 'responseElements', RESPONSE_ELEMENTS_MAX_BYTES);
  const userAgent = truncateUtf8(r.meta.userAgent, USER_AGENT_MAX_BYTES);
  if (userAgent.length !== r.meta.userAgent.length) truncated.push('userAgent');
  const resources = r.notes.resources.map((res) => ({ accountId: res.accountId, type: res.type, ARN: res.ARN }));
  const reason = r.error?.reason ?? r.notes.reason;
  const detail: KontextDetail = {
    ...(reason !== undefined ? { reason: truncateUtf8(reason, REASON_MAX_BYTES) } : {}),
    ...(redacted.length > 0 ? { redactedFields: redacted } : {}),
    ...(truncated.length > 0 ? { truncatedFields: truncated } : {}),
    ...(r.notes.guardrails ? { guardrails: r.notes.guardrails } : {}),
    ...(r.notes.policyLint ? { policyLint: r.notes.policyLint } : {}),
  };
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(r.caller, r.claimedAccessKeyId),
    eventTime: eventTimeString(r.completedAt),
    eventSource: EVENT_SOURCES[r.service],
    eventName: r.eventName,
    awsRegion: r.region,
    sourceIPAddress: r.meta.sourceIp,
    userAgent,
    ...(r.error ? { errorCode: eventErrorCode(r.error.code) } : {}),
    ...(r.error?.message ? { errorMessage: truncateUtf8(r.error.message, ERROR_MESSAGE_MAX_BYTES) } : {}),
    requestParameters,
    responseElements,
    requestID: r.meta.requestId,
    eventID: ids.eventId,
    readOnly: r.readOnly,
    ...(resources.length > 0 ? { resources } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: resources[0]?.accountId ?? r.caller?.accountId ?? ids.defaultAccountId,
    eventCategory: 'Management',
    ...(Object.keys(detail).length > 0 ? { kontextDetail: detail } : {}),
  };
}

/** The identity blocks serialized so far (blocks are built once per caller, see userIdentity). */
const identityJson = new WeakMap<CloudTrailUserIdentity, string>();

/**
 * Exactly `JSON.stringify(event)` for an event from buildCloudTrailEvent (eventVersion and
 * userIdentity first), with the caller's identity block — a third of an assumed role's event —
 * serialized once per caller instead of once per event.
 */
export function serializeEvent(event: CloudTrailEvent): string {
  let identity = identityJson.get(event.userIdentity);
  if (identity === undefined) identityJson.set(event.userIdentity, (identity = JSON.stringify(event.userIdentity)));
  const { eventVersion, userIdentity: _identity, ...rest } = event;
  return `{"eventVersion":${JSON.stringify(eventVersion)},"userIdentity":${identity},${JSON.stringify(rest).slice(1)}`;
}

/** LookupEvents' Username: the IAM user, the role session, or `root`. */
export function eventUsername(identity: CloudTrailUserIdentity): string | undefined {
  switch (identity.type) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return identity.userName;
    case 'AssumedRole':
      return identity.arn?.slice(identity.arn.lastIndexOf('/') + 1);
    default:
      return undefined;
  }
}
