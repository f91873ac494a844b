// The facts alert rules read from one committed audit event, extracted once per event (off the
// request path): who, from where, on which key, with which context, and how it ended.

import type { CommittedAuditEvent } from '../audit/audit-sink.ts';
import { eventAccounts } from '../audit/event-index.ts';

/** One use of a key with a context: ReEncrypt has two (source and destination). */
export interface KeyUse {
  readonly keyArn: string;
  readonly context: Readonly<Record<string, string>>;
}

export interface MonitoredEvent {
  readonly seq: number;
  readonly time: number;
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly errorCode: string | undefined;
  /** The caller's ARN; an unauthenticated call is `anonymous` (with the access key id it claimed). */
  readonly principal: string;
  readonly sourceIp: string;
  readonly region: string;
  /** The first key the call touched. */
  readonly keyArn: string | undefined;
  readonly uses: readonly KeyUse[];
  /** Accounts whose rules see this event: the trail owner, and the caller's account when different. */
  readonly accounts: readonly string[];
}

const KEY_TYPE = 'AWS::KMS::Key';

function contextOf(v: unknown): Record<string, string> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) if (typeof val === 'string') out[k] = val;
  return out;
}

export function monitoredEvent(c: CommittedAuditEvent): MonitoredEvent {
  const e = c.event;
  const keys = (e.resources ?? []).filter((r) => r.type === KEY_TYPE).map((r) => r.ARN);
  const uses: KeyUse[] = [];
  const params = e.requestParameters;
  if (params) {
    const plain = contextOf(params['encryptionContext']);
    if (plain && keys[0]) uses.push({ keyArn: keys[0], context: plain });
    const source = contextOf(params['sourceEncryptionContext']);
    if (source && keys[0]) uses.push({ keyArn: keys[0], context: source });
    const dest = contextOf(params['destinationEncryptionContext']);
    const destKey = keys[1] ?? keys[0];
    if (dest && destKey) uses.push({ keyArn: destKey, context: dest });
  }
  const id = e.userIdentity;
  return {
    seq: c.seq,
    time: c.time,
    eventId: e.eventID,
    eventName: e.eventName,
    eventSource: e.eventSource,
    errorCode: e.errorCode,
    principal: id.arn ?? (id.accessKeyId ? `anonymous:${id.accessKeyId}` : 'anonymous'),
    sourceIp: e.sourceIPAddress,
    region: e.awsRegion,
    keyArn: keys[0],
    uses,
    accounts: eventAccounts(e),
  };
}
